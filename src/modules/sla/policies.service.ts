import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Plan, Priority, SlaPoliciesTable, SlaPolicyMetricsTable } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { businessHours, PREMIER_WEEKEND, type Calendar } from './calendar.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';

export type SlaPolicy = Selectable<SlaPoliciesTable> & { metrics: Selectable<SlaPolicyMetricsTable>[] };
export type PolicyMetricInput = Pick<Selectable<SlaPolicyMetricsTable>, 'priority' | 'metric' | 'target_minutes' | 'business_hours'> & { internal?: boolean };

export async function listPolicies(db: Executor, ids?: number[]): Promise<SlaPolicy[]> {
  let q = db.selectFrom('sla_policies').selectAll().orderBy('position').orderBy('id');
  if (ids) q = q.where('id', 'in', ids.length ? ids : [-1]);
  const policies = await q.execute();
  if (!policies.length) return [];
  const metrics = await db.selectFrom('sla_policy_metrics').selectAll().where('policy_id', 'in', policies.map((p) => p.id)).orderBy('id').execute();
  return policies.map((p) => ({ ...p, metrics: metrics.filter((m) => m.policy_id === p.id) }));
}

export async function getPolicy(db: Executor, id: number): Promise<SlaPolicy> {
  const [policy] = await listPolicies(db, [id]);
  if (!policy) throw notFound();
  return policy;
}

async function replaceMetrics(tx: Executor, policyId: number, metrics: PolicyMetricInput[]) {
  const seen = new Set<string>();
  for (const m of metrics) {
    const key = `${m.priority}/${m.metric}`;
    if (seen.has(key)) throw invalid('policy_metrics', `Policy metrics: ${key} is listed twice`, 'DuplicateValue');
    seen.add(key);
  }
  await tx.deleteFrom('sla_policy_metrics').where('policy_id', '=', policyId).execute();
  if (metrics.length) {
    await tx
      .insertInto('sla_policy_metrics')
      .values(metrics.map((m) => ({ policy_id: policyId, priority: m.priority, metric: m.metric, target_minutes: m.target_minutes, business_hours: m.business_hours, internal: m.internal ?? false })))
      .execute();
  }
}

export async function createPolicy(ctx: AppContext, input: { title: string; description?: string; plan: Exclude<Plan, 'free'>; metrics: PolicyMetricInput[] }): Promise<SlaPolicy> {
  const id = await ctx.db.transaction().execute(async (tx) => {
    const clash = await tx.selectFrom('sla_policies').select('id').where('plan', '=', input.plan).executeTakeFirst();
    if (clash) throw invalid('filter', `Filter: the ${input.plan} plan already has a policy (${clash.id}); update that one`, 'DuplicateValue');
    const position = Number((await tx.selectFrom('sla_policies').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst())?.p ?? 0) + 1;
    const row = await tx
      .insertInto('sla_policies')
      .values({ title: input.title, description: input.description ?? '', plan: input.plan, position, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceMetrics(tx, row.id, input.metrics);
    await recordAdminAction(tx, { action: 'create', sourceType: 'sla_policy', sourceId: row.id, sourceLabel: input.title, change: `SLA policy created for the ${input.plan} plan`, after: policySummary(await getPolicy(tx, row.id)) });
    return row.id;
  });
  return getPolicy(ctx.db, id);
}

export async function updatePolicy(ctx: AppContext, id: number, input: { title?: string; description?: string; metrics?: PolicyMetricInput[] }): Promise<SlaPolicy> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('sla_policies').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound();
    const before = policySummary(await getPolicy(tx, id));
    await tx.updateTable('sla_policies').set({ title: input.title, description: input.description, updated_at: new Date() }).where('id', '=', id).execute();
    if (input.metrics) await replaceMetrics(tx, id, input.metrics);
    const after = policySummary(await getPolicy(tx, id));
    await recordAdminAction(tx, { action: 'update', sourceType: 'sla_policy', sourceId: id, sourceLabel: after.title, ...changeSet(before, after) });
  });
  return getPolicy(ctx.db, id);
}

/** What the audit log keeps of a policy: its title, plan and targets as `priority metric: minutes`. */
const policySummary = (p: SlaPolicy) => ({
  title: p.title,
  plan: p.plan,
  targets: p.metrics.map((m) => `${m.priority} ${m.metric}: ${m.target_minutes}${m.business_hours ? ' business' : ''}`).sort(),
});

/** The targets that apply to a ticket of this plan and priority (none for free plans or no priority). */
export async function targetsFor(db: Executor, plan: Plan, priority: Priority | null) {
  if (plan === 'free' || !priority) return [];
  return db
    .selectFrom('sla_policy_metrics')
    .innerJoin('sla_policies', 'sla_policies.id', 'sla_policy_metrics.policy_id')
    .select(['sla_policies.id as policy_id', 'sla_policy_metrics.metric', 'sla_policy_metrics.target_minutes', 'sla_policy_metrics.business_hours', 'sla_policy_metrics.internal'])
    .where('sla_policies.plan', '=', plan)
    .where('sla_policy_metrics.priority', '=', priority)
    .execute();
}

const WALL: Calendar = Object.freeze({ kind: 'calendar' });

/** Calendars by zone, cover and holidays. Bounded: keys are few, but holidays can change while the server runs. */
const calendars = new Map<string, Calendar>();
const MAX_CALENDARS = 1000;

/**
 * The clock a target runs on: wall-clock time, or business hours in the requester organization's zone,
 * widened by the Premier weekend cover for urgent and high (spec §4.6). Every evaluation asks for the
 * same few calendars, so each is built once and shared: the calendar maths memoizes per calendar object.
 */
export function calendarFor(target: { business_hours: boolean }, ticket: { plan: Plan; priority: Priority | null; timeZone: string | null; holidays?: string[] }): Calendar {
  if (!target.business_hours) return WALL;
  const zone = ticket.timeZone ?? 'America/Los_Angeles';
  const weekendCover = ticket.plan === 'premier' && (ticket.priority === 'urgent' || ticket.priority === 'high');
  const holidays = ticket.holidays ?? [];
  const key = JSON.stringify([weekendCover, zone, holidays]);
  let cal = calendars.get(key);
  if (!cal) {
    // Copies, frozen: the calendar outlives the caller's arrays and is shared by every later caller.
    const schedules = [businessHours(zone, Object.freeze([...holidays]))];
    if (weekendCover) schedules.push(PREMIER_WEEKEND);
    cal = Object.freeze({ kind: 'business' as const, schedules: Object.freeze(schedules) });
    if (calendars.size >= MAX_CALENDARS) calendars.delete(calendars.keys().next().value!);
    calendars.set(key, cal);
  }
  return cal;
}
