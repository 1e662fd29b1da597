import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { fieldError, useUpdateEscalation, useUpdateTemplates, type Escalation, type EscalationStage } from '../api/escalations';
import { generalError, laterStages, STAGE_LABEL } from './escalationText';

const FIELDS = ['stage', 'fix_version', 'customer_update'] as const;

/**
 * Moves an escalation forward (or closes it without change). The customer update for the target
 * stage starts as the server's template and stays editable; it is posted as a public reply.
 * Mounted only while open, so it always starts from the template of its target.
 */
export function MoveStageModal({ escalation, initialTarget, onClose }: { escalation: Escalation; initialTarget: EscalationStage; onClose: () => void }) {
  const closing = initialTarget === 'closed_without_change';
  const [target, setTarget] = useState<EscalationStage>(initialTarget);
  const [fixVersion, setFixVersion] = useState(escalation.fix_version ?? '');
  const [typedVersion] = useDebouncedValue(fixVersion, 300);
  const templates = useUpdateTemplates(target === 'fix_in_production' ? typedVersion : '');
  // null until the agent edits it: until then the text follows the target's template (and the version).
  const [edited, setEdited] = useState<string | null>(null);
  const customerUpdate = edited ?? templates.data?.[target] ?? '';
  const move = useUpdateEscalation(escalation);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    move.mutate(
      // Unedited, the server words the update itself (with the exact fix version, never a stale template).
      { stage: target, customer_update: edited?.trim() || undefined, ...(target === 'fix_in_production' && fixVersion.trim() ? { fix_version: fixVersion.trim() } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `Escalation #${escalation.id} moved to ${STAGE_LABEL[target]}; the customer was updated` });
          onClose();
        },
      },
    );
  };
  const error = (field: (typeof FIELDS)[number]) => fieldError(move.error, field);
  const options = laterStages(escalation.stage).map((s) => ({ value: s, label: STAGE_LABEL[s] }));

  return (
    <Modal opened onClose={onClose} title={closing ? 'Close escalation without change' : 'Move escalation to the next stage'} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Now: <strong>{STAGE_LABEL[escalation.stage]}</strong>
          </Text>
          {!closing && (
            <Select
              label="Move to"
              description="Stages only move forward; later ones may be reached directly."
              data={options}
              value={target}
              allowDeselect={false}
              onChange={(v) => {
                if (!v) return;
                setTarget(v as EscalationStage);
                setEdited(null); // an update written for another stage would mislead the customer
              }}
              error={error('stage')}
            />
          )}
          {target === 'fix_in_production' && <TextInput label="Fix version" description="The release that ships the fix, e.g. 10.2.1" value={fixVersion} onChange={(e) => setFixVersion(e.currentTarget.value)} error={error('fix_version')} />}
          <Textarea
            label="Customer update"
            description="Posted as a public reply to the requester (left empty, the default text is)."
            autosize
            minRows={3}
            maxRows={12}
            value={customerUpdate}
            placeholder={templates.isPending ? 'Loading the template…' : undefined}
            onChange={(e) => setEdited(e.currentTarget.value)}
            error={error('customer_update') ?? (templates.isError ? 'Could not load the template; write the update yourself or leave it empty for the default.' : undefined)}
          />
          {generalError(move.error, FIELDS) && (
            <Alert color="red" role="alert" title="Not moved">
              {generalError(move.error, FIELDS)}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={closing ? 'red' : undefined} loading={move.isPending}>
              {closing ? 'Close without change' : `Move to ${STAGE_LABEL[target]}`}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
