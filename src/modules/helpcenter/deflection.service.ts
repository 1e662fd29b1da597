import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { Actor } from '../accounts/actor.js';
import { findArticle } from './articles.service.js';
import { suggestArticles, type ArticleHit } from './article-search.service.js';

/**
 * Articles to offer beside a request being written. Each answer that offers something is recorded as
 * a `suggested` event (subject and article ids), the denominator of "which suggestions were seen".
 */
export async function suggestForRequest(db: Db, input: { actor: Actor | null; subject: string; description: string; formId?: number }): Promise<ArticleHit[]> {
  const hits = await suggestArticles(db, input.actor, `${input.subject} ${input.description}`);
  if (hits.length) {
    await db
      .insertInto('help_deflection_events')
      .values({ kind: 'suggested', user_id: input.actor?.user.id ?? null, article_ids: hits.map((h) => h.id), subject: input.subject.slice(0, 1000), form_id: input.formId ?? null })
      .execute();
  }
  return hits;
}

/**
 * "This answered my question": the customer leaves without creating a request. Recorded once per call,
 * only for an article the caller can read (so internal article ids cannot be probed through it).
 */
export async function recordDeflection(db: Db, input: { actor: Actor | null; articleId: number; subject: string; formId?: number }) {
  await findArticle(db, input.actor, input.articleId);
  return db
    .insertInto('help_deflection_events')
    .values({ kind: 'answered', user_id: input.actor?.user.id ?? null, article_id: input.articleId, subject: input.subject.slice(0, 1000), form_id: input.formId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface DeflectionRate {
  from: string;
  to: string;
  deflections: number;
  web_requests: number;
  /** deflections ÷ (deflections + requests created through the web form), in percent; null without either. */
  deflection_rate_pct: number | null;
}

/** Deflection rate over [from, to) (UTC instants). */
export async function deflectionRate(db: Db, period: { from: Date; to: Date }): Promise<DeflectionRate> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('help_deflection_events')
        .select(sql<string>`count(*)`.as('n'))
        .where('kind', '=', 'answered')
        .where('created_at', '>=', period.from)
        .where('created_at', '<', period.to)
        .as('deflections'),
      eb
        .selectFrom('tickets')
        .select(sql<string>`count(*)`.as('n'))
        .where('via_channel', '=', 'web')
        .where('created_at', '>=', period.from)
        .where('created_at', '<', period.to)
        .as('web_requests'),
    ])
    .executeTakeFirstOrThrow();
  const deflections = Number(row.deflections);
  const web = Number(row.web_requests);
  const total = deflections + web;
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    deflections,
    web_requests: web,
    deflection_rate_pct: total ? Math.round((deflections / total) * 1000) / 10 : null,
  };
}
