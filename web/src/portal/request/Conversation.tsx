import { Anchor, Badge, Group, Paper, Stack, Text, Typography } from '@mantine/core';
import type { Attachment } from '../../api/client';
import { EmptyState } from '../../ui/PageState';
import { formatSize } from '../attachments/useUploads';
import type { Comment, CommentAuthor } from '../api/types';
import { formatDateTime } from '../requests/status';

function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  if (!attachments.length) return null;
  return (
    <Stack gap={2} mt="xs" aria-label="Attachments">
      {attachments.map((a) => (
        <Text size="sm" key={a.id}>
          <Anchor href={a.content_url} download={a.file_name}>{a.file_name}</Anchor>{' '}
          <Text span size="xs" c="dimmed">({formatSize(a.size)})</Text>
        </Text>
      ))}
    </Stack>
  );
}

/** The public conversation, oldest first. Bodies come from `html_body`, which the server has sanitized. */
export function Conversation({ comments, users, requesterId }: { comments: Comment[]; users: Map<number, CommentAuthor>; requesterId: number }) {
  if (!comments.length) return <EmptyState title="No messages yet" />;
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Conversation">
      {comments.map((c) => {
        const author = users.get(c.author_id);
        const fromSupport = author?.agent ?? false;
        return (
          <Paper
            key={c.id}
            component="li"
            withBorder
            p="md"
            radius="md"
            bg={fromSupport ? 'var(--mantine-color-orange-light)' : undefined}
            aria-label={`${author?.name ?? 'Someone'} on ${formatDateTime(c.created_at)}`}
          >
            <Group justify="space-between" gap="xs" mb="xs">
              <Group gap="xs">
                <Text fw={600} size="sm">{author?.name ?? 'Unknown user'}</Text>
                {fromSupport && <Badge size="xs" variant="filled">Support</Badge>}
                {c.author_id === requesterId && !fromSupport && <Badge size="xs" variant="light" color="gray">Requester</Badge>}
              </Group>
              <Text size="xs" c="dimmed">
                <time dateTime={c.created_at}>{formatDateTime(c.created_at)}</time>
              </Text>
            </Group>
            <Typography style={{ overflowWrap: 'anywhere', fontSize: 'var(--mantine-font-size-sm)' }}>
              <div dangerouslySetInnerHTML={{ __html: c.html_body }} />
            </Typography>
            <AttachmentList attachments={c.attachments} />
          </Paper>
        );
      })}
    </Stack>
  );
}
