import { Anchor, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldError, useAddLink, type Escalation, type EscalationLink } from '../api/escalations';
import { UNSQUEEZED } from '../views/TicketBadges';
import { generalError, linkName } from './escalationText';

const KIND: Record<EscalationLink['kind'], { label: string; color: string }> = {
  pull_request: { label: 'PR', color: 'violet' },
  issue: { label: 'Issue', color: 'blue' },
};

/** The issues and pull requests behind an escalation; GitHub and tracker webhooks move it through them. */
export function EscalationLinks({ escalation, canEdit }: { escalation: Escalation; canEdit: boolean }) {
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        Links
      </Text>
      {escalation.links.length === 0 ? (
        <Text size="xs" c="dimmed">
          No issue or pull request linked yet.
        </Text>
      ) : (
        <Stack gap={4} role="list" aria-label="Linked issues and pull requests">
          {escalation.links.map((link) => (
            <Group key={link.id} gap={6} wrap="nowrap" role="listitem">
              <Badge size="xs" variant="light" color={KIND[link.kind].color} style={UNSQUEEZED}>
                {KIND[link.kind].label}
              </Badge>
              <Anchor href={link.url} target="_blank" rel="noreferrer" size="sm" truncate title={link.url}>
                {linkName(link)}
              </Anchor>
            </Group>
          ))}
        </Stack>
      )}
      {canEdit && <AddLinkForm escalation={escalation} />}
    </Stack>
  );
}

function AddLinkForm({ escalation }: { escalation: Escalation }) {
  const [url, setUrl] = useState('');
  const add = useAddLink(escalation);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!url.trim()) return;
    add.mutate(url.trim(), { onSuccess: () => setUrl('') });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          aria-label="Add link"
          placeholder="Issue or GitHub pull request URL"
          value={url}
          onChange={(e) => {
            setUrl(e.currentTarget.value);
            if (add.error) add.reset();
          }}
          error={fieldError(add.error, 'url') ?? generalError(add.error, ['url'])}
        />
        <Button size="xs" type="submit" variant="light" loading={add.isPending} disabled={!url.trim()}>
          Add link
        </Button>
      </Group>
    </form>
  );
}
