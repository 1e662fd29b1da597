import { Alert, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, put } from '../../api/client';
import { AttachmentDropzone } from '../attachments/AttachmentDropzone';
import { useUploads } from '../attachments/useUploads';
import type { SupportRequest } from '../api/types';

/**
 * Reply to a request. On a closed request the server opens a linked follow-up (201 with the new
 * request) instead, and we go there and explain why.
 */
export function ReplyBox({ request }: { request: SupportRequest }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const uploads = useUploads();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [sending, setSending] = useState(false);
  const closed = request.status === 'closed';

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    if (!body.trim() && !uploads.tokens.length) return setError('Write a reply or attach a file');
    if (uploads.items.some((i) => i.status === 'failed')) return setFailure('Remove the files that could not be attached before sending.');
    setSending(true);
    try {
      const res = await put<{ request: SupportRequest }>(`/api/v2/requests/${request.id}`, { request: { comment: { body, uploads: uploads.tokens } } });
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      if (res.request.id !== request.id) {
        navigate(`/requests/${res.request.id}`, { state: { followUpOf: request.id } });
        return;
      }
      queryClient.setQueryData(['request', request.id], res.request);
      await queryClient.invalidateQueries({ queryKey: ['request', request.id, 'comments'] });
      setBody('');
      uploads.reset();
      notifications.show({ color: 'green', message: 'Your reply was sent.' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setError(err.field('comment') ?? err.field('description') ?? err.message);
      else setFailure(err instanceof ApiError ? err.message : 'Could not send your reply. Please try again.');
    } finally {
      setSending(false);
    }
  };

  if (!request.can_comment) {
    return <Text size="sm" c="dimmed">You can read this request, but only its requester and CCs can reply.</Text>;
  }

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={send} noValidate>
        <Stack gap="sm">
          {closed && (
            <Alert color="gray" title="This request is closed">
              Replying opens a new follow-up request linked to this one.
            </Alert>
          )}
          <Textarea
            label={closed ? 'Reply (opens a follow-up)' : 'Your reply'}
            autosize
            minRows={4}
            maxRows={16}
            value={body}
            onChange={(e) => {
              setBody(e.currentTarget.value);
              setError(undefined);
            }}
            error={error}
          />
          <AttachmentDropzone uploads={uploads} compact />
          {failure && <Alert color="red" role="alert">{failure} Your text was kept.</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={sending} disabled={uploads.busy}>
              {closed ? 'Send and open follow-up' : 'Send reply'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
