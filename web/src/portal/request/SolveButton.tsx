import { Alert, Button, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, put } from '../../api/client';
import type { SupportRequest } from '../api/types';

/** "This solved my problem": only offered when the API says the customer may (`can_be_solved_by_me`). */
export function SolveButton({ request }: { request: SupportRequest }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const solve = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await put<{ request: SupportRequest }>(`/api/v2/requests/${request.id}`, { request: { solved: true } });
      queryClient.setQueryData(['request', request.id], res.request);
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      notifications.show({ color: 'green', message: 'Thanks! We marked your request as solved.' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not mark the request solved. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Text size="sm">Did our answer fix it?</Text>
        <Button color="green" onClick={solve} loading={busy}>This solved my problem</Button>
        {error && <Alert color="red" role="alert">{error}</Alert>}
      </Stack>
    </Paper>
  );
}
