import { ActionIcon, Button, CloseButton, FileButton, Group, Menu, Paper, Progress, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import type { RefObject } from 'react';
import { uploadFile } from '../../api/client';
import { ArticleLinkPicker } from '../../help/author/ArticleLinkPicker';
import type { Abilities, TicketStatus } from '../api/types';
import { STATUS_LABEL } from '../format';
import type { ComposerMode, TicketDraft } from './useTicketDraft';

interface Props {
  draft: TicketDraft;
  abilities: Abilities;
  submitStatus: TicketStatus;
  statuses: TicketStatus[];
  hasChanges: boolean;
  submitting: boolean;
  onSubmit: (status: TicketStatus) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}

// Public replies go to the customer; notes never do. The two must never be mistaken for each other.
const LOOK: Record<ComposerMode, { label: string; bg: string; border: string; placeholder: string }> = {
  public: { label: 'Public reply', bg: 'white', border: 'var(--mantine-color-blue-5)', placeholder: 'Write a reply to the requester and CCs…' },
  internal: { label: 'Internal note', bg: 'var(--mantine-color-yellow-0)', border: 'var(--mantine-color-yellow-6)', placeholder: 'Write a note only agents can see…' },
};

/** The reply box: public reply or internal note, attachments with progress, and "Submit as <status>". */
export function Composer({ draft, abilities, submitStatus, statuses, hasChanges, submitting, onSubmit, textareaRef }: Props) {
  const modes = [
    ...(abilities.can_reply_publicly ? [{ value: 'public', label: 'Public reply' }] : []),
    ...(abilities.can_add_note ? [{ value: 'internal', label: 'Internal note' }] : []),
  ];
  const mode: ComposerMode = modes.some((m) => m.value === draft.mode) ? draft.mode : ((modes[0]?.value as ComposerMode) ?? 'internal');
  const look = LOOK[mode];
  const uploading = draft.uploads.some((u) => !u.token && !u.error);

  const attach = (files: File[]) => {
    for (const file of files) {
      const key = `${file.name}-${Date.now()}-${Math.random()}`;
      const patch = (change: Partial<TicketDraft['uploads'][number]>) => draft.setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));
      draft.setUploads((list) => [...list, { key, name: file.name, progress: 0 }]);
      uploadFile(file, (progress) => patch({ progress })).then(
        ({ token }) => patch({ token, progress: 1 }),
        (e: Error) => patch({ error: e.message }),
      );
    }
  };

  // A help-center link goes where the cursor was, on a line of its own.
  const insertLink = (text: string) => {
    const at = textareaRef.current?.selectionStart ?? draft.body.length;
    const before = draft.body.slice(0, at);
    draft.setBody(`${before}${before && !before.endsWith('\n') ? '\n' : ''}${text}\n${draft.body.slice(at)}`);
  };

  if (!modes.length) return null;
  return (
    <Paper p="sm" withBorder style={{ background: look.bg, borderColor: look.border, borderWidth: 2 }} role="region" aria-label="Composer">
      <Stack gap="xs">
        <SegmentedControl size="xs" data={modes} value={mode} onChange={(v) => draft.setMode(v as ComposerMode)} color={mode === 'internal' ? 'yellow' : 'blue'} aria-label="Reply type" w="fit-content" />
        <Textarea
          ref={textareaRef}
          label={look.label}
          placeholder={look.placeholder}
          autosize
          minRows={4}
          maxRows={16}
          value={draft.body}
          onChange={(e) => draft.setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur(); // hands the keyboard back to the shortcuts
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && hasChanges && !uploading) onSubmit(submitStatus);
          }}
          styles={{ input: { background: mode === 'internal' ? 'var(--mantine-color-yellow-1)' : undefined } }}
        />
        {draft.uploads.map((u) => (
          <Group key={u.key} gap="xs" wrap="nowrap">
            <Text size="xs" w={200} truncate>
              {u.name}
            </Text>
            {u.error ? (
              <Text size="xs" c="red" role="alert">
                {u.error}
              </Text>
            ) : (
              <Progress value={u.progress * 100} w={160} size="sm" aria-label={`Uploading ${u.name}`} color={u.token ? 'green' : 'blue'} />
            )}
            <CloseButton size="sm" aria-label={`Remove ${u.name}`} onClick={() => draft.setUploads((list) => list.filter((x) => x.key !== u.key))} />
          </Group>
        ))}
        <Group justify="space-between">
          <Group gap={0}>
            <FileButton onChange={attach} multiple>
              {(props) => (
                <Button {...props} variant="subtle" size="xs">
                  Attach files
                </Button>
              )}
            </FileButton>
            <ArticleLinkPicker onInsert={insertLink} />
          </Group>
          <Group gap={0} wrap="nowrap">
            <Button onClick={() => onSubmit(submitStatus)} loading={submitting} disabled={!hasChanges || uploading} style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}>
              Submit as {STATUS_LABEL[submitStatus]}
            </Button>
            <Menu position="top-end">
              <Menu.Target>
                <ActionIcon size={36} variant="filled" disabled={submitting || uploading} aria-label="Submit as another status" style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: '1px solid rgba(255,255,255,.4)' }}>
                  ▾
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {statuses.map((s) => (
                  <Menu.Item key={s} onClick={() => onSubmit(s)}>
                    Submit as {STATUS_LABEL[s]}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
