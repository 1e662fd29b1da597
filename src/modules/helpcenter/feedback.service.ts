import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { HelpArticleFeedbackTable } from '../../platform/db-types.js';
import { forbidden } from '../../platform/errors.js';
import { canAuthorArticles } from '../../permissions/articles.js';
import type { Actor } from '../accounts/actor.js';
import { findArticle } from './articles.service.js';

export type ArticleFeedback = Selectable<HelpArticleFeedbackTable> & { user_name?: string | null };

/**
 * "Was this helpful?" on an article the reader can see. A signed-in reader's new answer replaces their
 * previous one (one vote each, as Zendesk's up/down votes); anonymous answers are each recorded.
 */
export async function recordArticleFeedback(db: Db, input: { actor: Actor | null; articleId: number; helpful: boolean; comment?: string }): Promise<ArticleFeedback> {
  await findArticle(db, input.actor, input.articleId);
  const values = { article_id: input.articleId, user_id: input.actor?.user.id ?? null, helpful: input.helpful, comment: input.comment?.trim() || null, updated_at: new Date() };
  if (!input.actor) return db.insertInto('help_article_feedback').values(values).returningAll().executeTakeFirstOrThrow();
  return db
    .insertInto('help_article_feedback')
    .values(values)
    .onConflict((oc) => oc.columns(['article_id', 'user_id']).where('user_id', 'is not', null).doUpdateSet((eb) => ({
        helpful: values.helpful,
        // A bare up/down vote keeps the comment the reader left before.
        comment: input.comment === undefined ? eb.ref('help_article_feedback.comment') : values.comment,
        updated_at: values.updated_at,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What readers said about an article, newest first, for its authors. */
export async function listArticleFeedback(db: Db, actor: Actor, articleId: number): Promise<ArticleFeedback[]> {
  if (!canAuthorArticles(actor)) throw forbidden();
  await findArticle(db, actor, articleId);
  return db
    .selectFrom('help_article_feedback')
    .leftJoin('users', 'users.id', 'help_article_feedback.user_id')
    .selectAll('help_article_feedback')
    .select('users.name as user_name')
    .where('article_id', '=', articleId)
    .orderBy('help_article_feedback.updated_at', 'desc')
    .orderBy('help_article_feedback.id', 'desc')
    .limit(500)
    .execute();
}
