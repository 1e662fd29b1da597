import { Alert, Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';

/**
 * Asked when solving was refused because an engineering escalation is still open: the agent may
 * solve anyway with a reason, which the ticket's audit keeps. `message` is the server's refusal.
 */
export function SolveOverrideModal({ message, onCancel, onConfirm }: { message: string; onCancel: () => void; onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The API wants at least 3 characters; say so before sending.
    if (reason.trim().length < 3) return setError('Explain why the ticket can be solved while engineering is still on it');
    onConfirm(reason.trim());
  };
  return (
    <Modal opened onClose={onCancel} title="Solve despite the open escalation?" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Alert color="orange" variant="light">
            {message}
          </Alert>
          <Textarea
            label="Reason for solving anyway"
            description="Kept in the ticket's history."
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
            required
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit">Solve anyway</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
