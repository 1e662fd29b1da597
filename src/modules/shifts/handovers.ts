import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { HandoverItem, Priority, Status } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { assignTicketByRule } from '../tickets/assign-by-rule.js';
import { getRoutingSettings, isUrgent, markRouted, pickAgent, ROUTING_LOCK, routeQueuedTickets } from './routing.js';
import { listRegions, type Region } from './regions.service.js';
import { incomingRegion, lastShiftEnd, regionOnShift } from './shift-times.js';

/** A handover is written during this long after a shift ends (a node that was down catches up). */
const HANDOVER_WINDOW_MS = 2 * 3600_000;
/** "SLA soon due" means a target falls due within this long of the handover. */
const SLA_SOON_MS = 4 * 3600_000;
const UNSOLVED: Status[] = ['new', 'open', 'pending', 'hold'];
/** ISO 8601 to the second, as every other API timestamp. */
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export type Reassignment = { ticket_id: number; from_assignee_id: number | null; to_assignee_id: number };

/**
 * Job `routing.tick` (every minute, one node at a time): routes waiting tickets, then writes the
 * handover of every region whose shift ended within the last two hours and has none yet.
 */
export async function runRoutingTick(ctx: AppContext): Promise<{ routed: number; handoverIds: number[] }> {
  const routed = await routeQueuedTickets(ctx);
  const now = ctx.clock.now();
  const regions = await listRegions(ctx.db);
  const handoverIds: number[] = [];
  for (const region of regions) {
    const endedAt = lastShiftEnd(region, now);
    if (!endedAt || now.getTime() >= endedAt.getTime() + HANDOVER_WINDOW_MS) continue;
    const exists = await ctx.db.selectFrom('handovers').select('id').where('from_region_id', '=', region.id).where('shift_ended_at', '=', endedAt).executeTakeFirst();
    if (exists) continue;
    const id = await createHandover(ctx, { region, endedAt, regions });
    if (id !== null) handoverIds.push(id);
  }
  return { routed, handoverIds };
}

/** The outgoing region's unsolved tickets with the reasons they need attention, plus the unassigned queue. */
export async function handoverItems(db: Executor, regionId: number, now: Date): Promise<(HandoverItem & { group_id: number | null })[]> {
  const rows = await db
    .selectFrom('tickets as t')
    .leftJoin('users as a', 'a.id', 't.assignee_id')
    .select([
      't.id',
      't.subject',
      't.priority',
      't.status',
      't.assignee_id',
      't.group_id',
      't.sla_next_breach_at',
      't.sla_breached_since',
      sql<string | null>`(SELECT u.role FROM ticket_comments c JOIN users u ON u.id = c.author_id WHERE c.ticket_id = t.id AND c.public ORDER BY c.id DESC LIMIT 1)`.as('last_public_role'),
    ])
    .where('t.deleted_at', 'is', null)
    .where('t.status', 'in', UNSOLVED)
    .where((eb) =>
      eb.or([
        eb('a.region_id', '=', regionId),
        eb.and([eb('t.assignee_id', 'is', null), eb.exists(eb.selectFrom('routing_queue as q').select('q.ticket_id').whereRef('q.ticket_id', '=', 't.id'))]),
      ]),
    )
    .execute();
  const soon = now.getTime() + SLA_SOON_MS;
  const items = rows.map((t) => {
    const reasons: HandoverItem['reasons'] = [];
    if (isUrgent(t.priority)) reasons.push('urgent_high');
    if ((t.status === 'new' || t.status === 'open') && t.last_public_role === 'end-user') reasons.push('customer_waiting');
    // A running target that is already breached needs attention as much as one about to be.
    if ((t.sla_next_breach_at && t.sla_next_breach_at.getTime() <= soon) || t.sla_breached_since) reasons.push('sla_due_soon');
    if (t.assignee_id === null) reasons.push('unassigned');
    return {
      ticket_id: t.id,
      subject: t.subject,
      priority: t.priority,
      status: t.status,
      assignee_id: t.assignee_id,
      group_id: t.group_id,
      reasons,
      due_at: t.sla_next_breach_at ? isoSeconds(t.sla_next_breach_at) : null,
    };
  });
  const rank = (p: string | null) => (p ? (PRIORITY_RANK[p as Priority] ?? 4) : 4);
  return items.filter((i) => i.reasons.length).sort((a, b) => rank(a.priority) - rank(b.priority) || a.ticket_id - b.ticket_id);
}

/**
 * Writes one region's handover for the shift that ended at `endedAt`, exactly once across nodes (the
 * unique (region, shift end) key decides), and moves the urgent/high tickets of its agents, now off
 * shift, to on-shift agents of the incoming region. Returns the new id, or null when it existed.
 */
export async function createHandover(ctx: AppContext, a: { region: Region; endedAt: Date; regions: Region[] }): Promise<number | null> {
  return ctx.db.transaction().execute(async (tx) => {
    // The same lock as routing: reassignments pick agents, and a concurrent tick waits here.
    await ROUTING_LOCK.execute(tx);
    const now = ctx.clock.now();
    const to = incomingRegion(a.regions, a.region, a.endedAt);
    const items = await handoverItems(tx, a.region.id, now);
    const inserted = await tx
      .insertInto('handovers')
      .values({
        from_region_id: a.region.id,
        to_region_id: to?.id ?? null,
        shift_ended_at: a.endedAt,
        items: JSON.stringify(items.map(({ group_id: _, ...item }) => item)),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['from_region_id', 'shift_ended_at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return null;

    const settings = await getRoutingSettings(tx);
    const reassigned: Reassignment[] = [];
    if (settings.enabled && to && !regionOnShift(a.region, now) && regionOnShift(to, now)) {
      for (const item of items) {
        if (!item.reasons.includes('urgent_high') || item.assignee_id === null) continue;
        const agent = await pickAgent(tx, { regionIds: [to.id], groupId: item.group_id, strategy: settings.strategy });
        if (!agent) continue;
        const done = await assignTicketByRule(tx, ctx, {
          ticketId: item.ticket_id,
          assigneeId: agent.id,
          rule: 'handover',
          metadata: { handover_id: inserted.id, from_region_id: a.region.id, to_region_id: to.id },
        });
        if (!done) continue;
        await markRouted(tx, ctx, agent.id);
        reassigned.push({ ticket_id: item.ticket_id, from_assignee_id: item.assignee_id, to_assignee_id: agent.id });
      }
      if (reassigned.length) await tx.updateTable('handovers').set({ reassigned: JSON.stringify(reassigned) }).where('id', '=', inserted.id).execute();
    }
    return inserted.id;
  });
}

export interface HandoverFilter {
  /** Either side of the handover. */
  regionId?: number;
  fromRegionId?: number;
  toRegionId?: number;
  acknowledged?: boolean;
  offset: number;
  limit: number;
}

/** Newest shift change first. */
export async function findHandovers(db: Executor, f: HandoverFilter) {
  let q = db.selectFrom('handovers').selectAll();
  if (f.regionId !== undefined) {
    const id = f.regionId;
    q = q.where((eb) => eb.or([eb('from_region_id', '=', id), eb('to_region_id', '=', id)]));
  }
  if (f.fromRegionId !== undefined) q = q.where('from_region_id', '=', f.fromRegionId);
  if (f.toRegionId !== undefined) q = q.where('to_region_id', '=', f.toRegionId);
  if (f.acknowledged !== undefined) q = q.where('acknowledged_at', f.acknowledged ? 'is not' : 'is', null);
  return q.orderBy('shift_ended_at', 'desc').orderBy('id', 'desc').offset(f.offset).limit(f.limit).execute();
}

export async function getHandover(db: Executor, id: number) {
  const row = await db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return row;
}
export type Handover = Awaited<ReturnType<typeof getHandover>>;

/** The tickets of a handover as they are now (deleted ones are missing). */
export async function currentTickets(db: Executor, ids: number[]) {
  if (!ids.length) return new Map<number, { id: number; subject: string; status: Status; priority: Priority | null; assignee_id: number | null }>();
  const rows = await db.selectFrom('tickets').select(['id', 'subject', 'status', 'priority', 'assignee_id']).where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function updateHandoverNotes(ctx: AppContext, id: number, notes: string): Promise<Handover> {
  const row = await ctx.db.updateTable('handovers').set({ notes }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

/**
 * The incoming region confirms it has read the handover. Once only: a second acknowledgement is a 422
 * naming who acknowledged it and when, so two agents never both believe they took it over.
 */
export async function acknowledgeHandover(ctx: AppContext, a: { actor: Actor; id: number }): Promise<Handover> {
  const row = await ctx.db
    .updateTable('handovers')
    .set({ acknowledged_at: ctx.clock.now(), acknowledged_by: a.actor.user.id })
    .where('id', '=', a.id)
    .where('acknowledged_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (row) return row;
  const existing = await getHandover(ctx.db, a.id);
  const by = existing.acknowledged_by ? await ctx.db.selectFrom('users').select('name').where('id', '=', existing.acknowledged_by).executeTakeFirst() : undefined;
  throw invalid('base', `Handover: already acknowledged by ${by?.name ?? 'another agent'} at ${existing.acknowledged_at ? isoSeconds(existing.acknowledged_at) : 'an earlier time'}`, 'AlreadyAcknowledged');
}
