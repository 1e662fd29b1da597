import { Badge, Group, Paper, Stack, Text, Typography } from '@mantine/core';
import type { Comment, User } from '../api/types';
import { dateTime, timeAgo } from '../format';
import { AttachmentList } from './AttachmentList';

function CommentCard({ comment, author }: { comment: Comment; author: User | undefined }) {
  const internal = !comment.public;
  const name = author?.name ?? 'Unknown user';
  return (
    <Paper
      component="article"
      withBorder
      p="sm"
      aria-label={`${internal ? 'Internal note' : 'Public reply'} by ${name}`}
      data-comment-kind={internal ? 'internal' : 'public'}
      // Internal notes are yellow with a label, as agents know them from Zendesk: never confused with what the customer sees.
      style={internal ? { background: 'var(--mantine-color-yellow-0)', borderColor: 'var(--mantine-color-yellow-5)', borderLeft: '4px solid var(--mantine-color-yellow-6)' } : undefined}
    >
      <Group justify="space-between" mb={6}>
        <Group gap="xs">
          <Text fw={600} size="sm">
            {name}
          </Text>
          {author && author.role !== 'end-user' && (
            <Badge size="xs" variant="light" color="gray">
              Agent
            </Badge>
          )}
          {internal && (
            <Badge size="sm" color="yellow" variant="filled" c="dark">
              Internal note
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" title={dateTime(comment.created_at)}>
          {timeAgo(comment.created_at)}
        </Text>
      </Group>
      {/* html_body is sanitized by the server; it is the only HTML ever rendered here. */}
      <Typography fz="sm">
        <div dangerouslySetInnerHTML={{ __html: comment.html_body }} />
      </Typography>
      <AttachmentList attachments={comment.attachments} />
    </Paper>
  );
}

/** The conversation, newest first so the latest answer sits right under the composer. */
export function Conversation({ comments, users }: { comments: Comment[]; users: Map<number, User> }) {
  const newestFirst = [...comments].reverse();
  return (
    <Stack gap="sm" aria-label="Conversation" component="section">
      {newestFirst.map((c) => (
        <CommentCard key={c.id} comment={c} author={users.get(c.author_id)} />
      ))}
    </Stack>
  );
}
