import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { announceLive } from '../../platform/live.js';

/** A viewer that missed this many seconds of heartbeats is gone (its node died or lost the network). */
export const PRESENCE_TTL_SECONDS = 45;

export async function joinTicket(db: Db, ticketId: number, userId: number, connectionId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('ticket_viewers')
      .values({ ticket_id: ticketId, user_id: userId, connection_id: connectionId })
      .onConflict((oc) => oc.columns(['ticket_id', 'connection_id']).doUpdateSet({ seen_at: sql`now()` }))
      .execute();
    await announceLive(tx, { type: 'presence', ticket_id: ticketId });
  });
}

export async function heartbeat(db: Db, ticketId: number, connectionId: string): Promise<void> {
  await db.updateTable('ticket_viewers').set({ seen_at: sql`now()` }).where('ticket_id', '=', ticketId).where('connection_id', '=', connectionId).execute();
}

export async function leaveTicket(db: Db, ticketId: number, connectionId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('ticket_viewers').where('ticket_id', '=', ticketId).where('connection_id', '=', connectionId).execute();
    await announceLive(tx, { type: 'presence', ticket_id: ticketId });
  });
}

/** Distinct people currently on the ticket, across all nodes. */
export async function viewersOf(db: Db, ticketId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('ticket_viewers')
    .innerJoin('users', 'users.id', 'ticket_viewers.user_id')
    .select(['users.id', 'users.name'])
    .distinct()
    .where('ticket_viewers.ticket_id', '=', ticketId)
    .where('ticket_viewers.seen_at', '>', sql<Date>`now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})`)
    .orderBy('users.name')
    .execute();
}
