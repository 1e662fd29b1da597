import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Db } from '../../platform/db.js';
import type { HelpCategory, HelpSection } from '../../platform/db-types.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { canManageHelpCenterStructure, visibleSections } from '../../permissions/articles.js';
import { isAgent, type Actor } from '../accounts/actor.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';
import { deleteArticleFiles } from './articles.service.js';

/** Categories and sections, visible to readers as `visibleSections` (permissions/articles.ts) says. */

export async function listCategories(db: Db, actor: Actor | null): Promise<HelpCategory[]> {
  let q = db.selectFrom('help_categories').selectAll('help_categories');
  if (!isAgent(actor)) q = q.where('help_categories.id', 'in', db.selectFrom('help_sections').select('help_sections.category_id').where(visibleSections(actor)));
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
  return q.where(visibleSections(actor)).orderBy('position').orderBy('id').execute();
}

export async function findSection(db: Db, actor: Actor | null, id: number): Promise<HelpSection> {
  const section = await db.selectFrom('help_sections').selectAll().where('id', '=', id).where(visibleSections(actor)).executeTakeFirst();
  if (!section) throw notFound();
  return section;
}

function requireStructureManager(actor: Actor) {
  if (!canManageHelpCenterStructure(actor)) throw forbidden();
}

/** What the admin audit log keeps of a category or section (the structure is the admins'). */
const categorySummary = (c: HelpCategory) => ({ name: c.name, description: c.description, position: c.position });
const sectionSummary = (s: HelpSection) => ({ name: s.name, description: s.description, position: s.position, category_id: s.category_id });

export async function createCategory(db: Db, input: { actor: Actor; name: string; description?: string; position?: number }): Promise<HelpCategory> {
  requireStructureManager(input.actor);
  return db.transaction().execute(async (tx) => {
    const category = await tx
      .insertInto('help_categories')
      .values({ name: input.name, description: input.description ?? '', position: input.position ?? 0, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'help_center_category', sourceId: category.id, sourceLabel: category.name, change: 'Category created', after: categorySummary(category) });
    return category;
  });
}

export async function updateCategory(db: Db, input: { actor: Actor; id: number; name?: string; description?: string; position?: number }): Promise<HelpCategory> {
  requireStructureManager(input.actor);
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('help_categories').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!before) throw notFound();
    const row = await tx
      .updateTable('help_categories')
      .set({ name: input.name, description: input.description, position: input.position, updated_at: new Date() })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'help_center_category', sourceId: row.id, sourceLabel: row.name, ...changeSet(categorySummary(before), categorySummary(row)) });
    return row;
  });
}

export async function createSection(db: Db, input: { actor: Actor; categoryId: number; name: string; description?: string; position?: number }): Promise<HelpSection> {
  requireStructureManager(input.actor);
  return db.transaction().execute(async (tx) => {
    const category = await tx.selectFrom('help_categories').select('id').where('id', '=', input.categoryId).executeTakeFirst();
    if (!category) throw notFound();
    const section = await tx
      .insertInto('help_sections')
      .values({ category_id: input.categoryId, name: input.name, description: input.description ?? '', position: input.position ?? 0, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'help_center_section', sourceId: section.id, sourceLabel: section.name, change: 'Section created', after: sectionSummary(section) });
    return section;
  });
}

export async function updateSection(db: Db, input: { actor: Actor; id: number; name?: string; description?: string; position?: number; categoryId?: number }): Promise<HelpSection> {
  requireStructureManager(input.actor);
  return db.transaction().execute(async (tx) => {
    if (input.categoryId !== undefined && !(await tx.selectFrom('help_categories').select('id').where('id', '=', input.categoryId).executeTakeFirst())) {
      throw notFound();
    }
    const before = await tx.selectFrom('help_sections').selectAll().where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!before) throw notFound();
    const row = await tx
      .updateTable('help_sections')
      .set({ name: input.name, description: input.description, position: input.position, category_id: input.categoryId, updated_at: new Date() })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'help_center_section', sourceId: row.id, sourceLabel: row.name, ...changeSet(sectionSummary(before), sectionSummary(row)) });
    return row;
  });
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
    const articles = await tx.selectFrom('help_articles').select((eb) => eb.fn.countAll<string>().as('n')).where('section_id', 'in', sectionIds).executeTakeFirstOrThrow();
    const gone = await tx.deleteFrom(table).where('id', '=', input.id).returning(['id', 'name']).executeTakeFirst();
    if (!gone) throw notFound();
    await recordAdminAction(tx, {
      action: 'destroy',
      sourceType: input.kind === 'category' ? 'help_center_category' : 'help_center_section',
      sourceId: gone.id,
      sourceLabel: gone.name,
      change: `${input.kind === 'category' ? 'Category' : 'Section'} deleted with its ${Number(articles.n)} article(s)`,
      before: { name: gone.name },
    });
    return files.map((f) => f.storage_key);
  });
  await deleteArticleFiles(ctx, keys);
}
