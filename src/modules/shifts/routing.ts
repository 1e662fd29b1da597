import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Priority, Ticket } from '../../platform/db-types.js';
import { assignTicketByRule } from '../tickets/assign-by-rule.js';
import { cachedForm } from '../tickets/forms.repository.js';
import { ticketWriteHooks, type TicketWrite } from '../tickets/write-hooks.js';
import { listRegions } from './regions.service.js';
import { regionsOnShift } from './shift-times.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';

/**
 * Follow-the-sun routing (spec §10): new technical tickets wait in `routing_queue` until an on-shift
 * agent of their group takes them, picked by least open tickets or round robin. A queue row leaves
 * when the ticket gets an assignee by any means, or is solved, closed or deleted.
 */

export const STRATEGIES = ['least_open', 'round_robin'] as const;
export type RoutingStrategy = (typeof STRATEGIES)[number];
export interface RoutingSettings {
  enabled: boolean;
  strategy: RoutingStrategy;
}

const DEFAULT_SETTINGS: RoutingSettings = { enabled: true, strategy: 'least_open' };
const storedSettings = z.object({ enabled: z.boolean().catch(true), strategy: z.enum(STRATEGIES).catch('least_open') });

/** Every routing decision (and handover reassignment) holds this lock, so two nodes never pick at once. */
export const ROUTING_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('sundial.routing'))`;

const URGENT = new Set<Priority | null>(['urgent', 'high']);
export const isUrgent = (priority: Priority | null) => URGENT.has(priority);
/** Statuses counted as an agent's open work for least-open routing. */
const WORKLOAD: Ticket['status'][] = ['new', 'open', 'pending'];
const UNSOLVED = new Set<Ticket['status']>(['new', 'open', 'pending', 'hold']);

export async function getRoutingSettings(db: Executor): Promise<RoutingSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'routing').executeTakeFirst();
  return row ? storedSettings.parse(row.value ?? {}) : { ...DEFAULT_SETTINGS };
}

export async function saveRoutingSettings(ctx: AppContext, changes: Partial<RoutingSettings>): Promise<RoutingSettings> {
  return ctx.db.transaction().execute(async (tx) => {
    await ROUTING_LOCK.execute(tx);
    const before = await getRoutingSettings(tx);
    const next = { ...before, ...changes };
    const value = JSON.stringify(next);
    await recordAdminAction(tx, { action: 'update', sourceType: 'routing_settings', sourceLabel: 'Routing', ...changeSet({ ...before }, { ...next }) });
    await tx
      .insertInto('settings')
      .values({ key: 'routing', value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
      .execute();
    return next;
  });
}

/** The tickets routing cares about: made with a technical form. */
async function isTechnical(tx: Executor, formId: number): Promise<boolean> {
  return (await cachedForm(tx, formId))?.kind === 'technical';
}

/** Write hook: queues new technical tickets and keeps the queue in step with later changes. */
async function routingHook(tx: Executor, ctx: AppContext, { before, after }: TicketWrite): Promise<void> {
  if (!before) {
    if (after.status !== 'new' || after.assignee_id !== null || after.group_id === null || !(await isTechnical(tx, after.form_id))) return;
    // Queued with its routing job in one statement.
    await sql`WITH queued AS (
        INSERT INTO routing_queue (ticket_id, urgent, queued_at) VALUES (${after.id}, ${isUrgent(after.priority)}, ${ctx.clock.now()}) ON CONFLICT (ticket_id) DO NOTHING
      ), job AS (${ctx.jobs.enqueueSql('routing.route', [{ data: { ticketId: after.id } }])})
      SELECT 1`.execute(tx);
    return;
  }
  // Only unassigned, unsolved tickets can be queued: nothing to do for the rest.
  if (before.assignee_id !== null || !UNSOLVED.has(before.status)) return;
  if (after.assignee_id !== null || !UNSOLVED.has(after.status) || after.deleted_at !== null) {
    await tx.deleteFrom('routing_queue').where('ticket_id', '=', after.id).execute();
    return;
  }
  if (isUrgent(after.priority) && !isUrgent(before.priority)) {
    // Raised to urgent/high while waiting: it jumps the queue and is tried again at once.
    const raised = await tx.updateTable('routing_queue').set({ urgent: true }).where('ticket_id', '=', after.id).executeTakeFirst();
    if (raised.numUpdatedRows) await ctx.jobs.send('routing.route', { ticketId: after.id }, { tx });
  } else if (!isUrgent(after.priority) && isUrgent(before.priority)) {
    await tx.updateTable('routing_queue').set({ urgent: false }).where('ticket_id', '=', after.id).execute();
  }
}
ticketWriteHooks.push(routingHook);

/**
 * The agent a rule should give a ticket to: active, not suspended, not away agents or admins of one
 * of `regionIds` who are members of `groupId` (any group when null). least_open prefers the fewest
 * new/open/pending tickets, then whoever was routed to longest ago; round_robin only the latter. Call
 * it under ROUTING_LOCK, and stamp `last_routed_at` on the pick in the same transaction.
 */
export async function pickAgent(tx: Executor, a: { regionIds: number[]; groupId: number | null; strategy: RoutingStrategy }): Promise<{ id: number; region_id: number } | null> {
  if (!a.regionIds.length) return null;
  const openCount = sql<number>`(SELECT count(*) FROM tickets t WHERE t.assignee_id = users.id AND t.status IN (${sql.join(WORKLOAD.map((s) => sql.lit(s)))}) AND t.deleted_at IS NULL)`;
  let q = tx
    .selectFrom('users')
    .select(['users.id', 'users.region_id'])
    .where('users.role', 'in', ['agent', 'admin'])
    .where('users.active', '=', true)
    .where('users.suspended', '=', false)
    .where('users.away', '=', false)
    .where('users.region_id', 'in', a.regionIds);
  if (a.groupId !== null) {
    const groupId = a.groupId;
    q = q.where(({ exists, selectFrom }) => exists(selectFrom('group_memberships as gm').select('gm.id').whereRef('gm.user_id', '=', 'users.id').where('gm.group_id', '=', groupId)));
  }
  if (a.strategy === 'least_open') q = q.orderBy(openCount);
  const row = await q.orderBy(sql`users.last_routed_at ASC NULLS FIRST`).orderBy('users.id').limit(1).executeTakeFirst();
  return row ? { id: row.id, region_id: row.region_id! } : null;
}

/**
 * Stamps the pick for round robin and tie-breaks, as of the routing clock. Kept strictly increasing
 * (under ROUTING_LOCK) so two picks within one clock tick still take turns instead of tying.
 */
export async function markRouted(tx: Executor, ctx: AppContext, userId: number): Promise<void> {
  const stamp = sql<Date>`greatest(${ctx.clock.now()}::timestamptz, (SELECT max(last_routed_at) FROM users) + interval '1 millisecond')`;
  await tx.updateTable('users').set({ last_routed_at: stamp }).where('id', '=', userId).execute();
}

export type RouteOutcome = 'assigned' | 'waiting' | 'disabled' | 'dropped';

/**
 * Job `routing.route`: gives one queued ticket to an on-shift agent, or leaves it queued for the next
 * region when nobody fits. Idempotent: re-checks the queue row and the ticket under the routing lock.
 */
export async function routeTicket(ctx: AppContext, ticketId: number): Promise<{ outcome: RouteOutcome; assigneeId?: number }> {
  return ctx.db.transaction().execute(async (tx) => {
    await ROUTING_LOCK.execute(tx);
    const settings = await getRoutingSettings(tx);
    // Switched off: queued tickets stay for agents to take by hand (which empties the queue row).
    if (!settings.enabled) return { outcome: 'disabled' as const };
    const queued = await tx.selectFrom('routing_queue').select('ticket_id').where('ticket_id', '=', ticketId).executeTakeFirst();
    if (!queued) return { outcome: 'dropped' as const };
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst();
    if (!ticket || ticket.deleted_at || ticket.assignee_id !== null || !UNSOLVED.has(ticket.status) || ticket.group_id === null || !(await isTechnical(tx, ticket.form_id))) {
      await tx.deleteFrom('routing_queue').where('ticket_id', '=', ticketId).execute();
      return { outcome: 'dropped' as const };
    }
    const onShift = regionsOnShift(await listRegions(tx), ctx.clock.now());
    const agent = await pickAgent(tx, { regionIds: onShift.map((r) => r.id), groupId: ticket.group_id, strategy: settings.strategy });
    if (!agent) return { outcome: 'waiting' as const };
    await markRouted(tx, ctx, agent.id);
    const assigned = await assignTicketByRule(tx, ctx, { ticketId, assigneeId: agent.id, rule: 'routing', metadata: { strategy: settings.strategy, region_id: agent.region_id } });
    if (!assigned) return { outcome: 'dropped' as const };
    // The write hook has removed the queue row already; this keeps the invariant explicit.
    await tx.deleteFrom('routing_queue').where('ticket_id', '=', ticketId).execute();
    return { outcome: 'assigned' as const, assigneeId: agent.id };
  });
}

/** The waiting tickets in routing order: urgent/high first, then oldest. */
export function queuedTickets(db: Executor, limit = 500) {
  return db.selectFrom('routing_queue').selectAll().orderBy('urgent', 'desc').orderBy('queued_at').orderBy('ticket_id').limit(limit).execute();
}

/** Routes waiting tickets in queue order (at most `limit` per call); returns how many were assigned. */
export async function routeQueuedTickets(ctx: AppContext, limit = 200): Promise<number> {
  const settings = await getRoutingSettings(ctx.db);
  if (!settings.enabled) return 0;
  if (!regionsOnShift(await listRegions(ctx.db), ctx.clock.now()).length) return 0;
  const rows = await queuedTickets(ctx.db, limit);
  let assigned = 0;
  for (const { ticket_id } of rows) if ((await routeTicket(ctx, ticket_id)).outcome === 'assigned') assigned++;
  return assigned;
}
