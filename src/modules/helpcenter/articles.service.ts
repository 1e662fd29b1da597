import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Db, Executor } from '../../platform/db.js';
import type { HelpArticle, HelpArticleVersionsTable, HelpArticlesTable } from '../../platform/db-types.js';
import { forbidden, notFound, Problems } from '../../platform/errors.js';
import { applySlice, sliceOf, type PageRequest } from '../../platform/pagination.js';
import { canAuthorArticles, canSeeArticle, visibleArticles } from '../../permissions/articles.js';
import type { Actor } from '../accounts/actor.js';
import { renderArticleBody } from './article-body.js';
import type { ArticleInput } from './helpcenter.schema.js';

export type ArticleVersion = Selectable<HelpArticleVersionsTable>;

/** An article the actor may read (agents: drafts too); anything else is "not found". */
export async function findArticle(db: Executor, actor: Actor | null, id: number): Promise<HelpArticle> {
  const article = await db.selectFrom('help_articles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!article || !canSeeArticle(actor, article)) throw notFound();
  return article;
}

export interface ArticleFilter {
  sectionId?: number;
  categoryId?: number;
  labelNames?: string[];
}

/** Visible articles in position order (offset pages) or id order (cursor pages), one row extra. */
export async function listArticles(db: Db, actor: Actor | null, filter: ArticleFilter, page: PageRequest): Promise<{ rows: HelpArticle[]; count: number }> {
  let q = db.selectFrom('help_articles').where(visibleArticles(actor));
  if (filter.sectionId !== undefined) q = q.where('section_id', '=', filter.sectionId);
  if (filter.categoryId !== undefined) q = q.where('section_id', 'in', db.selectFrom('help_sections').select('id').where('category_id', '=', filter.categoryId));
  // One array parameter: a plain JS array would be spread into a row of parameters, which && cannot take.
  if (filter.labelNames?.length) q = q.where('label_names', '&&', sql<string[]>`${filter.labelNames}::text[]`);
  const count = Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const slice = sliceOf(page);
  const rows =
    page.mode === 'offset'
      ? await q.selectAll().orderBy('position').orderBy('id').limit(slice.limit).offset(slice.offset).execute()
      : await applySlice(q.selectAll(), 'help_articles.id', slice).execute();
  return { rows, count };
}

function requireAuthor(actor: Actor) {
  if (!canAuthorArticles(actor)) throw forbidden();
}

async function checkAudience(db: Executor, input: ArticleInput, current?: HelpArticle) {
  const visibility = input.visibility ?? current?.visibility ?? 'public';
  const orgIds = input.organization_ids ?? current?.organization_ids ?? [];
  const plans = input.plans ?? current?.plans ?? [];
  const problems = new Problems();
  if (visibility === 'organizations' && !orgIds.length) problems.add('organization_ids', 'Organization ids: name at least one organization for this visibility', 'BlankValue');
  if (visibility === 'plans' && !plans.length) problems.add('plans', 'Plans: name at least one support plan for this visibility', 'BlankValue');
  if (input.organization_ids?.length) {
    const found = await db.selectFrom('organizations').select('id').where('id', 'in', input.organization_ids).where('deleted_at', 'is', null).execute();
    const missing = input.organization_ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) problems.add('organization_ids', `Organization ids: ${missing.join(', ')} not found`, 'InvalidValue');
  }
  problems.throwIfAny();
}

/** Appends one history entry; numbers run per article, under the article's row lock. */
async function addVersion(tx: Executor, a: { id: number; title: string; body_source: string }, kind: 'draft' | 'published', authorId: number | null) {
  const last = await tx.selectFrom('help_article_versions').select((eb) => eb.fn.max('number').as('n')).where('article_id', '=', a.id).executeTakeFirst();
  await tx
    .insertInto('help_article_versions')
    .values({ article_id: a.id, number: Number(last?.n ?? 0) + 1, kind, title: a.title, body_source: a.body_source, author_id: authorId })
    .execute();
}

/** The published copy made from a working copy. */
export function publishedFrom(a: { title: string; body_source: string }, actorId: number | null, now: Date): Updateable<HelpArticlesTable> {
  const { html, text } = renderArticleBody(a.body_source);
  return { published_title: a.title, published_source: a.body_source, published_html: html, published_text: text, published_at: now, published_by: actorId };
}

const UNPUBLISHED: Updateable<HelpArticlesTable> = { published_title: null, published_source: null, published_html: null, published_text: null, published_at: null, published_by: null };

function metadataOf(input: ArticleInput): Updateable<HelpArticlesTable> {
  return {
    position: input.position,
    promoted: input.promoted,
    comments_disabled: input.comments_disabled,
    label_names: input.label_names,
    visibility: input.visibility,
    organization_ids: input.organization_ids,
    plans: input.plans,
    section_id: input.section_id,
  };
}

/** Inserts an article and its first history entry; callers check permissions and own the transaction. */
export async function insertArticle(
  tx: Executor,
  input: { authorId: number | null; sectionId: number; article: ArticleInput & { title: string }; starterKey?: string; now: Date },
): Promise<HelpArticle> {
  const source = input.article.body_markdown ?? input.article.body ?? '';
  const working = { title: input.article.title, body_source: source };
  const publish = input.article.draft !== true;
  const row = await tx
    .insertInto('help_articles')
    .values({
      ...metadataOf({ ...input.article, section_id: undefined }),
      section_id: input.sectionId,
      author_id: input.authorId,
      starter_key: input.starterKey ?? null,
      ...working,
      edited_by: input.authorId,
      edited_at: input.now,
      ...(publish ? publishedFrom(working, input.authorId, input.now) : {}),
      updated_at: input.now,
    } as Insertable<HelpArticlesTable>)
    .returningAll()
    .executeTakeFirstOrThrow();
  await addVersion(tx, row, publish ? 'published' : 'draft', input.authorId);
  return row;
}

/** Creates an article in a section; published at once unless `draft: true` (Zendesk's default). */
export async function createArticle(ctx: AppContext, input: { actor: Actor; sectionId: number; article: ArticleInput & { title: string } }): Promise<HelpArticle> {
  requireAuthor(input.actor);
  return ctx.db.transaction().execute(async (tx) => {
    const section = await tx.selectFrom('help_sections').select('id').where('id', '=', input.sectionId).executeTakeFirst();
    if (!section) throw notFound();
    await checkAudience(tx, input.article);
    return insertArticle(tx, { authorId: input.actor.user.id, sectionId: input.sectionId, article: input.article, now: ctx.clock.now() });
  });
}

async function lockArticle(tx: Executor, id: number): Promise<HelpArticle> {
  const row = await tx.selectFrom('help_articles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/**
 * Zendesk's article update: metadata, and content when sent. `draft: true` unpublishes, `draft: false`
 * publishes the working copy; without `draft` a live article stays live and shows the new content.
 */
export async function updateArticle(ctx: AppContext, input: { actor: Actor; id: number; article: ArticleInput }): Promise<HelpArticle> {
  requireAuthor(input.actor);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockArticle(tx, input.id);
    await checkAudience(tx, input.article, current);
    if (input.article.section_id !== undefined && !(await tx.selectFrom('help_sections').select('id').where('id', '=', input.article.section_id).executeTakeFirst())) {
      throw notFound();
    }
    const now = ctx.clock.now();
    const source = input.article.body_markdown ?? input.article.body;
    const contentChanged = (input.article.title !== undefined && input.article.title !== current.title) || (source !== undefined && source !== current.body_source);
    const working = { title: input.article.title ?? current.title, body_source: source ?? current.body_source };
    const publish = input.article.draft === false || (input.article.draft === undefined && !!current.published_at && contentChanged);
    const changes: Updateable<HelpArticlesTable> = {
      ...metadataOf(input.article),
      ...(contentChanged ? { ...working, edited_by: input.actor.user.id, edited_at: now } : {}),
      ...(publish ? publishedFrom(working, input.actor.user.id, now) : {}),
      ...(input.article.draft === true ? UNPUBLISHED : {}),
      updated_at: now,
    };
    const row = await tx.updateTable('help_articles').set(changes).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
    if (publish) await addVersion(tx, row, 'published', input.actor.user.id);
    else if (contentChanged) await addVersion(tx, row, 'draft', input.actor.user.id);
    return row;
  });
}

/** Saves the working copy only: readers keep seeing the published copy until it is published. */
export async function saveArticleDraft(ctx: AppContext, input: { actor: Actor; id: number; title: string; body: string }): Promise<HelpArticle> {
  requireAuthor(input.actor);
  return ctx.db.transaction().execute(async (tx) => {
    await lockArticle(tx, input.id);
    const now = ctx.clock.now();
    const row = await tx
      .updateTable('help_articles')
      .set({ title: input.title, body_source: input.body, edited_by: input.actor.user.id, edited_at: now, updated_at: now })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await addVersion(tx, row, 'draft', input.actor.user.id);
    return row;
  });
}

/** Publishes the working copy as it is now. */
export async function publishArticle(ctx: AppContext, input: { actor: Actor; id: number }): Promise<HelpArticle> {
  requireAuthor(input.actor);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockArticle(tx, input.id);
    const now = ctx.clock.now();
    const row = await tx
      .updateTable('help_articles')
      .set({ ...publishedFrom(current, input.actor.user.id, now), updated_at: now })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await addVersion(tx, row, 'published', input.actor.user.id);
    return row;
  });
}

export async function listArticleVersions(db: Db, actor: Actor, id: number): Promise<ArticleVersion[]> {
  requireAuthor(actor);
  await findArticle(db, actor, id);
  return db.selectFrom('help_article_versions').selectAll().where('article_id', '=', id).orderBy('number', 'desc').execute();
}

/** Copies an old version into the working copy (a new draft entry); publishing stays a separate step. */
export async function restoreArticleVersion(ctx: AppContext, input: { actor: Actor; id: number; number: number }): Promise<HelpArticle> {
  requireAuthor(input.actor);
  const version = await ctx.db.selectFrom('help_article_versions').selectAll().where('article_id', '=', input.id).where('number', '=', input.number).executeTakeFirst();
  if (!version) throw notFound();
  return saveArticleDraft(ctx, { actor: input.actor, id: input.id, title: version.title, body: version.body_source });
}

/** Removes stored bytes after the rows that named them were deleted (and committed). */
export async function deleteArticleFiles(ctx: AppContext, keys: string[]): Promise<void> {
  await Promise.all(keys.map((k) => ctx.blobs.delete(k)));
}

export async function deleteArticle(ctx: AppContext, input: { actor: Actor; id: number }): Promise<void> {
  requireAuthor(input.actor);
  const keys = await ctx.db.transaction().execute(async (tx) => {
    await lockArticle(tx, input.id);
    const files = await tx.selectFrom('help_article_attachments').select('storage_key').where('article_id', '=', input.id).execute();
    await tx.deleteFrom('help_articles').where('id', '=', input.id).execute();
    return files.map((f) => f.storage_key);
  });
  await deleteArticleFiles(ctx, keys);
}

/** Helpful (+1) and not helpful (−1) answers per article: Zendesk's vote_sum and vote_count. */
export async function articleVotes(db: Db, ids: number[]): Promise<Map<number, { sum: number; count: number }>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('help_article_feedback')
    .select((eb) => ['article_id', eb.fn.countAll<string>().as('count'), eb.fn.sum<string>(eb.case().when('helpful', '=', true).then(1).else(-1).end()).as('sum')])
    .where('article_id', 'in', ids)
    .groupBy('article_id')
    .execute();
  return new Map(rows.map((r) => [r.article_id, { sum: Number(r.sum), count: Number(r.count) }]));
}
