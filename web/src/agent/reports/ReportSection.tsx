import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, Loading } from '../../ui/PageState';
import type { ReportEndpoint, ReportParams } from '../api/reports';
import { CsvLink } from './CsvLink';

/**
 * One table or chart of the dashboard: a titled region with its CSV download, and the loading and
 * error states of its own query (one slow report never blanks the others).
 */
export function ReportSection<T>(props: {
  title: string;
  description?: ReactNode;
  query: UseQueryResult<T>;
  csv?: { endpoint: ReportEndpoint; params: ReportParams };
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  return (
    <Paper withBorder p="md" component="section" aria-label={props.title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} size="h4">
              {props.title}
            </Title>
            {props.description && (
              <Text size="sm" c="dimmed">
                {props.description}
              </Text>
            )}
          </div>
          {props.csv && <CsvLink endpoint={props.csv.endpoint} params={props.csv.params} label={props.title} />}
        </Group>
        {query.isPending ? (
          <Loading label={`Loading ${props.title.toLowerCase()}…`} />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          // Figures of a previous period stay visible, dimmed, while the new ones load.
          <div style={{ opacity: query.isPlaceholderData ? 0.5 : 1, transition: 'opacity 150ms' }} aria-busy={query.isFetching && query.isPlaceholderData}>
            {props.children(query.data)}
          </div>
        )}
      </Stack>
    </Paper>
  );
}
