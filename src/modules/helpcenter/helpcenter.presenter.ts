import type { HelpArticle, HelpCategory, HelpSection } from '../../platform/db-types.js';
import { isAgent, type Actor } from '../accounts/actor.js';
import { iso } from '../accounts/users.presenter.js';
import type { ArticleAttachment } from './article-files.service.js';
import type { ArticleVersion } from './articles.service.js';
import type { ArticleFeedback } from './feedback.service.js';
import type { ArticleHit } from './article-search.service.js';
import { renderArticleBody } from './article-body.js';

/** Sundial's help center speaks one locale; Zendesk clients still get the locale fields they read. */
export const LOCALE = 'en-us';
const hcUrl = (base: string, path: string) => `${base}/api/v2/help_center/${LOCALE}/${path}.json`;

export function presentCategory(base: string, c: HelpCategory) {
  return {
    id: c.id,
    url: hcUrl(base, `categories/${c.id}`),
    html_url: `${base}/help/categories/${c.id}`,
    position: c.position,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    name: c.name,
    description: c.description,
    locale: LOCALE,
    source_locale: LOCALE,
    outdated: false,
  };
}

export function presentSection(base: string, s: HelpSection) {
  return {
    id: s.id,
    url: hcUrl(base, `sections/${s.id}`),
    html_url: `${base}/help/sections/${s.id}`,
    category_id: s.category_id,
    position: s.position,
    sorting: 'manual',
    created_at: iso(s.created_at),
    updated_at: iso(s.updated_at),
    name: s.name,
    description: s.description,
    locale: LOCALE,
    source_locale: LOCALE,
    outdated: false,
    parent_section_id: null,
    theme_template: 'section_page',
  };
}

/**
 * Readers get the published copy. Agents also get how the article is shown (`visibility`, …) and its
 * working copy (`working_copy`), which differs from the published one while changes wait to be
 * published; a never-published article shows its working copy with `draft: true`.
 */
export function presentArticle(base: string, actor: Actor | null, a: HelpArticle, votes?: { sum: number; count: number }) {
  const published = a.published_at !== null;
  const article = {
    id: a.id,
    url: hcUrl(base, `articles/${a.id}`),
    html_url: `${base}/help/articles/${a.id}`,
    author_id: a.author_id,
    comments_disabled: a.comments_disabled,
    draft: !published,
    promoted: a.promoted,
    position: a.position,
    vote_sum: votes?.sum ?? 0,
    vote_count: votes?.count ?? 0,
    section_id: a.section_id,
    created_at: iso(a.created_at),
    updated_at: iso(a.updated_at),
    name: published ? a.published_title! : a.title,
    title: published ? a.published_title! : a.title,
    source_locale: LOCALE,
    locale: LOCALE,
    outdated: false,
    outdated_locales: [] as string[],
    edited_at: iso(published ? a.published_at! : a.edited_at),
    user_segment_id: null,
    user_segment_ids: [] as number[],
    permission_group_id: null,
    content_tag_ids: [] as string[],
    label_names: a.label_names,
    body: published ? a.published_html! : null,
  };
  if (!isAgent(actor)) return article;
  return {
    ...article,
    body: published ? article.body : renderArticleBody(a.body_source).html,
    visibility: a.visibility,
    organization_ids: a.organization_ids.map(Number),
    plans: a.plans,
    starter: a.starter_key !== null,
    body_markdown: published ? a.published_source : a.body_source,
    unpublished_changes: !published || a.title !== a.published_title || a.body_source !== a.published_source,
    working_copy: { title: a.title, body_markdown: a.body_source, edited_at: iso(a.edited_at), edited_by_id: a.edited_by },
    published_at: published ? iso(a.published_at!) : null,
  };
}

export function presentSearchResult(base: string, actor: Actor | null, hit: ArticleHit) {
  return { ...presentArticle(base, actor, hit), result_type: 'article', snippet: hit.snippet };
}

/** A short form for deflection suggestions and the agent's link picker. */
export function presentSuggestion(base: string, hit: ArticleHit) {
  return { id: hit.id, title: hit.published_title, html_url: `${base}/help/articles/${hit.id}`, snippet: hit.snippet, section_id: hit.section_id };
}

export function presentVersion(v: ArticleVersion) {
  return { number: v.number, kind: v.kind, title: v.title, body_markdown: v.body_source, author_id: v.author_id, created_at: iso(v.created_at) };
}

export function presentArticleAttachment(base: string, att: ArticleAttachment) {
  const relative = `/api/v2/help_center/articles/attachments/${att.id}/content`;
  return {
    id: att.id,
    url: `${base}/api/v2/help_center/articles/attachments/${att.id}.json`,
    article_id: att.article_id,
    display_file_name: att.file_name,
    file_name: att.file_name,
    locale: LOCALE,
    content_url: `${base}${relative}`,
    relative_path: relative,
    content_type: att.content_type,
    size: Number(att.size),
    inline: att.inline,
    created_at: iso(att.created_at),
    updated_at: iso(att.created_at),
  };
}

export function presentFeedback(f: ArticleFeedback) {
  return { id: f.id, article_id: f.article_id, user_id: f.user_id, user_name: f.user_name ?? null, helpful: f.helpful, comment: f.comment, created_at: iso(f.created_at), updated_at: iso(f.updated_at) };
}

/** Zendesk's vote object for /up and /down. */
export function presentVote(base: string, f: ArticleFeedback) {
  return { id: f.id, url: `${base}/api/v2/help_center/votes/${f.id}.json`, user_id: f.user_id, value: f.helpful ? 1 : -1, item_id: f.article_id, item_type: 'Article', created_at: iso(f.created_at), updated_at: iso(f.updated_at) };
}
