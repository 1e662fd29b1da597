import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { NavLink as RouterNavLink, useLocation } from 'react-router';
import { useSignOut, type SessionUser } from '../auth/session';

const SECTIONS = [
  { to: '/admin/users', label: 'Users', hint: 'Staff and customers' },
  { to: '/admin/organizations', label: 'Organizations', hint: 'Plans, time zones, sharing' },
  { to: '/admin/groups', label: 'Groups', hint: 'Teams and members' },
  { to: '/admin/fields', label: 'Ticket fields', hint: 'Forms and categories' },
  { to: '/admin/sla', label: 'SLA policies', hint: 'Response targets and holidays' },
  { to: '/admin/paging', label: 'Paging', hint: 'Where Premier pages go' },
  { to: '/admin/on-call', label: 'On-call schedules', hint: 'Rotations and overrides' },
  { to: '/admin/regions', label: 'Regions & routing', hint: 'Follow-the-sun shifts' },
  { to: '/admin/security', label: 'Security', hint: 'Two-factor authentication' },
  { to: '/admin/audit-log', label: 'Audit log', hint: 'Who changed what, and when' },
];

export function AdminShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const signOut = useSignOut();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              Sundial Admin
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm">
              {user.name}
            </Text>
            <Button size="xs" variant="default" onClick={() => signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Admin sections">
        {SECTIONS.map((s) => (
          <NavLink
            key={s.to}
            component={RouterNavLink}
            to={s.to}
            label={s.label}
            description={s.hint}
            active={location.pathname.startsWith(s.to)}
            onClick={close}
          />
        ))}
        <NavLink component="a" href="/agent" label="Agent workspace" description="Back to tickets" mt="auto" />
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
