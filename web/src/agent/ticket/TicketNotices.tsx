import { Alert, Button, Group, List, Text } from '@mantine/core';
import type { User } from '../api/types';
import type { Viewer } from './useLiveTicket';

/** Collision warning: another agent has this ticket open and may be answering it right now. */
export function AlsoViewing({ viewers }: { viewers: Viewer[] }) {
  if (!viewers.length) return null;
  return (
    <Alert color="orange" variant="light" py={6} role="status" aria-label="Other agents on this ticket">
      <Text size="sm">Also viewing: {viewers.map((v) => v.name).join(', ')}</Text>
    </Alert>
  );
}

/** Tells the agent the page changed under them (it has already refreshed itself). */
export function ChangedElsewhere({ authorId, users, onDismiss }: { authorId: number | null; users: Map<number, User>; onDismiss: () => void }) {
  const who = authorId && authorId > 0 ? (users.get(authorId)?.name ?? 'Someone') : 'Sundial';
  return (
    <Alert color="blue" variant="light" py={6} role="status" withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss">
      <Text size="sm">{who} updated this ticket just now. You are seeing the latest version.</Text>
    </Alert>
  );
}

/** A refused safe update: nothing was saved, the draft is kept, and reloading shows what changed. */
export function UpdateConflict({ onReload, reloading }: { onReload: () => void; reloading: boolean }) {
  return (
    <Alert color="red" title="This ticket changed since you opened it" role="alert">
      <Group justify="space-between" align="center">
        <Text size="sm">Nothing was saved and your reply is kept. Reload the ticket, check what changed, then submit again.</Text>
        <Button size="xs" color="red" onClick={onReload} loading={reloading}>
          Reload ticket
        </Button>
      </Group>
    </Alert>
  );
}

/** A refused update with the server's reasons ("Assignee: is required when solving a ticket"). */
export function UpdateErrors({ messages, onDismiss }: { messages: string[]; onDismiss: () => void }) {
  if (!messages.length) return null;
  return (
    <Alert color="red" title="The ticket was not updated" role="alert" withCloseButton onClose={onDismiss} closeButtonLabel="Dismiss">
      <List size="sm">
        {messages.map((m) => (
          <List.Item key={m}>{m}</List.Item>
        ))}
      </List>
    </Alert>
  );
}
