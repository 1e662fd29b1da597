import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useParams } from 'react-router';
import { QueryView } from '../../ui/PageState';
import { useArticles, useSection } from '../api';

/** `/help/sections/:id`: one section's articles. */
export function SectionPage() {
  const id = Number(useParams().id);
  const section = useSection(id);
  const articles = useArticles(id);
  useDocumentTitle(`${section.data?.name ?? 'Section'} · Help center`);
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/help">Help center</Anchor>
        <Text>{section.data?.name ?? '…'}</Text>
      </Breadcrumbs>
      <QueryView query={section} loadingLabel="Loading the section…" emptyTitle="Section not found" isEmpty={() => false}>
        {(s) => (
          <div>
            <Title order={1}>{s.name}</Title>
            {s.description && <Text c="dimmed">{s.description}</Text>}
          </div>
        )}
      </QueryView>
      <QueryView query={articles} loadingLabel="Loading articles…" emptyTitle="No articles in this section">
        {(list) => (
          <Stack gap="xs">
            {list.map((a) => (
              <Anchor key={a.id} component={Link} to={`/help/articles/${a.id}`}>
                {a.title}
              </Anchor>
            ))}
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
