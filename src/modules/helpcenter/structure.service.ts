import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Db, Executor } from '../../platform/db.js';
import type { HelpCategory, HelpSection } from '../../platform/db-types.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { canManageHelpCenterStructure, visibleArticles } from '../../permissions/articles.js';
import { isAgent, type Actor } from '../accounts/actor.js';
import { deleteArticleFiles } from './articles.service.js';

/**
 * Categories and sections. Agents see all of them; other readers see only those holding at least one
 * article they may read, so the name of an internal section never reaches a customer.
 */
function sectionsWithVisibleArticles(db: Db, actor: Actor | null) {
  return db.selectFrom('help_articles').select('help_articles.section_id').where(visibleArticles(actor));
}

export async function listCategories(db: Db, actor: Actor | null): Promise<HelpCategory[]> {
  let q = db.selectFrom('help_categories').selectAll('help_categories');
  if (!isAgent(actor)) {
    q = q.where('help_categories.id', 'in', db.selectFrom('help_sections').select('help_sections.category_id').where('help_sections.id', 'in', sectionsWithVisibleArticles(db, actor)));
  }
  return q.orderBy('position').orderBy('id').execute();
}

export async function findCategory(db: Db, actor: Actor | null, id: number): Promise<HelpCategory> {
  const visible = (await listCategories(db, actor)).find((c) => c.id === id);
  if (!visible) throw notFound();
  return visible;
}

export async function listSections(db: Db, actor: Actor | null, filter: { categoryId?: number } = {}): Promise<HelpSection[]> {
  if (filter.categoryId !== undefined) await findCategory(db, actor, filter.categoryId);
  let q = db.selectFrom('help_sections').selectAll();
  if (filter.categoryId !== undefined) q = q.where('category_id', '=', filter.categoryId);
  if (!isAgent(actor)) q = q.where('id', 'in', sectionsWithVisibleArticles(db, actor));
  return q.orderBy('position').orderBy('id').execute();
}

export async function findSection(db: Db, actor: Actor | null, id: number): Promise<HelpSection> {
  let q = db.selectFrom('help_sections').selectAll().where('id', '=', id);
  if (!isAgent(actor)) q = q.where('id', 'in', sectionsWithVisibleArticles(db, actor));
  const section = await q.executeTakeFirst();
  if (!section) throw notFound();
  return section;
}

function requireStructureManager(actor: Actor) {
  if (!canManageHelpCenterStructure(actor)) throw forbidden();
}

export async function createCategory(db: Executor, input: { actor: Actor; name: string; description?: string; position?: number }): Promise<HelpCategory> {
  requireStructureManager(input.actor);
  return db
    .insertInto('help_categories')
    .values({ name: input.name, description: input.description ?? '', position: input.position ?? 0, updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateCategory(db: Executor, input: { actor: Actor; id: number; name?: string; description?: string; position?: number }): Promise<HelpCategory> {
  requireStructureManager(input.actor);
  const row = await db
    .updateTable('help_categories')
    .set({ name: input.name, description: input.description, position: input.position, updated_at: new Date() })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export async function createSection(db: Executor, input: { actor: Actor; categoryId: number; name: string; description?: string; position?: number }): Promise<HelpSection> {
  requireStructureManager(input.actor);
  const category = await db.selectFrom('help_categories').select('id').where('id', '=', input.categoryId).executeTakeFirst();
  if (!category) throw notFound();
  return db
    .insertInto('help_sections')
    .values({ category_id: input.categoryId, name: input.name, description: input.description ?? '', position: input.position ?? 0, updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateSection(db: Executor, input: { actor: Actor; id: number; name?: string; description?: string; position?: number; categoryId?: number }): Promise<HelpSection> {
  requireStructureManager(input.actor);
  if (input.categoryId !== undefined && !(await db.selectFrom('help_categories').select('id').where('id', '=', input.categoryId).executeTakeFirst())) {
    throw notFound();
  }
  const row = await db
    .updateTable('help_sections')
    .set({ name: input.name, description: input.description, position: input.position, category_id: input.categoryId, updated_at: new Date() })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/** Deleting a category or section deletes what it holds, as in Zendesk; the files go after commit. */
export async function deleteCategoryOrSection(ctx: AppContext, input: { actor: Actor; kind: 'category' | 'section'; id: number }): Promise<void> {
  requireStructureManager(input.actor);
  const keys = await ctx.db.transaction().execute(async (tx) => {
    const table = input.kind === 'category' ? 'help_categories' : 'help_sections';
    const sectionIds =
      input.kind === 'category' ? tx.selectFrom('help_sections').select('id').where('category_id', '=', input.id) : tx.selectNoFrom(sql<number>`${input.id}::bigint`.as('id'));
    const files = await tx
      .selectFrom('help_article_attachments')
      .select('storage_key')
      .where('article_id', 'in', tx.selectFrom('help_articles').select('id').where('section_id', 'in', sectionIds))
      .execute();
    const gone = await tx.deleteFrom(table).where('id', '=', input.id).executeTakeFirst();
    if (!Number(gone.numDeletedRows)) throw notFound();
    return files.map((f) => f.storage_key);
  });
  await deleteArticleFiles(ctx, keys);
}
