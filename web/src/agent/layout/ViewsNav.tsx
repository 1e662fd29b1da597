import { Badge, Loader, NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { ErrorState } from '../../ui/PageState';
import { useViewCounts, useViews } from '../api/queries';
import type { ViewCount } from '../api/types';

function CountBadge({ count }: { count: ViewCount | undefined }) {
  if (!count || count.value === null) return <Loader size={10} aria-label="Counting" />;
  // A stale count is still useful; the lighter badge says it is being recounted.
  return (
    <Badge size="sm" variant={count.fresh ? 'filled' : 'light'} color="gray" title={count.fresh ? undefined : 'Being recounted'}>
      {count.value}
    </Badge>
  );
}

/** The sidebar: every view with its ticket count. */
export function ViewsNav() {
  const { pathname } = useLocation();
  const views = useViews();
  const counts = useViewCounts(views.data?.map((v) => v.id) ?? []);
  if (views.isPending) return <Loader size="sm" m="md" aria-label="Loading views" />;
  if (views.isError) return <ErrorState error={views.error} onRetry={() => void views.refetch()} />;
  return (
    <Stack gap={2} component="nav" aria-label="Views">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb={4}>
        Views
      </Text>
      {views.data.map((view) => (
        <NavLink
          key={view.id}
          component={Link}
          to={`/agent/views/${view.id}`}
          active={pathname === `/agent/views/${view.id}`}
          aria-current={pathname === `/agent/views/${view.id}` ? 'page' : undefined}
          label={view.title}
          rightSection={<CountBadge count={counts.data?.get(view.id)} />}
        />
      ))}
    </Stack>
  );
}
