import { Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { recordAnswered, useSuggestions, type Suggestion } from '../api';
import { Snippet } from '../ArticleBody';

interface Props {
  subject: string;
  description: string;
  formId: number;
  /** The customer said this article answered the question: the request ends here, with no ticket. */
  onAnswered: (article: Suggestion) => void;
}

/**
 * Articles matching what the customer is typing, beside the request form. Asks only after typing
 * pauses, and keeps the last suggestions on screen while the next ones load.
 */
export function DeflectionPanel({ subject, description, formId, onAnswered }: Props) {
  const [[debouncedSubject, debouncedDescription]] = useDebouncedValue([subject.trim(), description.trim().slice(0, 2000)], 400);
  const suggestions = useSuggestions(debouncedSubject, debouncedDescription, formId);
  const [sending, setSending] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = suggestions.data ?? [];
  if (!list.length) return null;

  const answered = async (article: Suggestion) => {
    setSending(article.id);
    setError(null);
    try {
      await recordAnswered(article.id, subject.trim(), formId);
      onAnswered(article);
    } catch (e) {
      setSending(null);
      setError(e instanceof ApiError ? e.message : 'That did not work; please try again.');
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="aside" aria-labelledby="suggestions-title">
      <Title order={2} size="h4" id="suggestions-title">
        These articles may answer your question
      </Title>
      <Stack gap="md" mt="sm">
        {list.map((a) => (
          <div key={a.id} role="group" aria-label={a.title}>
            <Anchor href={`/help/articles/${a.id}`} target="_blank" rel="noopener" fw={600}>
              {a.title}
            </Anchor>
            <Text size="sm" c="dimmed" mt={2} lineClamp={3}>
              <Snippet html={a.snippet} />
            </Text>
            <Button size="xs" variant="light" mt={6} loading={sending === a.id} disabled={sending !== null && sending !== a.id} onClick={() => answered(a)}>
              This answered my question
            </Button>
          </div>
        ))}
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** What the customer sees after a suggested article answered the question: no request was sent. */
export function DeflectedNotice({ article }: { article: Suggestion }) {
  return (
    <Paper withBorder p="lg" radius="md" role="status">
      <Title order={2} size="h3">
        Glad that helped
      </Title>
      <Text mt="xs">
        No request was sent. You can read <Anchor href={`/help/articles/${article.id}`}>{article.title}</Anchor> again any time in the{' '}
        <Anchor href="/help">help center</Anchor>, or <Anchor href="/requests/new">submit a request</Anchor> if you need us after all.
      </Text>
    </Paper>
  );
}
