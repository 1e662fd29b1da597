import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { HelpArticle } from '../../platform/db-types.js';
import { escapeHtml } from '../../platform/html.js';
import { visibleArticles } from '../../permissions/articles.js';
import type { Actor } from '../accounts/actor.js';

export type ArticleHit = HelpArticle & { rank: number; snippet: string };

// ts_headline marks matches with control characters that cannot occur in article text; the snippet is
// escaped first and the markers become <em> after, so article text can never inject markup here.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

function highlight(raw: string): string {
  return escapeHtml(raw).replaceAll(START, '<em>').replaceAll(STOP, '</em>');
}

/**
 * Published articles the actor may read that match `tsquery`, best first (title words weigh most,
 * then labels, then body; ties by id), with a highlighted snippet of the body.
 */
async function rankedArticles(db: Db, actor: Actor | null, tsquery: RawBuilder<unknown>, o: { limit: number; offset: number; sectionId?: number; categoryId?: number }) {
  let q = db
    .selectFrom('help_articles')
    .where(visibleArticles(actor))
    // Agents may read drafts, but search covers what readers see: the published copy.
    .where('published_at', 'is not', null)
    .where(sql<boolean>`search_vector @@ ${tsquery}`);
  if (o.sectionId !== undefined) q = q.where('section_id', '=', o.sectionId);
  if (o.categoryId !== undefined) q = q.where('section_id', 'in', db.selectFrom('help_sections').select('id').where('category_id', '=', o.categoryId));
  const count = Number((await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .selectAll()
    .select([
      sql<number>`ts_rank(search_vector, ${tsquery})`.as('rank'),
      sql<string>`ts_headline('english', coalesce(published_text, ''), ${tsquery}, ${HEADLINE_OPTIONS})`.as('snippet'),
    ])
    .orderBy('rank', 'desc')
    .orderBy('id')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  return { count, hits: rows.map((r) => ({ ...r, rank: Number(r.rank), snippet: highlight(r.snippet) })) as ArticleHit[] };
}

/** Zendesk's article search: web-search syntax ("quoted phrases", -excluded, or). */
export function searchArticles(db: Db, actor: Actor | null, input: { query: string; page: number; perPage: number; sectionId?: number; categoryId?: number }) {
  return rankedArticles(db, actor, sql`websearch_to_tsquery('english', ${input.query})`, {
    limit: input.perPage,
    offset: (input.page - 1) * input.perPage,
    sectionId: input.sectionId,
    categoryId: input.categoryId,
  });
}

// Suggestions weaker than this share of the best one are dropped: a word such as "question" that happens
// to occur in many bodies should not push unrelated articles beside the form.
const SUGGESTION_CUTOFF = 0.5;

/**
 * Articles for a request being written: any word of the subject and description may match (an AND of
 * a whole description would match nothing), ranked so articles sharing the most words, and words in
 * their titles, come first; only those close to the best match are offered.
 */
export async function suggestArticles(db: Db, actor: Actor | null, text: string, limit = 5): Promise<ArticleHit[]> {
  if (!text.trim()) return [];
  const anyWord = sql`nullif(replace(plainto_tsquery('english', ${text.slice(0, 4000)})::text, ' & ', ' | '), '')::tsquery`;
  const { hits } = await rankedArticles(db, actor, anyWord, { limit: limit * 3, offset: 0 });
  const best = hits[0]?.rank ?? 0;
  return hits.filter((h) => h.rank >= best * SUGGESTION_CUTOFF).slice(0, limit);
}
