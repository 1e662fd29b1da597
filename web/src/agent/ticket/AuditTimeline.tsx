import { List, Text, Timeline } from '@mantine/core';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useAgents, useAudits, useFormsAndFields, useGroups } from '../api/queries';
import type { Audit, User } from '../api/types';
import { byId, dateTime, timeAgo } from '../format';
import { describeEvent, type AuditNames } from './auditText';

/** Automations (auto-close and other rules) act as Sundial itself, not as a person. */
const authorName = (audit: Audit, users: Map<number, User>) =>
  audit.via.channel === 'rule' || audit.author_id === null || audit.author_id < 0 ? 'Sundial' : (users.get(audit.author_id)?.name ?? `User #${audit.author_id}`);

/** The ticket's history: who changed what, oldest first, in words. */
export function AuditTimeline({ ticketId, knownUsers }: { ticketId: number; knownUsers: Map<number, User> }) {
  const audits = useAudits(ticketId);
  const agents = useAgents();
  const groups = useGroups();
  const { forms, fields } = useFormsAndFields();
  if (audits.isPending) return <Loading label="Loading history…" />;
  if (audits.isError) return <ErrorState error={audits.error} onRetry={() => void audits.refetch()} />;
  if (!audits.data.length) return <EmptyState title="No history yet" />;

  const names: AuditNames = {
    users: new Map([...byId(agents.data), ...knownUsers]),
    groups: byId(groups.data),
    fields: byId(fields.data),
    forms: byId(forms.data),
  };
  return (
    <Timeline bulletSize={14} lineWidth={2} active={audits.data.length} aria-label="Ticket history">
      {audits.data.map((audit) => {
        const isCreation = audit.events.some((e) => e.type === 'Create');
        return (
          <Timeline.Item key={audit.id} title={`${authorName(audit, names.users)}${isCreation ? ' created the ticket' : ''}`}>
            <Text size="xs" c="dimmed" title={dateTime(audit.created_at)}>
              {timeAgo(audit.created_at)} · via {audit.via.channel}
            </Text>
            <List size="sm" mt={4}>
              {audit.events.map((event, i) => (
                <List.Item key={event.id ?? i}>{describeEvent(event, names)}</List.Item>
              ))}
            </List>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
