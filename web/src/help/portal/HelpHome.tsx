import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useArticles, useCategories, useSections } from '../api';
import { SearchBox } from './SearchBox';

/** `/help` (and `/help/categories/:id`): search, then categories → sections → the articles the reader may see. */
export function HelpHome() {
  useDocumentTitle('Help center · Sundial Support');
  const categoryId = Number(useParams().id) || null;
  const categories = useCategories();
  const sections = useSections();
  const articles = useArticles();
  const failed = [categories, sections, articles].find((q) => q.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  if (!categories.data || !sections.data || !articles.data) return <Loading label="Loading the help center…" />;
  const shown = categories.data.filter((c) => !categoryId || c.id === categoryId);

  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>Help center</Title>
        <Text c="dimmed" mt={4} mb="md">
          Answers to common questions, our priorities and response times, and what to send us with a request.
        </Text>
        <SearchBox />
      </div>
      {!shown.length && <EmptyState title="No articles yet">Check back soon, or submit a request.</EmptyState>}
      {shown.map((category) => (
        <section key={category.id} aria-labelledby={`category-${category.id}`}>
          <Title order={2} id={`category-${category.id}`}>
            <Anchor component={Link} to={`/help/categories/${category.id}`} c="inherit" inherit>
              {category.name}
            </Anchor>
          </Title>
          {category.description && <Text c="dimmed">{category.description}</Text>}
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
            {sections.data
              .filter((s) => s.category_id === category.id)
              .map((section) => (
                <Paper key={section.id} withBorder p="md" radius="md">
                  <Title order={3} size="h4">
                    <Anchor component={Link} to={`/help/sections/${section.id}`} c="inherit" inherit>
                      {section.name}
                    </Anchor>
                  </Title>
                  <Stack gap={4} mt="xs">
                    {articles.data
                      .filter((a) => a.section_id === section.id)
                      .map((a) => (
                        <Anchor key={a.id} component={Link} to={`/help/articles/${a.id}`} size="sm">
                          {a.title}
                        </Anchor>
                      ))}
                  </Stack>
                </Paper>
              ))}
          </SimpleGrid>
        </section>
      ))}
    </Stack>
  );
}
