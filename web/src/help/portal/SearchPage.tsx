import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useArticleSearch } from '../api';
import { Snippet } from '../ArticleBody';
import { SearchBox } from './SearchBox';

/** `/help/search?q=`: ranked articles with the matching words highlighted. */
export function SearchPage() {
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  useDocumentTitle(`Search: ${q} · Help center`);
  const search = useArticleSearch(q);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/help" size="sm">
        ← Help center
      </Anchor>
      <Title order={1}>Search results</Title>
      <SearchBox key={q} initial={q} />
      {search.isError ? (
        <ErrorState error={search.error} onRetry={() => void search.refetch()} />
      ) : !search.data ? (
        q ? <Loading label="Searching…" /> : null
      ) : !search.data.results.length ? (
        <EmptyState title={`No articles match “${q}”`}>Try other words, or submit a request and we will help.</EmptyState>
      ) : (
        <Stack gap="sm" aria-label="Search results" role="list">
          <Text size="sm" c="dimmed">
            {search.data.count} {search.data.count === 1 ? 'article' : 'articles'}
          </Text>
          {search.data.results.map((r) => (
            <Paper key={r.id} withBorder p="md" role="listitem">
              <Anchor component={Link} to={`/help/articles/${r.id}`} fw={600}>
                {r.title}
              </Anchor>
              <Text size="sm" mt={4}>
                <Snippet html={r.snippet} />
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
