import { ActionIcon, AppShell, Group, Kbd, Menu, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSignOut } from '../../auth/session';
import { HelpCenterNavLink } from '../../help/author/HelpCenterNavLink';
import { EscalationsNavLink } from '../escalation/EscalationsNavLink';
import { AwayMenuItems } from '../oncall/AwayToggle';
import { PagerMenu } from '../oncall/PagerMenu';
import { ShiftsNavLinks } from '../oncall/ShiftsNavLinks';
import { ReportsNavLink } from '../reports/ReportsNavLink';
import { SlaWarningsMenu } from '../sla/SlaWarningsMenu';
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp';
import { useShortcuts } from '../shortcuts/useShortcuts';
import { useCurrentAgent } from './CurrentAgent';
import { useExpiredSession } from './useExpiredSession';
import { ViewsNav } from './ViewsNav';

/** Header, views sidebar and the shortcuts help around every workspace page. */
export function AgentShell({ children }: { children: ReactNode }) {
  const me = useCurrentAgent();
  const signOut = useSignOut();
  const [helpOpen, help] = useDisclosure(false);
  useShortcuts({ '?': help.open });
  useExpiredSession();

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 250, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Text component={Link} to="/agent" fw={700} size="lg" c="orange.8" td="none">
            Sundial · Agent
          </Text>
          <Group gap="sm">
            <PagerMenu />
            <SlaWarningsMenu />
            <Tooltip label="Keyboard shortcuts">
              <ActionIcon variant="subtle" color="gray" onClick={help.open} aria-label="Keyboard shortcuts">
                <Kbd size="xs">?</Kbd>
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${me.name}`}>
                  <Text size="sm" fw={500}>
                    {me.name}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.email}</Menu.Label>
                <AwayMenuItems />
                <Menu.Item component={Link} to="/agent/account">
                  Account security
                </Menu.Item>
                <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ViewsNav />
        <EscalationsNavLink />
        <ShiftsNavLinks />
        <ReportsNavLink />
        <HelpCenterNavLink />
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
      <ShortcutsHelp opened={helpOpen} onClose={help.close} />
    </AppShell>
  );
}
