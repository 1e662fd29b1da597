import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useViewCounts, useViews, useViewTickets, type SortField, type ViewParams } from '../api/queries';
import { isInteractive, useShortcuts } from '../shortcuts/useShortcuts';
import { BulkBar } from './BulkBar';
import { rememberView } from './lastView';
import { TicketTable, type Sort } from './TicketTable';
import { matchesFilter, toRows } from './ticketRows';

const PER_PAGE = 30;
const SORT_FIELDS: SortField[] = ['id', 'created_at', 'updated_at', 'priority', 'status', 'subject', 'sla_next_breach_at', 'solved_at'];
/** A first click shows newest first, except for SLA, where the ticket due soonest matters most. */
const firstOrder = (by: SortField): 'asc' | 'desc' => (by === 'sla_next_breach_at' ? 'asc' : 'desc');

/** Sort and page (its cursor) live in the URL, so Back from a ticket returns to the same place in the list. */
function useListParams(): [ViewParams, (next: Partial<ViewParams>) => void] {
  const [search, setSearch] = useSearchParams();
  const order = search.get('sort_order');
  const params: ViewParams = {
    sortBy: SORT_FIELDS.find((f) => f === search.get('sort_by')),
    sortOrder: order === 'asc' || order === 'desc' ? order : undefined,
    after: search.get('after') ?? undefined,
    before: search.get('before') ?? undefined,
    perPage: PER_PAGE,
  };
  const update = (next: Partial<ViewParams>) => {
    const merged = { ...params, ...next };
    const entries = { sort_by: merged.sortBy, sort_order: merged.sortOrder, after: merged.after, before: merged.before };
    setSearch(Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => !!e[1])), { replace: true });
  };
  return [params, update];
}

/** A fresh list per view: selection and the highlighted row never carry over to another view. */
export function ViewPage() {
  const viewId = Number(useParams().viewId);
  if (!Number.isInteger(viewId) || viewId <= 0) return <EmptyState title="No such view">Pick a view on the left.</EmptyState>;
  return <ViewTickets key={viewId} viewId={viewId} />;
}

/** One view: its tickets, sortable and filterable, with selection, bulk actions and j/k/Enter. */
function ViewTickets({ viewId }: { viewId: number }) {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => rememberView(location.pathname + location.search), [location]);
  const views = useViews();
  const [params, setParams] = useListParams();
  const list = useViewTickets(viewId, params);
  const counts = useViewCounts(views.data?.map((v) => v.id) ?? []);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [activeIndex, setActiveIndex] = useState(0);
  const rows = useMemo(() => toRows(list.data).filter((r) => matchesFilter(r, filter)), [list.data, filter]);
  const view = views.data?.find((v) => v.id === viewId);
  const active = Math.min(activeIndex, rows.length - 1);

  const toggle = (id: number) =>
    setSelected((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  useShortcuts({
    j: () => setActiveIndex(Math.min(active + 1, rows.length - 1)),
    k: () => setActiveIndex(Math.max(active - 1, 0)),
    x: () => rows[active] && toggle(rows[active].ticket.id),
    Enter: (e) => (isInteractive(e.target) || !rows[active] ? false : void navigate(`/agent/tickets/${rows[active].ticket.id}`)),
  });

  // Until the agent picks a column, the view's own order applies (oldest first for queues).
  const sort: Sort = {
    by: params.sortBy ?? view?.execution?.sort_by ?? '',
    order: params.sortOrder ?? view?.execution?.sort_order ?? 'desc',
  };
  const onSort = (by: SortField) => setParams({ sortBy: by, sortOrder: sort.by === by ? (sort.order === 'desc' ? 'asc' : 'desc') : firstOrder(by), after: undefined, before: undefined });
  // Paging back past the start returns a short page: show the first page instead (it holds those rows too).
  const atStart = !!params.before && !!list.data && !list.isPlaceholderData && list.data.tickets.length < PER_PAGE;
  useEffect(() => {
    if (atStart) setParams({ before: undefined });
  });
  const toggleAll = () => setSelected((old) => (rows.every((r) => old.has(r.ticket.id)) ? new Set() : new Set(rows.map((r) => r.ticket.id))));
  const selectedTickets = rows.filter((r) => selected.has(r.ticket.id)).map((r) => r.ticket);
  const total = counts.data?.get(viewId)?.value;
  const meta = list.data?.meta;
  // Any cursor means an earlier page exists; meta.has_more, that a later one does.
  const hasPrevious = !!(params.after || params.before) && !!meta?.before_cursor;
  const hasNext = !!meta?.has_more && !!meta.after_cursor;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{view?.title ?? 'View'}</Title>
          {total !== undefined && (
            <Text size="sm" c="dimmed">
              {total} ticket{total === 1 ? '' : 's'}
            </Text>
          )}
        </div>
        <TextInput label="Filter this page" placeholder="Subject, requester, organization…" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} w={320} />
      </Group>
      {selectedTickets.length > 0 && (
        <BulkBar
          tickets={selectedTickets}
          onClear={() => setSelected(new Set())}
          onFinished={(done) => setSelected((old) => new Set([...old].filter((id) => !done.includes(id))))}
        />
      )}
      {list.isPending ? (
        <Loading label="Loading tickets…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={filter ? 'No tickets match the filter' : 'No tickets in this view'}>{filter ? 'Clear the filter to see every ticket on this page.' : 'Nothing is waiting here right now.'}</EmptyState>
      ) : (
        <TicketTable rows={rows} sort={sort} onSort={onSort} selected={selected} onToggle={toggle} onToggleAll={toggleAll} activeIndex={active} />
      )}
      {(hasPrevious || hasNext) && (
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" disabled={!hasPrevious} onClick={() => setParams({ before: meta?.before_cursor ?? undefined, after: undefined })}>
            Previous page
          </Button>
          <Button size="xs" variant="default" disabled={!hasNext} onClick={() => setParams({ after: meta?.after_cursor ?? undefined, before: undefined })}>
            Next page
          </Button>
        </Group>
      )}
    </Stack>
  );
}
