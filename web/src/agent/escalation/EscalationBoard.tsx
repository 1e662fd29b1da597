import { Badge, Box, Group, Paper, ScrollArea, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useEscalationBoard, type Classification, type EscalatedTicket, type Escalation, type EscalationStage } from '../api/escalations';
import { byId, planLabel } from '../format';
import { useNow } from '../useNow';
import { EscalationCard } from './EscalationCard';
import { CLASSIFICATION_OPTIONS, CLOSED_STAGES, OPEN_STAGES, STAGE_LABEL } from './escalationText';

const PLANS = ['premier', 'enterprise', 'professional', 'free'];
const PLAN_OPTIONS = PLANS.map((p) => ({ value: p, label: planLabel(p) }));

interface Filters {
  plan: string | null;
  classification: Classification | null;
}

/**
 * The engineering board: every open escalation in a column per stage, oldest first, with the plan
 * and age that decide what engineering picks up next. Filters live in the URL, so a board can be shared.
 */
export function EscalationBoard() {
  const [params, setParams] = useSearchParams();
  const filters: Filters = { plan: params.get('plan'), classification: params.get('classification') as Classification | null };
  const showClosed = params.get('closed') === '1';
  const open = useEscalationBoard(true);
  const closed = useEscalationBoard(false, showClosed);
  const now = useNow(60_000);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Engineering escalations</Title>
          <Text size="sm" c="dimmed">
            Open escalations by stage, oldest first. Each stage change posts an update to the customer.
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <Select label="Plan" placeholder="All plans" data={PLAN_OPTIONS} value={filters.plan} onChange={(v) => setParam('plan', v)} clearable w={160} />
          <Select label="Classification" placeholder="All classifications" data={CLASSIFICATION_OPTIONS} value={filters.classification} onChange={(v) => setParam('classification', v)} clearable w={220} />
          <Switch label="Show closed" checked={showClosed} onChange={(e) => setParam('closed', e.currentTarget.checked ? '1' : null)} mb={8} />
        </Group>
      </Group>
      <BoardSection query={open} stages={OPEN_STAGES} filters={filters} now={now} emptyTitle="No open escalations" loadingLabel="Loading escalations…" />
      {showClosed && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            Closed (most recent first)
          </Title>
          <BoardSection query={closed} stages={CLOSED_STAGES} filters={filters} now={now} emptyTitle="No closed escalations" loadingLabel="Loading closed escalations…" />
        </Stack>
      )}
    </Stack>
  );
}

function BoardSection(props: {
  query: ReturnType<typeof useEscalationBoard>;
  stages: EscalationStage[];
  filters: Filters;
  now: number;
  emptyTitle: string;
  loadingLabel: string;
}) {
  const { query, stages, filters, now } = props;
  if (query.isPending) return <Loading label={props.loadingLabel} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data.escalations.length) return <EmptyState title={props.emptyTitle}>Escalate a ticket from its page with "Escalate to engineering".</EmptyState>;

  const tickets = byId(query.data.tickets);
  const shown = query.data.escalations.filter((e) => {
    const plan = tickets.get(e.ticket_id)?.support_plan ?? null;
    return (!filters.plan || plan === filters.plan) && (!filters.classification || e.classification === filters.classification);
  });
  return (
    <ScrollArea type="auto" offsetScrollbars>
      {/* Columns share the width and scroll sideways only when they would get narrower than a card. */}
      <Box style={{ display: 'grid', gridTemplateColumns: `repeat(${stages.length}, minmax(230px, 1fr))`, gap: 'var(--mantine-spacing-sm)', alignItems: 'start' }}>
        {stages.map((stage) => (
          <Column key={stage} stage={stage} escalations={shown.filter((e) => e.stage === stage)} tickets={tickets} now={now} />
        ))}
      </Box>
    </ScrollArea>
  );
}

function Column({ stage, escalations, tickets, now }: { stage: EscalationStage; escalations: Escalation[]; tickets: Map<number, EscalatedTicket>; now: number }) {
  return (
    <Paper bg="gray.1" p="xs" radius="md" role="region" aria-label={STAGE_LABEL[stage]}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text fw={600} size="sm">
          {STAGE_LABEL[stage]}
        </Text>
        <Badge size="sm" variant="filled" color="gray" aria-label={`${escalations.length} escalations`}>
          {escalations.length}
        </Badge>
      </Group>
      <Stack gap="xs">
        {escalations.length === 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="sm">
            None
          </Text>
        ) : (
          escalations.map((e) => <EscalationCard key={e.id} escalation={e} ticket={tickets.get(e.ticket_id)} now={now} />)
        )}
      </Stack>
    </Paper>
  );
}
