import { Anchor, AppShell, Burger, Button, Container, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { isStaff, useSession, useSignOut } from '../../auth/session';
import { PageErrorBoundary } from './PageErrorBoundary';
import { VerifyEmailBanner } from './VerifyEmailBanner';

/** Header + page frame for every customer page. Navigation collapses into a menu at phone width. */
export function PortalLayout() {
  const { data: user } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [menuOpen, menu] = useDisclosure(false);

  const onSignOut = async () => {
    await signOut();
    navigate('/');
  };

  return (
    <AppShell header={{ height: 60 }}>
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Anchor component={Link} to="/" underline="never" c="inherit" fw={700} size="lg">
              Sundial Support
            </Anchor>
            {user ? (
              <>
                <Group gap="md" visibleFrom="sm" wrap="nowrap">
                  <Anchor component={Link} to="/help">Help center</Anchor>
                  <Anchor component={Link} to="/requests/new">Submit a request</Anchor>
                  <Anchor component={Link} to="/requests">My requests</Anchor>
                  {isStaff(user) && <Anchor component={Link} to="/agent">Agent workspace</Anchor>}
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <UnstyledButton aria-label={`Account menu for ${user.name}`}>
                        <Text fw={500} truncate maw={180}>{user.name} ▾</Text>
                      </UnstyledButton>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Label>{user.email}</Menu.Label>
                      <Menu.Item component={Link} to="/account/password">Change password</Menu.Item>
                      <Menu.Item onClick={onSignOut}>Sign out</Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Group>
                <Menu opened={menuOpen} onChange={(open) => (open ? menu.open() : menu.close())} position="bottom-end" withinPortal>
                  <Menu.Target>
                    <Burger opened={menuOpen} hiddenFrom="sm" aria-label="Open navigation" size="sm" />
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>{user.name}</Menu.Label>
                    <Menu.Item component={Link} to="/help">Help center</Menu.Item>
                    <Menu.Item component={Link} to="/requests/new">Submit a request</Menu.Item>
                    <Menu.Item component={Link} to="/requests">My requests</Menu.Item>
                    {isStaff(user) && <Menu.Item component={Link} to="/agent">Agent workspace</Menu.Item>}
                    <Menu.Item component={Link} to="/account/password">Change password</Menu.Item>
                    <Menu.Item onClick={onSignOut}>Sign out</Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </>
            ) : (
              <Group gap="xs" wrap="nowrap">
                <Button component={Link} to="/help" variant="subtle" size="sm">Help center</Button>
                <Button component={Link} to="/login" variant="subtle" size="sm">Sign in</Button>
                <Button component={Link} to="/signup" size="sm">Sign up</Button>
              </Group>
            )}
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="lg" py="md">
          {user && !user.verified && <VerifyEmailBanner email={user.email} />}
          <PageErrorBoundary resetKey={pathname}>
            <Outlet />
          </PageErrorBoundary>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
