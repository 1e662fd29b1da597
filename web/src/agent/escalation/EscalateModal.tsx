import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { fieldError, useEscalateTicket, useUpdateTemplates, type Classification, type Team } from '../api/escalations';
import { CLASSIFICATION_OPTIONS, generalError, TEAM_OPTIONS } from './escalationText';

const FIELDS = ['classification', 'summary', 'teams', 'customer_update'] as const;

/**
 * Escalates a ticket to Sustained Engineering. The customer update starts as the server's template
 * and stays editable; it is posted as a public reply and the ticket goes on hold.
 * Mounted only while open, so every escalation starts from a fresh form.
 */
export function EscalateModal({ ticketId, onClose }: { ticketId: number; onClose: () => void }) {
  const templates = useUpdateTemplates();
  const escalate = useEscalateTicket(ticketId);
  const [classification, setClassification] = useState<Classification | null>(null);
  const [summary, setSummary] = useState('');
  const [teams, setTeams] = useState<Team[]>(['support', 'sustained_engineering']);
  // null until the agent edits it: until then the text follows the template.
  const [edited, setEdited] = useState<string | null>(null);
  const customerUpdate = edited ?? templates.data?.escalated ?? '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    escalate.mutate(
      // Blank values are left out so the API names the missing field ("Summary: cannot be blank").
      { classification: classification ?? undefined, summary: summary.trim() || undefined, teams, customer_update: edited?.trim() || undefined },
      {
        onSuccess: ({ escalation }) => {
          notifications.show({ color: 'green', message: `Ticket #${ticketId} escalated to engineering (escalation #${escalation.id}); it is now on hold` });
          onClose();
        },
      },
    );
  };
  const error = (field: (typeof FIELDS)[number]) => fieldError(escalate.error, field);

  return (
    <Modal opened onClose={onClose} title="Escalate to engineering" size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Select label="Classification" placeholder="What kind of problem is it?" data={CLASSIFICATION_OPTIONS} value={classification} onChange={(v) => setClassification(v as Classification | null)} error={error('classification')} required data-autofocus />
          <Textarea label="Summary for engineering" description="Internal: what happens, how to reproduce, what was tried. Not shown to the customer." autosize minRows={3} maxRows={10} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} error={error('summary')} required />
          <MultiSelect label="Teams involved" data={TEAM_OPTIONS} searchable value={teams} onChange={(v) => setTeams(v as Team[])} error={error('teams')} />
          <Textarea
            label="Customer update"
            description="Posted as a public reply to the requester (left empty, the default text is); the ticket goes On-hold."
            autosize
            minRows={3}
            maxRows={12}
            value={customerUpdate}
            placeholder={templates.isPending ? 'Loading the template…' : undefined}
            onChange={(e) => setEdited(e.currentTarget.value)}
            error={error('customer_update') ?? (templates.isError ? 'Could not load the template; write the update yourself or leave it empty for the default.' : undefined)}
          />
          {generalError(escalate.error, FIELDS) && (
            <Alert color="red" role="alert" title="Not escalated">
              {generalError(escalate.error, FIELDS)}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Each later stage posts its own update.
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={escalate.isPending}>
                Escalate
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
