import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, get, post, put } from '../api/client';

/*
 * The help center (issue 9) through Sundial's Zendesk-shaped Help Center API. Readers get published
 * articles they may see; agents also get the working copy and visibility of each article.
 */

export type Visibility = 'public' | 'signed_in' | 'organizations' | 'plans' | 'agents_only';
export type Plan = 'free' | 'professional' | 'enterprise' | 'premier';

export interface HelpCategory {
  id: number;
  name: string;
  description: string;
  position: number;
}
export interface HelpSection extends HelpCategory {
  category_id: number;
}
export interface Article {
  id: number;
  title: string;
  /** Sanitized HTML, rendered by the server. */
  body: string | null;
  section_id: number;
  draft: boolean;
  html_url: string;
  updated_at: string;
  edited_at: string;
  vote_sum: number;
  vote_count: number;
  label_names: string[];
  // Agents only:
  visibility?: Visibility;
  organization_ids?: number[];
  plans?: Plan[];
  starter?: boolean;
  unpublished_changes?: boolean;
  published_at?: string | null;
  working_copy?: { title: string; body_markdown: string; edited_at: string; edited_by_id: number | null };
}
export interface SearchResult extends Article {
  /** HTML with matches in <em>; everything else escaped by the server. */
  snippet: string;
}
export interface Suggestion {
  id: number;
  title: string;
  html_url: string;
  snippet: string;
}
export interface ArticleVersion {
  number: number;
  kind: 'draft' | 'published';
  title: string;
  body_markdown: string;
  author_id: number | null;
  created_at: string;
}
export interface ArticleAttachment {
  id: number;
  file_name: string;
  content_type: string;
  relative_path: string;
  size: number;
  inline: boolean;
}
export interface Feedback {
  id: number;
  helpful: boolean;
  comment: string | null;
  user_name: string | null;
  updated_at: string;
}
export interface DeflectionRate {
  deflections: number;
  web_requests: number;
  deflection_rate_pct: number | null;
}

const HC = '/api/v2/help_center';

export const useCategories = () => useQuery({ queryKey: ['hc', 'categories'], queryFn: () => get<{ categories: HelpCategory[] }>(`${HC}/categories?per_page=100`).then((r) => r.categories) });
export const useSections = () => useQuery({ queryKey: ['hc', 'sections'], queryFn: () => get<{ sections: HelpSection[] }>(`${HC}/sections?per_page=100`).then((r) => r.sections) });
export const useSection = (id: number) => useQuery({ queryKey: ['hc', 'section', id], queryFn: () => get<{ section: HelpSection }>(`${HC}/sections/${id}`).then((r) => r.section) });

/** Every article the caller may see (the help center is small: a few pages at most). */
export const useArticles = (sectionId?: number) =>
  useQuery({
    queryKey: ['hc', 'articles', sectionId ?? 'all'],
    queryFn: () => get<{ articles: Article[] }>(sectionId ? `${HC}/sections/${sectionId}/articles?per_page=100` : `${HC}/articles?per_page=100`).then((r) => r.articles),
  });

export const useArticle = (id: number, enabled = true) =>
  useQuery({ queryKey: ['hc', 'article', id], queryFn: () => get<{ article: Article }>(`${HC}/articles/${id}`).then((r) => r.article), enabled });

export const useArticleSearch = (query: string, perPage = 25) =>
  useQuery({
    queryKey: ['hc', 'search', query, perPage],
    queryFn: () => get<{ results: SearchResult[]; count: number }>(`${HC}/articles/search?${new URLSearchParams({ query, per_page: String(perPage) })}`),
    enabled: query.trim().length > 0,
    placeholderData: keepPreviousData,
  });

/** Articles matching a request being written (recorded server-side as shown suggestions). */
export const useSuggestions = (subject: string, description: string, formId: number) =>
  useQuery({
    queryKey: ['hc', 'suggestions', subject, description, formId],
    queryFn: () => post<{ articles: Suggestion[] }>(`${HC}/deflection/suggestions`, { deflection: { subject, description, ticket_form_id: formId } }).then((r) => r.articles),
    enabled: `${subject} ${description}`.trim().length >= 4,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

export const recordAnswered = (articleId: number, subject: string, formId: number) =>
  post(`${HC}/deflection/answered`, { deflection: { article_id: articleId, subject, ticket_form_id: formId } });

export const sendFeedback = (articleId: number, helpful: boolean, comment?: string) => post(`${HC}/articles/${articleId}/feedback`, { feedback: { helpful, comment } });

export const useVersions = (id: number) =>
  useQuery({ queryKey: ['hc', 'versions', id], queryFn: () => get<{ versions: ArticleVersion[] }>(`${HC}/articles/${id}/versions`).then((r) => r.versions) });
export const useAttachments = (id: number) =>
  useQuery({ queryKey: ['hc', 'attachments', id], queryFn: () => get<{ article_attachments: ArticleAttachment[] }>(`${HC}/articles/${id}/attachments`).then((r) => r.article_attachments) });
export const useFeedback = (id: number) =>
  useQuery({ queryKey: ['hc', 'feedback', id], queryFn: () => get<{ feedback: Feedback[] }>(`${HC}/articles/${id}/feedback`).then((r) => r.feedback) });

export const usePreview = (body: string) =>
  useQuery({ queryKey: ['hc', 'preview', body], queryFn: () => post<{ html: string }>(`${HC}/preview`, { body }).then((r) => r.html), placeholderData: keepPreviousData });

export const useDeflectionRate = (params: Record<string, string>) =>
  useQuery({ queryKey: ['reports', 'deflection', params], queryFn: () => get<{ deflection: DeflectionRate }>(`/api/v2/reports/deflection?${new URLSearchParams(params)}`).then((r) => r.deflection) });

export interface ArticleFields {
  title: string;
  body: string;
  visibility: Visibility;
  organization_ids: number[];
  plans: Plan[];
}

/** Authoring writes; each refreshes what the help center shows afterwards. */
export function useArticleWrites() {
  const qc = useQueryClient();
  const done = async (article: Article) => {
    qc.setQueryData(['hc', 'article', article.id], article);
    await qc.invalidateQueries({ queryKey: ['hc'] });
    return article;
  };
  const unwrap = (r: { article: Article }) => done(r.article);
  return {
    create: useMutation({
      mutationFn: (v: { sectionId: number; fields: ArticleFields; draft: boolean }) =>
        post<{ article: Article }>(`${HC}/sections/${v.sectionId}/articles`, { article: { ...v.fields, draft: v.draft } }).then(unwrap),
    }),
    saveDraft: useMutation({ mutationFn: (v: { id: number; title: string; body: string }) => put<{ article: Article }>(`${HC}/articles/${v.id}/draft`, { draft: { title: v.title, body: v.body } }).then(unwrap) }),
    publish: useMutation({ mutationFn: (id: number) => post<{ article: Article }>(`${HC}/articles/${id}/publish`).then(unwrap) }),
    update: useMutation({ mutationFn: (v: { id: number; article: Record<string, unknown> }) => put<{ article: Article }>(`${HC}/articles/${v.id}`, { article: v.article }).then(unwrap) }),
    restore: useMutation({ mutationFn: (v: { id: number; number: number }) => post<{ article: Article }>(`${HC}/articles/${v.id}/versions/${v.number}/restore`).then(unwrap) }),
  };
}

/** Uploads an image or file to an article (raw body, name in the query, like /api/v2/uploads). */
export async function uploadArticleFile(articleId: number, file: File): Promise<ArticleAttachment> {
  const res = await api<{ article_attachment: ArticleAttachment }>('POST', `${HC}/articles/${articleId}/attachments?${new URLSearchParams({ filename: file.name })}`, file, {
    headers: { 'Content-Type': 'application/binary' },
  });
  return res.article_attachment;
}
