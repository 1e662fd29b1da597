import { Badge, Group, Stack, Text } from '@mantine/core';
import { QueryView } from '../../ui/PageState';
import { useFeedback } from '../api';

/** What readers answered to "was this helpful?", with their comments. */
export function FeedbackList({ articleId }: { articleId: number }) {
  const feedback = useFeedback(articleId);
  return (
    <QueryView query={feedback} loadingLabel="Loading feedback…" emptyTitle="No feedback yet">
      {(list) => (
        <Stack gap="xs">
          {list.map((f) => (
            <div key={f.id}>
              <Group gap={6}>
                <Badge size="xs" color={f.helpful ? 'green' : 'red'} variant="light">
                  {f.helpful ? 'Helpful' : 'Not helpful'}
                </Badge>
                <Text size="xs" c="dimmed">
                  {f.user_name ?? 'Anonymous'} · {new Date(f.updated_at).toLocaleDateString()}
                </Text>
              </Group>
              {f.comment && <Text size="sm">{f.comment}</Text>}
            </div>
          ))}
        </Stack>
      )}
    </QueryView>
  );
}
