import { Alert, Anchor, Button, Group, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useOrganizationRequestCount, useRequestList, useRequestSearch, type ListParams, type ListScope } from '../api/queries';
import type { SupportRequest } from '../api/types';
import { NoRequests, RequestListPanel } from './RequestListPanel';
import { STATUS_FILTERS } from './status';

const TABS: { value: ListScope; label: string; empty: string }[] = [
  { value: 'mine', label: 'My requests', empty: 'You have not submitted any requests yet.' },
  { value: 'ccd', label: "Requests I'm CC'd on", empty: 'Nobody has copied you on a request yet.' },
  { value: 'organization', label: 'Organization requests', empty: 'Your organization has no requests you can see.' },
];

/** Used only when the server has no search endpoint: match what is on screen. */
const matches = (text: string) => (r: SupportRequest) => {
  const needle = text.trim().toLowerCase().replace(/^#/, '');
  return String(r.id) === needle || r.subject.toLowerCase().includes(needle) || (r.description ?? '').toLowerCase().includes(needle);
};

/** `/requests`: the customer's lists with status filter, search and paging, all kept in the URL. */
export function RequestsPage() {
  useDocumentTitle('My requests · Sundial Support');
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((t) => t.value === params.get('tab'))?.value ?? 'mine') as ListScope;
  const status = params.get('status') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [text, setText] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);

  const update = (patch: Record<string, string | number | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === '' || (k === 'page' && v === 1)) next.delete(k); // defaults stay out of the URL
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };
  // The search text lives in the URL too (shareable, survives Back), once typing pauses...
  const urlText = params.get('q') ?? '';
  useEffect(() => {
    if (urlText !== debounced) update({ q: debounced, page: null });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  // ...and a link that changes it (the header's "My requests", Back) updates the box.
  useEffect(() => {
    if (urlText !== debounced) setText(urlText);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlText]);

  const listParams: ListParams = { page, status, sortOrder: 'desc' };
  const search = useRequestSearch(debounced, listParams);
  const searchFallback = !!debounced && search.data?.supported === false;
  const searching = !!debounced && !searchFallback;
  const list = useRequestList(tab, listParams, !searching);
  const orgCount = useOrganizationRequestCount();
  const tabs = TABS.filter((t) => t.value !== 'organization' || (orgCount.data ?? 0) > 0 || tab === 'organization');

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Requests</Title>
        <Button component={Link} to="/requests/new">Submit a request</Button>
      </Group>
      <Group gap="sm" align="flex-end" grow preventGrowOverflow={false}>
        <TextInput label="Search requests" placeholder="Subject, words or #number" type="search" value={text} onChange={(e) => setText(e.currentTarget.value)} miw={200} />
        <Select label="Status" data={STATUS_FILTERS} value={status} onChange={(v) => update({ status: v ?? '', page: null })} allowDeselect={false} maw={{ sm: 220 }} miw={160} />
      </Group>

      {searching ? (
        <Stack gap="xs">
          <Group gap="xs">
            <Text size="sm">Results for “{debounced}” in all requests you can see.</Text>
            <Anchor component="button" size="sm" onClick={() => setText('')}>Clear search</Anchor>
          </Group>
          {search.data?.supported !== false && (
            <RequestListPanel
              query={{ ...search, data: search.data?.supported ? search.data.page : undefined }}
              page={page}
              onPage={(p) => update({ page: p })}
              label="Search results"
              empty={<NoRequests title="No matching requests">Try other words, or another status.</NoRequests>}
            />
          )}
        </Stack>
      ) : (
        <Tabs value={tab} onChange={(v) => update({ tab: v === 'mine' ? null : v, page: null })} keepMounted={false}>
          <Tabs.List>
            {tabs.map((t) => (
              <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>
            ))}
          </Tabs.List>
          {tabs.map((t) => (
            <Tabs.Panel key={t.value} value={t.value} pt="sm">
              {searchFallback && (
                <Alert color="gray" mb="sm">Search looks through the requests on this page only.</Alert>
              )}
              <RequestListPanel
                query={list}
                page={page}
                onPage={(p) => update({ page: p })}
                label={t.label}
                filter={searchFallback ? matches(debounced) : undefined}
                empty={
                  searchFallback ? (
                    <NoRequests title="No matching requests on this page" />
                  ) : (
                    <NoRequests title={status ? 'No requests with this status' : 'No requests here yet'}>
                      {status ? 'Choose “Any status” to see them all.' : t.empty}
                    </NoRequests>
                  )
                }
              />
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
