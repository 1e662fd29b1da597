import { Button, Popover, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useArticleSearch, type SearchResult } from '../api';
import { Snippet } from '../ArticleBody';

/**
 * Searches the help center from the ticket composer and inserts a link to the chosen article into the
 * reply. Only published articles are offered; internal ones are marked, since a customer cannot open them.
 */
export function ArticleLinkPicker({ onInsert }: { onInsert: (text: string) => void }) {
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 300);
  const search = useArticleSearch(debounced, 8);
  const results = debounced ? (search.data?.results ?? []) : [];

  const choose = (a: SearchResult) => {
    onInsert(`${a.title}: ${a.html_url}`);
    setOpened(false);
    setQuery('');
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="top-start" width={420} trapFocus withinPortal>
      <Popover.Target>
        <Button variant="subtle" size="xs" onClick={() => setOpened((o) => !o)}>
          Link an article
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput size="xs" label="Search help center articles" placeholder="e.g. support packet" value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-autofocus />
          <ScrollArea.Autosize mah={280}>
            <Stack gap={4} role="listbox" aria-label="Articles">
              {results.map((a) => (
                <UnstyledButton key={a.id} role="option" aria-selected={false} onClick={() => choose(a)} p={4} style={{ borderRadius: 4 }}>
                  <Text size="sm" fw={600}>
                    {a.title}
                    {a.visibility === 'agents_only' && (
                      <Text span size="xs" c="orange" ml={6}>
                        internal
                      </Text>
                    )}
                  </Text>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    <Snippet html={a.snippet} />
                  </Text>
                </UnstyledButton>
              ))}
              {debounced && search.data && !results.length && (
                <Text size="xs" c="dimmed">
                  No published article matches.
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
