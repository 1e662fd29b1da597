import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../auth/session';
import { Loading } from '../ui/PageState';
import { useRequestList } from './api/queries';
import { StatusBadge } from './requests/status';

function RecentRequests() {
  const list = useRequestList('mine', { page: 1, status: '', sortOrder: 'desc' });
  if (list.isPending) return <Loading label="Loading your requests…" />;
  if (list.isError || !list.data.requests.length) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="recent-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="recent-title">Your recent requests</Title>
        <Anchor component={Link} to="/requests" size="sm">See all</Anchor>
      </Group>
      <Stack gap="xs">
        {list.data.requests.slice(0, 5).map((r) => (
          <Group key={r.id} justify="space-between" wrap="nowrap" gap="sm">
            <Anchor component={Link} to={`/requests/${r.id}`} truncate="end" style={{ minWidth: 0 }}>#{r.id} {r.subject}</Anchor>
            <StatusBadge status={r.status} />
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function Card({ title, text, to, action }: { title: string; text: string; to: string; action: string }) {
  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={2} size="h4">{title}</Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">{text}</Text>
      <Button component={Link} to={to} variant="light">{action}</Button>
    </Paper>
  );
}

/** `/`: help-centre landing. Signed out it explains how to get an account; signed in it leads to the work. */
export function HomePage() {
  useDocumentTitle('Sundial Support');
  const { data: user, isPending } = useSession();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const search = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/requests${query.trim() ? `?q=${encodeURIComponent(query.trim())}` : ''}`);
  };

  if (isPending) return <Loading />;
  return (
    <Stack gap="xl" py={{ base: 'xs', sm: 'lg' }}>
      <div>
        <Title order={1}>How can we help?</Title>
        <Text c="dimmed" mt={4}>Our support team works around the clock across three continents.</Text>
      </div>
      {user ? (
        <>
          <form onSubmit={search} role="search">
            <Group align="flex-end" gap="sm">
              <TextInput label="Search your requests" placeholder="Subject, words or #number" value={query} onChange={(e) => setQuery(e.currentTarget.value)} style={{ flex: 1 }} miw={0} />
              <Button type="submit" variant="default">Search</Button>
            </Group>
          </form>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Card title="Submit a request" text="Report a technical problem, or ask about purchases, licences and renewals." to="/requests/new" action="Submit a request" />
            <Card title="My requests" text="Follow your requests, reply to our team and see requests you are copied on." to="/requests" action="View my requests" />
          </SimpleGrid>
          <RecentRequests />
        </>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Paper withBorder p="lg" radius="md">
            <Title order={2} size="h4">New to Sundial Support?</Title>
            <Text size="sm" c="dimmed" mt={4} mb="md">Create an account with your work email and verify it; then you can submit requests.</Text>
            <Button component={Link} to="/signup">Sign up</Button>
          </Paper>
          <Paper withBorder p="lg" radius="md">
            <Title order={2} size="h4">Already worked with us?</Title>
            <Text size="sm" c="dimmed" mt={4} mb="md">
              Sign in to see your requests. If you only ever emailed us, you already have an account: <Anchor component={Link} to="/forgot-password">set a password</Anchor>.
            </Text>
            <Button component={Link} to="/login" variant="light">Sign in</Button>
          </Paper>
        </SimpleGrid>
      )}
    </Stack>
  );
}
