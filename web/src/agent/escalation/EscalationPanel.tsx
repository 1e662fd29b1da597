import { Badge, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorState } from '../../ui/PageState';
import { escalationKeys, fieldError, useTicketEscalations, useUpdateEscalation, type Escalation, type EscalationStage } from '../api/escalations';
import { dateTime } from '../format';
import { UNSQUEEZED } from '../views/TicketBadges';
import { EscalateModal } from './EscalateModal';
import { EscalationLinks } from './EscalationLinks';
import { EscalationStepper } from './EscalationStepper';
import { CLASSIFICATION_COLOR, CLASSIFICATION_LABEL, generalError, laterStages, STAGE_LABEL, TEAM_LABEL } from './escalationText';
import { MoveStageModal } from './MoveStageModal';

interface Props {
  ticketId: number;
  /** The agent may change the ticket (escalating and moving stages post on it). */
  canEdit: boolean;
  /** The ticket's version: a stage moved by a webhook posts on the ticket, so a new version re-reads the escalations. */
  ticketUpdatedAt: string;
}

/**
 * The ticket's engineering escalation: "Escalate to engineering" while none is open; otherwise its
 * stage on the path, links, fix version, and the moves that each post a customer update.
 */
export function EscalationPanel({ ticketId, canEdit, ticketUpdatedAt }: Props) {
  const qc = useQueryClient();
  const escalations = useTicketEscalations(ticketId);
  const [escalating, setEscalating] = useState(false);
  const [moving, setMoving] = useState<EscalationStage | null>(null);

  const seen = useRef(ticketUpdatedAt);
  useEffect(() => {
    if (seen.current === ticketUpdatedAt) return;
    seen.current = ticketUpdatedAt;
    void qc.invalidateQueries({ queryKey: escalationKeys.ofTicket(ticketId) });
  }, [qc, ticketId, ticketUpdatedAt]);

  // Nothing while loading: the panel sits above the fields, and a spinner that collapses into a
  // one-line button would shift them twice on every ticket opened.
  if (escalations.isPending) return null;
  if (escalations.isError) return <ErrorState error={escalations.error} onRetry={() => void escalations.refetch()} />;

  const list = escalations.data;
  const open = list.find((e) => e.open);
  const current = open ?? list[list.length - 1];
  const earlier = list.filter((e) => e !== current);
  const escalateModal = escalating && <EscalateModal ticketId={ticketId} onClose={() => setEscalating(false)} />;
  if (!current) {
    // Never escalated: one compact line, so the fields below stay in view.
    if (!canEdit) return null;
    return (
      <Paper withBorder p="xs" role="region" aria-label="Engineering escalation">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" c="dimmed">
            Not escalated
          </Text>
          <Button size="xs" variant="light" color="orange" onClick={() => setEscalating(true)} style={{ flexShrink: 0 }}>
            Escalate to engineering
          </Button>
        </Group>
        {escalateModal}
      </Paper>
    );
  }

  return (
    <Paper withBorder p="sm" role="region" aria-label="Engineering escalation">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>Engineering escalation</Text>
          <Badge variant="light" color={current.open ? 'orange' : 'gray'} style={UNSQUEEZED}>
            #{current.id} {current.open ? 'open' : 'closed'}
          </Badge>
        </Group>
        <EscalationDetails escalation={current} canEdit={canEdit} onMove={setMoving} />
        {!open && canEdit && (
          <Button size="xs" variant="light" color="orange" onClick={() => setEscalating(true)}>
            Escalate to engineering again
          </Button>
        )}
        {earlier.length > 0 && (
          <Stack gap={2}>
            <Text size="xs" fw={600}>
              Earlier escalations
            </Text>
            {earlier.map((e) => (
              <Text key={e.id} size="xs" c="dimmed">
                #{e.id} · {CLASSIFICATION_LABEL[e.classification]} · {STAGE_LABEL[e.stage]}
                {e.closed_at ? ` · ${dateTime(e.closed_at)}` : ''}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
      {escalateModal}
      {moving && open && <MoveStageModal escalation={open} initialTarget={moving} onClose={() => setMoving(null)} />}
    </Paper>
  );
}

function EscalationDetails({ escalation, canEdit, onMove }: { escalation: Escalation; canEdit: boolean; onMove: (target: EscalationStage) => void }) {
  const next = laterStages(escalation.stage)[0];
  return (
    <Stack gap="xs">
      <Group gap={6}>
        <Badge size="sm" variant="light" color={CLASSIFICATION_COLOR[escalation.classification]} style={UNSQUEEZED}>
          {CLASSIFICATION_LABEL[escalation.classification]}
        </Badge>
        {escalation.teams.map((t) => (
          <Badge key={t} size="sm" variant="outline" color="gray" style={UNSQUEEZED}>
            {TEAM_LABEL[t] ?? t}
          </Badge>
        ))}
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {escalation.summary}
      </Text>
      <EscalationStepper escalation={escalation} />
      <EscalationLinks escalation={escalation} canEdit={canEdit && escalation.open} />
      {escalation.open && canEdit ? (
        <FixVersionField escalation={escalation} />
      ) : (
        escalation.fix_version && (
          <Text size="sm">
            Fix version: <strong>{escalation.fix_version}</strong>
          </Text>
        )
      )}
      {escalation.open && canEdit && (
        <Group gap="xs">
          {next && (
            <Button size="xs" onClick={() => onMove(next)} aria-label="Move to next stage">
              Move to next stage
            </Button>
          )}
          <Button size="xs" variant="subtle" color="red" onClick={() => onMove('closed_without_change')}>
            Close without change
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The release expected to ship the fix; set early when known, or when moving to "fix in production". */
function FixVersionField({ escalation }: { escalation: Escalation }) {
  const [value, setValue] = useState(escalation.fix_version ?? '');
  const save = useUpdateEscalation(escalation);
  const changed = value.trim() !== (escalation.fix_version ?? '') && value.trim() !== '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changed) save.mutate({ fix_version: value.trim() });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput size="xs" style={{ flex: 1 }} label="Fix version" placeholder="e.g. 10.2.1" value={value} onChange={(e) => setValue(e.currentTarget.value)} error={fieldError(save.error, 'fix_version') ?? generalError(save.error, ['fix_version'])} />
        <Button size="xs" type="submit" variant="light" disabled={!changed} loading={save.isPending} aria-label="Save fix version">
          Save
        </Button>
      </Group>
    </form>
  );
}
