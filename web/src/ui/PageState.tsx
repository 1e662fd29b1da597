import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Loading, error and empty states, so no page ever shows a blank screen or raw error data. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" aria-busy="true">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        <Text c="dimmed" size="sm">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
  const title = error instanceof ApiError && error.status === 404 ? 'Not found' : 'Could not load this';
  return (
    <Alert color="red" title={title} role="alert" my="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap={4}>
        <Text fw={600}>{title}</Text>
        {children && (
          <Text c="dimmed" size="sm" ta="center">
            {children}
          </Text>
        )}
      </Stack>
    </Center>
  );
}

/** The parts of a TanStack query that QueryView reads. */
interface ViewableQuery<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

interface QueryViewProps<T> {
  query: ViewableQuery<T>;
  /** Shown beside the spinner while the first answer loads. */
  loadingLabel: string;
  emptyTitle: string;
  /** The empty state's explanation. */
  emptyText?: ReactNode;
  /** Whether the answer counts as empty; by default, an empty array. */
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

/** A query's loading, error and empty states, then its data as `children` draws it. */
export function QueryView<T>({ query, loadingLabel, emptyTitle, emptyText, isEmpty = (d) => Array.isArray(d) && !d.length, children }: QueryViewProps<T>) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError || query.data === undefined) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty(query.data)) return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  return <>{children(query.data)}</>;
}
