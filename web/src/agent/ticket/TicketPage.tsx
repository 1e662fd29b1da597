import { Alert, Grid, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { solveBlockedMessage, type SolveOverrideUpdate } from '../api/escalations';
import { errorMessages, isConflict, refreshTicket, useComments, useTicket, useUpdateTicket } from '../api/queries';
import type { TicketStatus, TicketUpdate } from '../api/types';
import { EscalationPanel } from '../escalation/EscalationPanel';
import { SolveOverrideModal } from '../escalation/SolveOverrideModal';
import { byId, dateTime, timeAgo } from '../format';
import { useCurrentAgent } from '../layout/CurrentAgent';
import { PagesPanel } from '../oncall/PagesPanel';
import { useShortcuts } from '../shortcuts/useShortcuts';
import { SlaBadge } from '../sla/SlaBadge';
import { SatisfactionBadge } from './SatisfactionBadge';
import { SlaPanel } from '../sla/SlaPanel';
import { lastView } from '../views/lastView';
import { PriorityBadge, StatusBadge } from '../views/TicketBadges';
import { assumedAbilities, selectableStatuses } from './abilities';
import { AuditTimeline } from './AuditTimeline';
import { Composer } from './Composer';
import { Conversation } from './Conversation';
import { FieldsPanel } from './FieldsPanel';
import { RequesterPanel } from './RequesterPanel';
import { AlsoViewing, ChangedElsewhere, UpdateConflict, UpdateErrors } from './TicketNotices';
import { useLiveTicket } from './useLiveTicket';
import { buildUpdate, useTicketDraft, type ComposerMode } from './useTicketDraft';

/** A fresh workspace per ticket: drafts, notices and live subscriptions never leak to the next one. */
export function TicketPage() {
  const id = Number(useParams().id);
  if (!Number.isInteger(id) || id <= 0) return <EmptyState title="No such ticket" />;
  return <TicketWorkspace key={id} ticketId={id} />;
}

function TicketWorkspace({ ticketId }: { ticketId: number }) {
  const me = useCurrentAgent();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const show = useTicket(ticketId);
  const comments = useComments(ticketId);
  const draft = useTicketDraft(ticketId);
  const update = useUpdateTicket(ticketId);
  const live = useLiveTicket(ticketId, me.id);
  const [tab, setTab] = useState<string | null>('conversation');
  const [action, setAction] = useState<'submit' | 'take' | null>(null);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  // A solve refused by an open escalation: the changes wait for the agent's override reason.
  const [solveBlocked, setSolveBlocked] = useState<{ changes: TicketUpdate; message: string } | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const focusComposer = (mode: ComposerMode) => {
    draft.setMode(mode);
    setTab('conversation');
    setTimeout(() => textareaRef.current?.focus(), 0); // after the conversation tab has rendered
  };
  useShortcuts({ r: () => focusComposer('public'), n: () => focusComposer('internal'), u: () => void navigate(lastView()) });

  if (show.isPending) return <Loading label="Loading ticket…" />;
  if (show.isError) return <ErrorState error={show.error} onRetry={() => void show.refetch()} />;

  const { ticket } = show.data;
  const abilities = show.data.abilities ?? assumedAbilities(ticket, me.id);
  const statuses = selectableStatuses(abilities, ticket.status);
  const users = new Map([...byId(show.data.users), ...(comments.data?.users ?? [])]);
  const organization = byId(show.data.organizations).get(ticket.organization_id ?? 0);
  const ccEmails = ticket.email_cc_ids.flatMap((uid) => users.get(uid)?.email ?? []);
  const submitStatus = draft.fields.status ?? ticket.status;
  const pendingUpdate = buildUpdate(ticket, draft, ccEmails, submitStatus);

  const send = (kind: 'submit' | 'take', changes: TicketUpdate) => {
    setErrors([]);
    setAction(kind);
    update.mutate(
      // The stamp is the version on screen: if it moved on meanwhile, the server answers 409.
      { changes, stamp: ticket.updated_at },
      {
        onSuccess: () => {
          setConflict(false);
          if (kind === 'submit') draft.clear();
          notifications.show({ color: 'green', message: kind === 'take' ? `You took ticket #${ticketId}` : `Ticket #${ticketId} updated` });
        },
        onError: (e) => {
          const blocked = solveBlockedMessage(e);
          if (isConflict(e)) setConflict(true);
          else if (blocked) setSolveBlocked({ changes, message: blocked });
          else setErrors(errorMessages(e));
        },
        onSettled: () => setAction(null),
      },
    );
  };
  const submit = (status: TicketStatus) => {
    const changes = buildUpdate(ticket, draft, ccEmails, status);
    if (Object.keys(changes).length) send('submit', changes);
  };
  const solveAnyway = (reason: string) => {
    const changes: SolveOverrideUpdate = { ...solveBlocked!.changes, solve_override_reason: reason };
    setSolveBlocked(null);
    send('submit', changes);
  };
  const reload = async () => {
    setReloading(true);
    await refreshTicket(qc, ticketId);
    setReloading(false);
    setConflict(false);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <SatisfactionBadge rating={ticket.satisfaction_rating} />
            <Text size="sm" c="dimmed">
              #{ticket.id} · via {ticket.via.channel} · created <span title={dateTime(ticket.created_at)}>{timeAgo(ticket.created_at)}</span>
            </Text>
          </Group>
          <Title order={2} mt={4}>
            {ticket.subject || '(no subject)'}
          </Title>
          {ticket.via_followup_source_id && (
            <Text size="sm">
              Follow-up of <Link to={`/agent/tickets/${ticket.via_followup_source_id}`}>#{ticket.via_followup_source_id}</Link>
            </Text>
          )}
        </div>
      </Group>
      <AlsoViewing viewers={live.viewers} />
      {live.changedBy && <ChangedElsewhere authorId={live.changedBy.authorId} users={users} onDismiss={live.dismissChange} />}
      {conflict && <UpdateConflict onReload={() => void reload()} reloading={reloading} />}
      <UpdateErrors messages={errors} onDismiss={() => setErrors([])} />
      {solveBlocked && <SolveOverrideModal message={solveBlocked.message} onCancel={() => setSolveBlocked(null)} onConfirm={solveAnyway} />}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List mb="sm">
              <Tabs.Tab value="conversation">Conversation</Tabs.Tab>
              <Tabs.Tab value="history">History</Tabs.Tab>
              {/* The countdown on the tab keeps the next due time in sight while replying. */}
              <Tabs.Tab value="sla" rightSection={<SlaBadge due={ticket.sla_next_breach_at} breachedSince={ticket.sla_breached_since} />}>
                SLA
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="conversation">
              <Stack gap="sm">
                {abilities.can_edit || abilities.can_add_note ? (
                  <Composer draft={draft} abilities={abilities} statuses={statuses} submitStatus={submitStatus} hasChanges={Object.keys(pendingUpdate).length > 0} submitting={action === 'submit'} onSubmit={submit} textareaRef={textareaRef} />
                ) : (
                  <Alert color="gray">This ticket is closed and can no longer be changed. A reply from the customer opens a follow-up.</Alert>
                )}
                {comments.isPending ? (
                  <Loading label="Loading conversation…" />
                ) : comments.isError ? (
                  <ErrorState error={comments.error} onRetry={() => void comments.refetch()} />
                ) : comments.data.comments.length === 0 ? (
                  <EmptyState title="No comments yet" />
                ) : (
                  <Conversation comments={comments.data.comments} users={users} />
                )}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <AuditTimeline ticketId={ticketId} knownUsers={users} />
            </Tabs.Panel>
            <Tabs.Panel value="sla">
              <SlaPanel ticketId={ticketId} />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="sm">
            <PagesPanel ticketId={ticketId} />
            <EscalationPanel ticketId={ticketId} canEdit={abilities.can_edit} ticketUpdatedAt={ticket.updated_at} />
            <FieldsPanel
              ticket={ticket}
              abilities={abilities}
              statuses={statuses}
              edits={draft.fields}
              onEdit={(change) => draft.setFields((old) => ({ ...old, ...change }))}
              onDiscard={() => draft.setFields({})}
              ccEmails={ccEmails}
              onTake={() => send('take', { assignee_id: me.id })}
              taking={action === 'take'}
            />
            <RequesterPanel ticket={ticket} requester={users.get(ticket.requester_id)} organization={organization} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
