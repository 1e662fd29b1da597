import type { AppContext } from '../../platform/context.js';
import { insertArticle, publishedFrom } from './articles.service.js';
import { STARTER_HELP_CENTER } from './starter-articles.js';

const MARKER = 'help_center.starter';

/**
 * Writes the starter categories, sections and articles the first time a desk boots with this version.
 * The settings row is claimed in the same transaction, so nodes booting together seed once, and a
 * desk whose admins deleted or replaced the starter articles never gets them back.
 */
export async function seedStarterArticles(ctx: AppContext): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('settings')
      .values({ key: MARKER, value: JSON.stringify({ seeded_at: ctx.clock.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return;
    const now = ctx.clock.now();
    const bodies: { id: number; body: string }[] = [];
    const ids = new Map<string, number>();
    for (const [ci, c] of STARTER_HELP_CENTER.entries()) {
      const category = await tx.insertInto('help_categories').values({ name: c.name, description: c.description, position: ci, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      for (const [si, s] of c.sections.entries()) {
        const section = await tx
          .insertInto('help_sections')
          .values({ category_id: category.id, name: s.name, description: s.description, position: si, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const [ai, a] of s.articles.entries()) {
          // Written as drafts first: links between starter articles need every article's id.
          const row = await insertArticle(tx, { authorId: null, sectionId: section.id, article: { title: a.title, body: '', draft: true, position: ai, label_names: a.labels }, starterKey: a.key, now });
          ids.set(a.key, row.id);
          bodies.push({ id: row.id, body: a.body });
        }
      }
    }
    for (const { id, body } of bodies) {
      const linked = body.replace(/\(starter:([a-z-]+)\)/g, (_m, key: string) => `(/help/articles/${ids.get(key)})`);
      // The history starts at the published text: the empty placeholder entry is not worth keeping.
      await tx.deleteFrom('help_article_versions').where('article_id', '=', id).execute();
      const article = await tx.selectFrom('help_articles').select('title').where('id', '=', id).executeTakeFirstOrThrow();
      const working = { title: article.title, body_source: linked };
      await tx.updateTable('help_articles').set({ ...working, ...publishedFrom(working, null, now) }).where('id', '=', id).execute();
      await tx.insertInto('help_article_versions').values({ article_id: id, number: 1, kind: 'published', title: article.title, body_source: linked, author_id: null }).execute();
    }
  });
}
