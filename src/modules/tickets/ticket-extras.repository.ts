import { sql, type RawBuilder } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Executor } from '../../platform/db.js';
import { auditColumns } from '../../platform/columns.js';
import { compiledByIds, compiledOnce } from '../../platform/compiled-once.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import { auditEvents } from './audits.repository.js';
import type { TicketExtras } from './tickets.presenter.js';

const none = (): TicketExtras => ({ collaboratorIds: [], followupIds: [], satisfaction: null });

const extrasQuery = (db: Executor, descriptions: boolean, ids: number | RawBuilder<number>) =>
  db
    .selectFrom('tickets')
    .modifyFront(PREPARED)
    // A reopen-and-solve starts a new survey: the latest one is the ticket's.
    .leftJoinLateral(
      (eb) => eb.selectFrom('satisfaction_ratings as r').select(['r.id', 'r.score', 'r.comment']).whereRef('r.ticket_id', '=', 'tickets.id').orderBy('r.id', 'desc').limit(1).as('rating'),
      (join) => join.onTrue(),
    )
    .select((eb) => [
      'tickets.id',
      sql<number[]>`array(${eb.selectFrom('ticket_collaborators as cc').select('cc.user_id').whereRef('cc.ticket_id', '=', 'tickets.id').orderBy('cc.created_at').orderBy('cc.user_id')})`.as('collaborator_ids'),
      sql<number[]>`array(${eb.selectFrom('tickets as f').select('f.id').whereRef('f.via_followup_source_id', '=', 'tickets.id').orderBy('f.id')})`.as('followup_ids'),
      'rating.id as rating_id',
      'rating.score as rating_score',
      'rating.comment as rating_comment',
      // Whether the first comment (the description) is public, for requests; a ticket without comments has nothing to hide.
      descriptions
        ? sql<boolean>`coalesce(${eb.selectFrom('ticket_comments as c').select('c.public').whereRef('c.ticket_id', '=', 'tickets.id').orderBy('c.id').limit(1)}, true)`.as('description_public')
        : sql<null>`null`.as('description_public'),
    ])
    .where('tickets.id', '=', ids);

const extrasOf = {
  true: compiledByIds((db, ids) => extrasQuery(db, true, ids)),
  false: compiledByIds((db, ids) => extrasQuery(db, false, ids)),
};

type ExtrasRow = Awaited<ReturnType<(typeof extrasOf)['false']>>[number];
const toExtras = (r: ExtrasRow): TicketExtras => ({
  collaboratorIds: r.collaborator_ids,
  followupIds: r.followup_ids,
  satisfaction: r.rating_id !== null && r.rating_score !== null ? { id: r.rating_id, score: r.rating_score, comment: r.rating_comment } : null,
  ...(r.description_public === null ? {} : { descriptionPublic: r.description_public }),
});

/** A written ticket's extras with the audit of the write, in one statement: every ticket write answers with both. */
const extrasWithAudit = compiledOnce((db, p: { id: number; auditId: number }) =>
  extrasQuery(db, false, p.id).select((eb) => jsonObjectFrom(eb.selectFrom('ticket_audits').select(auditColumns).select(auditEvents).where('ticket_audits.id', '=', p.auditId)).as('audit')),
);

export async function loadExtrasWithAudit(db: Executor, ticketId: number, auditId: number) {
  const [row] = await extrasWithAudit(db, { id: ticketId, auditId });
  // JSON carries the audit's time as text.
  const audit = row?.audit ? { ...row.audit, created_at: new Date(row.audit.created_at) } : null;
  return { extras: row ? toExtras(row) : none(), audit };
}

/**
 * What a ticket shows beyond its own row (CCs, follow-ups, latest survey), for a page of tickets in
 * one statement: each statement costs a round trip, and every ticket response needs all three.
 */
export async function loadTicketExtras(db: Executor, ticketIds: number[], options: { descriptions?: boolean } = {}): Promise<Map<number, TicketExtras>> {
  if (!ticketIds.length) return new Map();
  const rows = await extrasOf[options.descriptions ? 'true' : 'false'](db, ticketIds);
  const found = new Map(rows.map((r) => [r.id, toExtras(r)]));
  return new Map(ticketIds.map((id) => [id, found.get(id) ?? none()]));
}
