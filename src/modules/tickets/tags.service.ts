import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import type { TicketChanges } from './ticket-input.js';
import { updateTicket, type UpdateOutcome } from './update-ticket.service.js';

/** Zendesk's three tag verbs: replace the list, add to it, remove from it. */
export interface TagEdit {
  set?: string[];
  add?: string[];
  remove?: string[];
}

/** The tags after an edit: set, then add, then remove; each tag once, in first-seen order. */
export function applyTagEdit(current: readonly string[], edit: TagEdit): string[] {
  const gone = new Set(edit.remove ?? []);
  return [...new Set([...(edit.set ?? current), ...(edit.add ?? [])])].filter((t) => !gone.has(t));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** Concurrent writers are rare; a few re-reads settle them. */
const ATTEMPTS = 5;

/**
 * Edits a ticket's tags, with any other changes, through updateTicket, so the change is validated
 * and audited like any other. Adding and removing are relative to the tags when the write happens:
 * the write is compare-and-set on the ticket's stamp and starts over after a concurrent change, unless
 * the caller asked for Zendesk's safe update, whose conflict is theirs to see.
 */
export async function editTicketTags(
  ctx: AppContext,
  args: {
    actor: Actor;
    ticketId: number;
    edit: TagEdit;
    changes?: TicketChanges;
    via: string;
    safeUpdate?: boolean;
    updatedStamp?: Date;
    within?: (tx: Tx, ticket: Ticket) => Promise<void>;
  },
): Promise<UpdateOutcome> {
  for (let attempt = 1; ; attempt++) {
    const current = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', args.ticketId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!current) throw notFound();
    const tags = applyTagEdit(current.tags, args.edit);
    const callerStamp = args.safeUpdate && args.updatedStamp ? args.updatedStamp : null;
    try {
      return await updateTicket(ctx, {
        actor: args.actor,
        ticketId: args.ticketId,
        changes: { ...args.changes, tags: sameList(tags, current.tags) ? undefined : tags },
        via: args.via,
        safeUpdate: true,
        updatedStamp: callerStamp ?? current.updated_at,
        within: args.within,
      });
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'Conflict') || callerStamp || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** The most used tags on live tickets, most used first (GET /api/v2/tags). */
export async function popularTags(db: Executor, window: { offset: number; limit: number }): Promise<{ name: string; count: number }[]> {
  const rows = await sql<{ name: string; count: number }>`
    SELECT tag AS name, count(*)::int AS count
    FROM tickets, unnest(tags) AS tag
    WHERE deleted_at IS NULL
    GROUP BY tag
    ORDER BY count(*) DESC, tag
    OFFSET ${window.offset} LIMIT ${window.limit}`.execute(db);
  return rows.rows;
}

/** How many distinct tags live tickets carry. */
export async function countTags(db: Executor): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(DISTINCT tag)::int AS n FROM tickets, unnest(tags) AS tag WHERE deleted_at IS NULL`.execute(db);
  return row.rows[0]?.n ?? 0;
}
