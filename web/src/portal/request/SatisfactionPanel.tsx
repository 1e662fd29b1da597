import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { rateRequest } from '../api/queries';
import type { SupportRequest } from '../api/types';

const LABEL = { good: 'Good, I’m satisfied', bad: 'Bad, I’m unsatisfied' } as const;
type Score = keyof typeof LABEL;

/**
 * "How would you rate the support you received?" on a solved request, for its requester: Good / Bad,
 * an optional comment, and the current rating. The rating can change until the request closes; after
 * that it is shown read-only.
 */
export function SatisfactionPanel({ request }: { request: SupportRequest }) {
  const queryClient = useQueryClient();
  const rated = request.satisfaction_rating && request.satisfaction_rating.score !== 'offered' ? request.satisfaction_rating : null;
  const [score, setScore] = useState<Score | null>((rated?.score as Score | undefined) ?? null);
  const [comment, setComment] = useState(rated?.comment ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (request.status !== 'solved') {
    if (!rated) return null;
    return (
      <Paper withBorder p="md" radius="md" component="section" aria-label="Your rating">
        <Text size="sm">
          You rated our support: <strong>{LABEL[rated.score as Score]}</strong>
          {rated.comment ? ` — “${rated.comment}”` : ''}
        </Text>
      </Paper>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!score) return setError('Choose Good or Bad first.');
    setBusy(true);
    setError(null);
    try {
      const saved = await rateRequest(request.id, score, comment);
      queryClient.setQueryData<SupportRequest>(['request', request.id], (r) => (r ? { ...r, satisfaction_rating: saved } : r));
      notifications.show({ color: 'green', message: 'Thank you! Your rating was saved.' });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save your rating. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Rate our support">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text fw={600} size="sm">How would you rate the support you received?</Text>
          <Group gap="xs" role="group" aria-label="Your rating">
            {(['good', 'bad'] as const).map((s) => (
              <Button
                key={s}
                size="xs"
                color={s === 'good' ? 'green' : 'red'}
                variant={score === s ? 'filled' : 'default'}
                aria-pressed={score === s}
                onClick={() => setScore(s)}
              >
                {LABEL[s]}
              </Button>
            ))}
          </Group>
          <Textarea label="Comment (optional)" autosize minRows={2} maxLength={5000} value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
          <Button type="submit" loading={busy} disabled={!score}>{rated ? 'Update rating' : 'Send rating'}</Button>
          {rated && (
            <Text size="xs" c="dimmed" role="status">
              Your rating: {LABEL[rated.score as Score]}{rated.comment ? ` — “${rated.comment}”` : ''}. You can change it until the request is closed.
            </Text>
          )}
          {error && <Alert color="red" role="alert">{error}</Alert>}
        </Stack>
      </form>
    </Paper>
  );
}
