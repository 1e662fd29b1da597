import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../../ui/PageState';
import { useArticles, useCategories, useSections } from '../api';
import { articleState, VISIBILITY_LABEL } from './labels';

/** `/agent/help`: every article by category and section, with its state and audience. */
export function ArticlesPage() {
  useDocumentTitle('Help center articles · Sundial');
  const categories = useCategories();
  const sections = useSections();
  const articles = useArticles();
  const failed = [categories, sections, articles].find((q) => q.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  if (!categories.data || !sections.data || !articles.data) return <Loading label="Loading articles…" />;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={2}>Help center articles</Title>
          <Text size="sm" c="dimmed">
            Readers see the published copy; drafts and unpublished changes are for agents only.
          </Text>
        </div>
        <Group gap="xs">
          <Button component="a" href="/help" target="_blank" variant="subtle">
            View help center
          </Button>
          <Button component={Link} to="/agent/help/articles/new">
            New article
          </Button>
        </Group>
      </Group>
      {categories.data.map((c) => (
        <Paper key={c.id} withBorder p="md">
          <Title order={3} size="h4">
            {c.name}
          </Title>
          {sections.data
            .filter((s) => s.category_id === c.id)
            .map((s) => (
              <div key={s.id}>
                <Text fw={600} mt="sm">
                  {s.name}
                </Text>
                <Table highlightOnHover aria-label={`Articles in ${s.name}`}>
                  <Table.Tbody>
                    {articles.data
                      .filter((a) => a.section_id === s.id)
                      .map((a) => {
                        const state = articleState(a);
                        return (
                          <Table.Tr key={a.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/agent/help/articles/${a.id}`}>
                                {a.working_copy?.title ?? a.title}
                              </Anchor>
                            </Table.Td>
                            <Table.Td w={180}>
                              <Badge color={state.color} variant="light">
                                {state.label}
                              </Badge>
                            </Table.Td>
                            <Table.Td w={200}>
                              <Text size="sm" c={a.visibility === 'agents_only' ? 'orange' : undefined}>
                                {a.visibility ? VISIBILITY_LABEL[a.visibility] : ''}
                              </Text>
                            </Table.Td>
                            <Table.Td w={120}>
                              <Text size="sm" c="dimmed">
                                {a.vote_count ? `${a.vote_sum >= 0 ? '+' : ''}${a.vote_sum} of ${a.vote_count}` : ''}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                  </Table.Tbody>
                </Table>
              </div>
            ))}
        </Paper>
      ))}
    </Stack>
  );
}
