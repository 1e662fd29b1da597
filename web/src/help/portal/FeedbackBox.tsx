import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { sendFeedback } from '../api';

/** "Was this article helpful?" with an optional comment for the authors. */
export function FeedbackBox({ articleId }: { articleId: number }) {
  const [helpful, setHelpful] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'asking' | 'sending' | 'sent'>('asking');
  const [error, setError] = useState<string | null>(null);

  const send = async (value: boolean, text?: string) => {
    setState('sending');
    setError(null);
    try {
      await sendFeedback(articleId, value, text);
      setState('sent');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Your answer could not be sent.');
      setState('asking');
    }
  };

  if (state === 'sent') {
    return (
      <Paper withBorder p="md" role="status">
        <Text>Thank you for your feedback.</Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="md" component="section" aria-label="Article feedback">
      <Stack gap="sm">
        <Group gap="sm">
          <Text fw={500}>Was this article helpful?</Text>
          <Button size="xs" variant={helpful === true ? 'filled' : 'light'} onClick={() => setHelpful(true)}>
            Yes
          </Button>
          <Button size="xs" variant={helpful === false ? 'filled' : 'light'} onClick={() => setHelpful(false)}>
            No
          </Button>
        </Group>
        {helpful !== null && (
          <>
            <Textarea
              label={helpful ? 'Anything we could add? (optional)' : 'What was missing or unclear? (optional)'}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              maxLength={5000}
              autosize
              minRows={2}
            />
            <Group>
              <Button size="sm" loading={state === 'sending'} onClick={() => send(helpful, comment.trim() || undefined)}>
                Send feedback
              </Button>
            </Group>
          </>
        )}
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
