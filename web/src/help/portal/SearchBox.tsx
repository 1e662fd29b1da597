import { Button, Group, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';

/** The help center's search field; results open at /help/search?q=. */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const [query, setQuery] = useState(initial);
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) navigate(`/help/search?q=${encodeURIComponent(query.trim())}`);
  };
  return (
    <form onSubmit={submit} role="search" aria-label="Search the help center">
      <Group gap="xs" wrap="nowrap">
        <TextInput
          aria-label="Search articles"
          placeholder="Search articles, e.g. support packet"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: 1 }}
          size="md"
        />
        <Button type="submit" size="md">
          Search
        </Button>
      </Group>
    </form>
  );
}
