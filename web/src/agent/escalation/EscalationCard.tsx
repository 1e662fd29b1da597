import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { EscalatedTicket, Escalation } from '../api/escalations';
import { dateTime, planLabel } from '../format';
import { PriorityBadge, UNSQUEEZED } from '../views/TicketBadges';
import { ageText, CLASSIFICATION_COLOR, CLASSIFICATION_LABEL } from './escalationText';

const PLAN_COLOR: Record<string, string> = { premier: 'grape', enterprise: 'indigo', professional: 'blue', free: 'gray' };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One escalation on the board: the ticket, who it is for (plan), how old it is and what is linked. */
export function EscalationCard({ escalation, ticket, now }: { escalation: Escalation; ticket: EscalatedTicket | undefined; now: number }) {
  const prs = escalation.links.filter((l) => l.kind === 'pull_request').length;
  const issues = escalation.links.length - prs;
  return (
    <Card withBorder padding="xs" radius="sm" role="article" aria-label={`Escalation #${escalation.id}`}>
      <Stack gap={6}>
        <Anchor component={Link} to={`/agent/tickets/${escalation.ticket_id}`} size="sm" fw={600} lineClamp={2}>
          #{escalation.ticket_id} {ticket?.subject ?? ''}
        </Anchor>
        <Group gap={6} wrap="nowrap">
          <Text size="xs" c="dimmed" truncate style={{ flex: 1 }} title={ticket?.organization_name ?? undefined}>
            {ticket?.organization_name ?? 'No organization'}
          </Text>
          {ticket?.support_plan && (
            <Badge size="xs" variant="light" color={PLAN_COLOR[ticket.support_plan] ?? 'gray'} style={UNSQUEEZED} aria-label={`Plan: ${planLabel(ticket.support_plan)}`}>
              {planLabel(ticket.support_plan)}
            </Badge>
          )}
        </Group>
        <Group gap={6}>
          <PriorityBadge priority={ticket?.priority ?? null} />
          <Badge size="sm" variant="light" color={CLASSIFICATION_COLOR[escalation.classification]} style={UNSQUEEZED}>
            {CLASSIFICATION_LABEL[escalation.classification]}
          </Badge>
          <Text size="xs" c="dimmed" ml="auto" title={`Escalated ${dateTime(escalation.created_at)}`} aria-label={`Age ${ageText(escalation.created_at, now)}`}>
            {ageText(escalation.created_at, now)}
          </Text>
        </Group>
        <Text size="xs" c={escalation.links.length ? undefined : 'dimmed'}>
          {escalation.links.length ? [prs && plural(prs, 'PR'), issues && plural(issues, 'issue')].filter(Boolean).join(' · ') : 'No links'}
          {escalation.fix_version ? ` · fix in ${escalation.fix_version}` : ''}
        </Text>
      </Stack>
    </Card>
  );
}
