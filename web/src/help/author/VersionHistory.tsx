import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { QueryView } from '../../ui/PageState';
import { useVersions, type ArticleVersion } from '../api';

/** Every save and publish of an article, newest first; restoring copies a version into the editor's draft. */
export function VersionHistory({ articleId, onRestore, restoring }: { articleId: number; onRestore: (v: ArticleVersion) => void; restoring: boolean }) {
  const versions = useVersions(articleId);
  return (
    <QueryView query={versions} loadingLabel="Loading history…" emptyTitle="No history yet">
      {(list) => (
        <Stack gap={6} role="list" aria-label="Version history">
          {list.map((v) => (
            <Group key={v.number} justify="space-between" wrap="nowrap" role="listitem">
              <div style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500}>
                    #{v.number}
                  </Text>
                  <Badge size="xs" variant="light" color={v.kind === 'published' ? 'green' : 'gray'}>
                    {v.kind === 'published' ? 'Published' : 'Draft'}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" truncate>
                  {new Date(v.created_at).toLocaleString()} · {v.title}
                </Text>
              </div>
              <Button size="compact-xs" variant="subtle" disabled={restoring} onClick={() => onRestore(v)} style={{ flexShrink: 0 }}>
                Restore
              </Button>
            </Group>
          ))}
        </Stack>
      )}
    </QueryView>
  );
}
