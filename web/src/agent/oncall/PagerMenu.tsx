import { ActionIcon, Anchor, Badge, Button, Group, Indicator, Menu, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessages, useAgents } from '../api/queries';
import { useAcknowledgePage, useOpenPages, useTicketSubjects, type Page } from '../api/oncall';
import { byId, timeAgo } from '../format';
import { LEVEL_LABEL } from './oncallText';

/**
 * The header's pager: open Premier pages across the desk (polled every 30 s, since pages are raised
 * by background jobs), each with its ticket and an Acknowledge button.
 */
export function PagerMenu() {
  const pages = useOpenPages();
  const list = pages.data ?? [];
  const subjects = useTicketSubjects(list.map((p) => p.ticket_id));
  const people = byId(useAgents().data);
  const ack = useAcknowledgePage();
  // Controlled: the entries are links and buttons, not menu items, so a ticket link closes it by hand.
  const [opened, setOpened] = useState(false);
  const acknowledge = (page: Page) =>
    ack.mutate(page, {
      onSuccess: (d) => notifications.show({ color: 'green', message: d.already_acknowledged ? `The page on #${page.ticket_id} was already acknowledged` : `You acknowledged the page on #${page.ticket_id}` }),
      onError: (e) => notifications.show({ color: 'red', title: 'Not acknowledged', message: errorMessages(e).join(' ') }),
    });

  return (
    <Menu position="bottom-end" width={380} opened={opened} onChange={setOpened}>
      <Menu.Target>
        <Tooltip label="Open Premier pages">
          <Indicator disabled={!list.length} label={list.length} size={16} color="red" processing={list.length > 0}>
            <ActionIcon w="auto" px={6} variant={list.length ? 'light' : 'subtle'} color={list.length ? 'red' : 'gray'} aria-label={`${list.length} open ${list.length === 1 ? 'page' : 'pages'}`}>
              <Text size="xs" fw={700}>
                Pager
              </Text>
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown aria-label="Open pages">
        <Menu.Label>Open pages: Premier urgent/high tickets</Menu.Label>
        {pages.isError && (
          <Text size="sm" c="red" px="sm" py="xs">
            Could not load pages.
          </Text>
        )}
        {!pages.isError && !list.length && (
          <Text size="sm" c="dimmed" px="sm" py="xs">
            {pages.isPending ? 'Loading…' : 'Nobody is being paged.'}
          </Text>
        )}
        {list.map((p) => {
          const paged = p.user_id ? (people.get(p.user_id)?.name ?? `user #${p.user_id}`) : 'nobody on call';
          return (
            <Group key={p.id} justify="space-between" wrap="nowrap" px="sm" py={6} data-testid={`pager-page-${p.id}`}>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/agent/tickets/${p.ticket_id}`} onClick={() => setOpened(false)} size="sm" fw={500} lineClamp={1}>
                  #{p.ticket_id} {subjects.data?.get(p.ticket_id) ?? ''}
                </Anchor>
                <Group gap={4} wrap="nowrap">
                  <Badge size="xs" color={p.level === 'backup' ? 'orange' : 'red'} variant="light">
                    {LEVEL_LABEL[p.level]}
                  </Badge>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {paged} · send {p.sends} · {timeAgo(p.created_at)}
                  </Text>
                </Group>
              </Stack>
              <Button size="compact-xs" color="red" loading={ack.isPending && ack.variables?.id === p.id} onClick={() => acknowledge(p)} aria-label={`Acknowledge the page on #${p.ticket_id}`}>
                Acknowledge
              </Button>
            </Group>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
