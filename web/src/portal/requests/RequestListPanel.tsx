import { Group, Loader, Pagination, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { PER_PAGE } from '../api/queries';
import type { RequestListPage, SupportRequest } from '../api/types';
import { RequestTable } from './RequestTable';

/** The parts of a list query the panel needs (a search result is adapted to the same shape). */
export interface ListState {
  isPending: boolean;
  isFetching: boolean;
  isError: boolean;
  error: unknown;
  data?: RequestListPage;
  refetch: () => unknown;
}

interface Props {
  query: ListState;
  page: number;
  onPage: (page: number) => void;
  empty: ReactNode;
  /** Narrows the loaded rows (the client-side search fallback). */
  filter?: (r: SupportRequest) => boolean;
  label: string;
}

/** Loading, error, empty and paged states of one request list. */
export function RequestListPanel({ query, page, onPage, empty, filter, label }: Props) {
  if (query.isPending) return <Loading label="Loading requests…" />;
  if (query.isError || !query.data) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const rows = filter ? query.data.requests.filter(filter) : query.data.requests;
  const pages = Math.max(1, Math.ceil(query.data.count / PER_PAGE));
  if (!rows.length) return <>{empty}</>;
  const caption = filter ? `${rows.length} matching on this page` : `${query.data.count} ${query.data.count === 1 ? 'request' : 'requests'}`;
  return (
    <Stack gap="sm">
      <div style={{ position: 'relative' }}>
        {query.isFetching && !query.isPending && (
          <Loader size="xs" style={{ position: 'absolute', right: 0, top: 4 }} aria-label="Refreshing" />
        )}
        <RequestTable requests={rows} caption={caption} />
      </div>
      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={page} onChange={onPage} getControlProps={(control) => ({ 'aria-label': `${label}: ${control} page` })} getItemProps={(p) => ({ 'aria-label': `Page ${p}` })} />
        </Group>
      )}
    </Stack>
  );
}

export const NoRequests = ({ title, children }: { title: string; children?: ReactNode }) => <EmptyState title={title}>{children}</EmptyState>;
