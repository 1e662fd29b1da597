import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useArticle, useSection } from '../api';
import { ArticleBody } from '../ArticleBody';
import { FeedbackBox } from './FeedbackBox';
import { SearchBox } from './SearchBox';

/** `/help/articles/:id`: the published article and "was this helpful?". */
export function ArticlePage() {
  const id = Number(useParams().id);
  const article = useArticle(id);
  useDocumentTitle(`${article.data?.title ?? 'Article'} · Help center`);
  if (article.isPending) return <Loading label="Loading the article…" />;
  if (article.isError) {
    // Articles the reader may not see are "not found", like those that do not exist.
    if (article.error instanceof ApiError && article.error.status === 404) {
      return <EmptyState title="Article not found">It may have moved, or you may need to sign in to read it.</EmptyState>;
    }
    return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  }
  const a = article.data;
  return (
    <Stack gap="lg" maw={820}>
      <SearchBox />
      <Breadcrumbs>
        <Anchor component={Link} to="/help">Help center</Anchor>
        <SectionCrumb id={a.section_id} />
      </Breadcrumbs>
      <article aria-labelledby="article-title">
        <Title order={1} id="article-title">
          {a.title}
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Updated {new Date(a.edited_at).toLocaleDateString()}
        </Text>
        {a.body !== null && <ArticleBody html={a.body} />}
      </article>
      <FeedbackBox key={a.id} articleId={a.id} />
      <Text size="sm">
        Still need help? <Anchor component={Link} to="/requests/new">Submit a request</Anchor>
      </Text>
    </Stack>
  );
}

function SectionCrumb({ id }: { id: number }) {
  const section = useSection(id);
  return section.data ? (
    <Anchor component={Link} to={`/help/sections/${id}`}>
      {section.data.name}
    </Anchor>
  ) : (
    <Text>…</Text>
  );
}
