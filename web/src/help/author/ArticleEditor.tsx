import { Alert, Anchor, Badge, Button, FileButton, Grid, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorState, Loading } from '../../ui/PageState';
import { uploadArticleFile, useArticle, useArticleWrites, usePreview, useSections, type Article, type ArticleVersion } from '../api';
import { ArticleBody } from '../ArticleBody';
import { FeedbackList } from './FeedbackList';
import { articleState } from './labels';
import { VersionHistory } from './VersionHistory';
import { VisibilityFields, type Audience } from './VisibilityFields';

/** `/agent/help/articles/:id` (or `new`): loads the article, then the editor. */
export function ArticleEditorPage() {
  const { id } = useParams();
  const isNew = id === 'new';
  const article = useArticle(Number(id), !isNew);
  if (isNew) return <ArticleEditor key="new" article={null} />;
  if (article.isPending) return <Loading label="Loading the article…" />;
  if (article.isError) return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  return <ArticleEditor key={article.data.id} article={article.data} />;
}

/** Markdown with live preview, draft and publish, audience, images and files, history and feedback. */
function ArticleEditor({ article }: { article: Article | null }) {
  useDocumentTitle(`${article?.working_copy?.title ?? 'New article'} · Help center`);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const sections = useSections();
  const writes = useArticleWrites();
  const [title, setTitle] = useState(article?.working_copy?.title ?? '');
  const [body, setBody] = useState(article?.working_copy?.body_markdown ?? '');
  const [sectionId, setSectionId] = useState<string | null>(article ? String(article.section_id) : params.get('section'));
  const [audience, setAudience] = useState<Audience>({ visibility: article?.visibility ?? 'public', organization_ids: article?.organization_ids ?? [], plans: article?.plans ?? [] });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [debouncedBody] = useDebouncedValue(body, 300);
  const preview = usePreview(debouncedBody);
  const busy = writes.create.isPending || writes.saveDraft.isPending || writes.publish.isPending || writes.update.isPending || writes.restore.isPending;

  const save = async (publish: boolean) => {
    setError(null);
    setNotice(null);
    try {
      if (!article) {
        if (!sectionId) throw new ApiError(422, 'RecordInvalid', 'Choose a section for the article.');
        const created = await writes.create.mutateAsync({ sectionId: Number(sectionId), fields: { title, body, ...audience }, draft: !publish });
        navigate(`/agent/help/articles/${created.id}`, { replace: true });
        return;
      }
      // Audience and section are settings, applied at once; the text goes through draft → publish.
      await writes.update.mutateAsync({ id: article.id, article: { ...audience, section_id: Number(sectionId) } });
      await writes.saveDraft.mutateAsync({ id: article.id, title, body });
      if (publish) await writes.publish.mutateAsync(article.id);
      setNotice(publish ? 'Published: readers now see this version.' : 'Draft saved. Readers still see the published version.');
    } catch (e) {
      setError(e);
    }
  };

  const restore = async (v: ArticleVersion) => {
    if (!article) return;
    const restored = await writes.restore.mutateAsync({ id: article.id, number: v.number });
    setTitle(restored.working_copy?.title ?? v.title);
    setBody(restored.working_copy?.body_markdown ?? v.body_markdown);
    setNotice(`Version #${v.number} restored as a draft; publish it to show it to readers.`);
  };

  const insertAtCursor = (text: string) => {
    const el = bodyRef.current;
    const at = el?.selectionStart ?? body.length;
    setBody((b) => `${b.slice(0, at)}${text}${b.slice(at)}`);
  };

  const attach = async (file: File | null) => {
    if (!file || !article) return;
    setUploading(true);
    setError(null);
    try {
      const att = await uploadArticleFile(article.id, file);
      insertAtCursor(att.inline ? `\n![${att.file_name}](${att.relative_path})\n` : `[${att.file_name}](${att.relative_path})`);
      await queryClient.invalidateQueries({ queryKey: ['hc', 'attachments', article.id] });
    } catch (e) {
      setError(e);
    } finally {
      setUploading(false);
    }
  };

  const state = article ? articleState(article) : null;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Anchor component={Link} to="/agent/help" size="sm">
          ← All articles
        </Anchor>
        {article && !article.draft && (
          <Anchor href={`/help/articles/${article.id}`} target="_blank" size="sm">
            View as a reader
          </Anchor>
        )}
      </Group>
      <Group gap="sm">
        <Title order={2}>{article ? 'Edit article' : 'New article'}</Title>
        {state && (
          <Badge color={state.color} variant="light" data-testid="article-state">
            {state.label}
          </Badge>
        )}
        {article?.starter && (
          <Badge variant="outline" color="gray">
            Shipped with Sundial
          </Badge>
        )}
      </Group>
      {notice && (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {error !== null && (
        <Alert color="red" role="alert">
          {error instanceof ApiError ? Object.values(error.details).flat()[0]?.description ?? error.message : 'Saving failed; nothing you typed was lost.'}
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="sm">
            <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={255} />
            <Grid gap="sm">
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Textarea
                  ref={bodyRef}
                  label="Body (Markdown)"
                  description="Headings #, **bold**, lists, [links](https://…), tables; images with the button below."
                  autosize
                  minRows={18}
                  maxRows={40}
                  value={body}
                  onChange={(e) => setBody(e.currentTarget.value)}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Text size="sm" fw={500} mb={4}>
                  Preview
                </Text>
                <Paper withBorder p="sm" mih={300} aria-label="Preview" role="region">
                  <ArticleBody html={preview.data ?? ''} />
                </Paper>
              </Grid.Col>
            </Grid>
            <Group gap="xs">
              <FileButton onChange={attach} accept="image/png,image/jpeg,image/gif,image/webp,*/*">
                {(props) => (
                  <Button {...props} variant="default" size="xs" loading={uploading} disabled={!article}>
                    Add image or file
                  </Button>
                )}
              </FileButton>
              {!article && (
                <Text size="xs" c="dimmed">
                  Save the draft once to add images and files.
                </Text>
              )}
            </Group>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="md">
              <Stack gap="sm">
                <Select
                  label="Section"
                  required
                  data={(sections.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
                  value={sectionId}
                  onChange={setSectionId}
                  allowDeselect={false}
                />
                <VisibilityFields value={audience} onChange={setAudience} />
                <Group grow>
                  <Button variant="default" onClick={() => save(false)} loading={busy} disabled={!title.trim()}>
                    Save draft
                  </Button>
                  <Button onClick={() => save(true)} loading={busy} disabled={!title.trim()}>
                    Publish
                  </Button>
                </Group>
              </Stack>
            </Paper>
            {article && (
              <>
                <Paper withBorder p="md">
                  <Title order={3} size="h5" mb="xs">
                    History
                  </Title>
                  <VersionHistory articleId={article.id} onRestore={(v) => void restore(v)} restoring={busy} />
                </Paper>
                <Paper withBorder p="md">
                  <Title order={3} size="h5" mb="xs">
                    Reader feedback
                  </Title>
                  <FeedbackList articleId={article.id} />
                </Paper>
              </>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
