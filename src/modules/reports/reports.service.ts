import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { iso } from '../accounts/users.presenter.js';
import { STAGES } from '../escalation/stages.js';
import { backlog, csatOf, drillDown, onHoldSlots, slaAchievement, ticketHealth, ticketsPerOrganization } from './aggregate.js';
import { DAY_MS, parseKey, presentKey, type Filters, type GroupBy, type Scope } from './scope.js';
import { summarize, type Figures } from './summary.js';
import { currentFacts, type FactStore } from './fact-store.js';
import { encodeCursor, type DrillQuery, type RawFilters, type ReportQuery } from './reports.schema.js';

/** How the summary's figures are measured, sent with every summary so a reader need not guess. */
export const UNITS = {
  first_reply: 'business_minutes',
  next_reply: 'business_minutes',
  requester_wait: 'calendar_minutes',
  resolution: 'calendar_minutes',
  percentiles: 'exact, interpolated between ranks (as PostgreSQL percentile_cont)',
  attribution: {
    tickets_created: 'created_at',
    first_reply: 'created_at',
    next_reply: 'created_at',
    regular_updates: 'created_at',
    tickets_solved: 'solved_at',
    requester_wait: 'solved_at',
    resolution: 'solved_at',
    csat: 'rated_at',
  },
  days: 'UTC',
};

/** A 422 in the shape of the parameter problems (description names the parameter). */
const paramInvalid = (param: string, message: string) =>
  new AppError('RecordInvalid', `Invalid report parameters: ${param}: ${message}`, { [param]: [{ description: `${param}: ${message}`, error: 'InvalidValue' }] });

interface Resolved {
  store: FactStore;
  scope: Scope;
  filters: Filters;
}

/** The facts, current, and the query's filters resolved (a form id becomes its kind; regions loaded when used). */
async function resolve(ctx: AppContext, q: Pick<ReportQuery, 'fromMs' | 'toMs' | 'filters' | 'groupBy'>): Promise<Resolved> {
  const { form, ...rest } = q.filters as RawFilters;
  const filters: Filters = { ...rest };
  if (typeof form === 'number') {
    const row = await ctx.db.selectFrom('ticket_forms').select('kind').where('id', '=', form).executeTakeFirst();
    if (!row) throw paramInvalid('form', `there is no ticket form ${form}`);
    filters.form = row.kind;
  } else if (form) filters.form = form;
  const needsRegions = filters.region_id !== undefined || q.groupBy === 'region';
  const [store, regions] = await Promise.all([
    currentFacts(ctx.db),
    needsRegions ? ctx.db.selectFrom('users').select(['id', 'region_id']).where('region_id', 'is not', null).execute() : Promise.resolve([]),
  ]);
  const regionOf = new Map(regions.map((r) => [r.id, r.region_id!]));
  return { store, filters, scope: { from: q.fromMs, to: q.toMs, filters, regionOf } };
}

const PRIORITY_LABEL: Record<string, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };
const PLAN_LABEL: Record<string, string> = { free: 'Free', professional: 'Professional', enterprise: 'Enterprise', premier: 'Premier' };
const NONE_LABEL: Partial<Record<GroupBy, string>> = {
  priority: 'No priority',
  category: 'No category',
  group: 'No group',
  region: 'No region',
  agent: 'Unassigned',
  organization: 'No organization',
};

/** Display names of group keys, read from the database for the keys present. */
async function labelsOf(ctx: AppContext, store: FactStore, by: GroupBy, keys: number[]): Promise<Map<number, string>> {
  const labels = new Map<number, string>();
  const ids = keys.filter((k) => !Number.isNaN(k));
  const named = async (rows: Promise<{ id: number; name: string }[]>) => (await rows).forEach((r) => labels.set(r.id, r.name));
  const some = ids.length ? ids : [-1];
  switch (by) {
    case 'priority':
    case 'plan':
      for (const k of ids) labels.set(k, (by === 'priority' ? PRIORITY_LABEL : PLAN_LABEL)[String(presentKey(store, by, k))]);
      break;
    case 'form': {
      const forms = await ctx.db.selectFrom('ticket_forms').select(['kind', 'name']).execute();
      for (const k of ids) labels.set(k, forms.find((f) => f.kind === presentKey(store, by, k))?.name ?? String(presentKey(store, by, k)));
      break;
    }
    case 'category': {
      const options = await ctx.db
        .selectFrom('ticket_field_options')
        .innerJoin('ticket_fields', 'ticket_fields.id', 'ticket_field_options.field_id')
        .select(['ticket_field_options.value', 'ticket_field_options.name'])
        .where('ticket_fields.key', 'like', '%category')
        .execute();
      for (const k of ids) {
        const value = String(presentKey(store, by, k));
        labels.set(k, options.find((o) => o.value === value)?.name ?? value);
      }
      break;
    }
    case 'group':
      await named(ctx.db.selectFrom('groups').select(['id', 'name']).where('id', 'in', some).execute());
      break;
    case 'region':
      await named(ctx.db.selectFrom('regions').select(['id', 'name']).where('id', 'in', some).execute());
      break;
    case 'agent':
      await named(ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', some).execute());
      break;
    case 'organization':
      await named(ctx.db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', some).execute());
      break;
    case 'day':
    case 'week':
      for (const k of ids) labels.set(k, `${by === 'week' ? 'Week of ' : ''}${presentKey(store, by, k)}`);
      break;
    case 'none':
      break;
  }
  for (const k of keys) if (!labels.has(k)) labels.set(k, Number.isNaN(k) ? (NONE_LABEL[by] ?? 'None') : `#${k}`);
  return labels;
}

/** Enumerations in their natural order, time in time order, everything else busiest first; "none" last. */
function rowOrder(by: GroupBy): (a: { key: number; label: string; figures: Figures }, b: { key: number; label: string; figures: Figures }) => number {
  return (a, b) => {
    const an = Number.isNaN(a.key);
    const bn = Number.isNaN(b.key);
    if (an !== bn) return an ? 1 : -1;
    switch (by) {
      case 'priority':
      case 'form':
      case 'day':
      case 'week':
        return a.key - b.key;
      case 'plan':
        return b.key - a.key;
      default:
        return b.figures.tickets_created - a.figures.tickets_created || b.figures.tickets_solved - a.figures.tickets_solved || a.label.localeCompare(b.label);
    }
  };
}

export type SummaryRow = { key: string | number | null; label: string } & Figures;

/** GET /reports/summary: figures of the period per group and in total. */
export async function summaryReport(ctx: AppContext, q: ReportQuery) {
  const { store, scope, filters } = await resolve(ctx, q);
  const { groups, totals } = summarize(store, scope, q.groupBy);
  const labels = await labelsOf(ctx, store, q.groupBy, groups.map((g) => g.key));
  const rows: SummaryRow[] = groups
    .map((g) => ({ ...g, label: labels.get(g.key)! }))
    .sort(rowOrder(q.groupBy))
    .map((g) => ({ key: presentKey(store, q.groupBy, g.key), label: g.label, ...g.figures }));
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    filters,
    units: UNITS,
    rows,
    totals: { key: null, label: 'Total', ...totals } as SummaryRow,
  };
}

/** GET /reports/sla_achievement. */
export async function slaAchievementReport(ctx: AppContext, q: ReportQuery) {
  const { store, scope } = await resolve(ctx, q);
  return slaAchievement(store, scope);
}

/** GET /reports/backlog: unsolved tickets now by status and age. */
export async function backlogReport(ctx: AppContext, q: ReportQuery) {
  const { store, scope } = await resolve(ctx, q);
  return backlog(store, scope, ctx.clock.now().getTime());
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * GET /reports/on_hold: on-hold tickets by the stage of their open engineering escalation (every stage,
 * zeros included, then `no_escalation`); `oldest_days` is the age of the oldest such ticket.
 */
export async function onHoldReport(ctx: AppContext, q: ReportQuery) {
  const { store, scope } = await resolve(ctx, q);
  const now = ctx.clock.now().getTime();
  const slots = onHoldSlots(store, scope);
  const ids = slots.map((i) => store.ticketId[i]);
  const open = ids.length
    ? await ctx.db.selectFrom('escalations').select(['ticket_id', 'stage']).where('closed_at', 'is', null).where('ticket_id', 'in', ids).execute()
    : [];
  const stageOf = new Map(open.map((e) => [e.ticket_id, e.stage as string]));
  const order = [...STAGES.filter((s) => s !== 'closed_without_change'), 'no_escalation'];
  const buckets = new Map<string, { count: number; oldest: number }>(order.map((s) => [s, { count: 0, oldest: Infinity }]));
  for (const i of slots) {
    const stage = stageOf.get(store.ticketId[i]) ?? 'no_escalation';
    let b = buckets.get(stage);
    if (!b) buckets.set(stage, (b = { count: 0, oldest: Infinity }));
    b.count++;
    b.oldest = Math.min(b.oldest, store.created[i]);
  }
  return [...buckets].map(([stage, b]) => ({ stage, count: b.count, oldest_days: b.count ? round1((now - b.oldest) / DAY_MS) : null }));
}

/** GET /reports/csat: satisfaction of the period, with the comments (newest first, `limit` of them). */
export async function csatReport(ctx: AppContext, q: ReportQuery, limit: number) {
  const { store, scope } = await resolve(ctx, q);
  const { commented, ...figures } = csatOf(store, scope);
  const ratingIds = commented.slice(0, limit).map((i) => store.csatRatingOf(i));
  const rows = ratingIds.length
    ? await ctx.db.selectFrom('satisfaction_ratings').select(['id', 'ticket_id', 'score', 'comment', 'rated_at']).where('id', 'in', ratingIds).execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const comments = ratingIds
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({ ticket_id: r.ticket_id, score: r.score as 'good' | 'bad', comment: r.comment, rated_at: iso(r.rated_at) }));
  return { ...figures, comments, comments_total: commented.length };
}

/**
 * GET /reports/ticket_score: every organization's ticket score (spec §13), lowest first. It always looks
 * at the 90 days up to now; of the filters only `plan` (the organization's) and `organization_id` apply.
 */
export async function ticketScoreReport(ctx: AppContext, q: ReportQuery) {
  const store = await currentFacts(ctx.db);
  const now = ctx.clock.now().getTime();
  const counts = ticketsPerOrganization(store, now - 90 * DAY_MS, now);
  let orgs = ctx.db.selectFrom('organizations').select(['id', 'name', 'support_plan']).where('deleted_at', 'is', null);
  if (q.filters.organization_id !== undefined) orgs = orgs.where('id', '=', q.filters.organization_id);
  if (q.filters.plan !== undefined) orgs = orgs.where('support_plan', '=', q.filters.plan);
  return (await orgs.orderBy('name').orderBy('id').execute())
    .map((o) => {
      const tickets = counts.get(o.id) ?? 0;
      return { organization_id: o.id, organization_name: o.name, plan: o.support_plan, tickets_90d: tickets, ...ticketHealth(tickets) };
    })
    .sort((a, b) => a.score - b.score || b.tickets_90d - a.tickets_90d || a.organization_name.localeCompare(b.organization_name));
}

export interface ReportTicket {
  id: number;
  subject: string;
  status: string;
  priority: string | null;
  organization_name: string | null;
  assignee_name: string | null;
  created_at: string | null;
  solved_at: string | null;
  first_reply_minutes: number | null;
  resolution_minutes: number | null;
}

/** Ticket rows for ids, in the order given. */
async function ticketRows(ctx: AppContext, ids: number[]): Promise<ReportTicket[]> {
  const out: ReportTicket[] = [];
  for (let k = 0; k < ids.length; k += 1000) {
    const chunk = ids.slice(k, k + 1000);
    const rows = await ctx.db
      .selectFrom('tickets')
      .innerJoin('ticket_facts', 'ticket_facts.ticket_id', 'tickets.id')
      .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
      .leftJoin('users', 'users.id', 'tickets.assignee_id')
      .select([
        'tickets.id', 'tickets.subject', 'tickets.status', 'tickets.priority', 'organizations.name as organization_name', 'users.name as assignee_name',
        'ticket_facts.created_at', 'ticket_facts.solved_at', 'ticket_facts.first_reply_minutes', 'ticket_facts.resolution_minutes',
      ])
      .where('tickets.id', 'in', chunk)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (!r) continue;
      out.push({
        id: r.id,
        subject: r.subject,
        status: r.status,
        priority: r.priority,
        organization_name: r.organization_name,
        assignee_name: r.assignee_name,
        created_at: iso(new Date(r.created_at)),
        solved_at: r.solved_at ? iso(new Date(r.solved_at)) : null,
        first_reply_minutes: r.first_reply_minutes === null ? null : round1(r.first_reply_minutes),
        resolution_minutes: r.resolution_minutes === null ? null : round1(r.resolution_minutes),
      });
    }
  }
  return out;
}

/** Most tickets one CSV download lists. */
export const CSV_TICKET_LIMIT = 100_000;

/**
 * GET /reports/tickets: the tickets behind a figure, newest first, `limit` at a time (all of them, up to
 * CSV_TICKET_LIMIT, for CSV). `count` is the figure itself.
 */
export async function drillDownReport(ctx: AppContext, q: DrillQuery) {
  const { store, scope } = await resolve(ctx, q);
  let key: number | undefined;
  if (q.key !== undefined) {
    key = parseKey(store, q.groupBy, q.key);
    if (key === undefined) throw paramInvalid('key', `"${q.key.slice(0, 50)}" is not a ${q.groupBy} of this report`);
  }
  const ids = drillDown(store, scope, { metric: q.metric, by: q.groupBy, key, status: q.status, ageBucket: q.ageBucket, now: ctx.clock.now().getTime() });
  if (q.format === 'csv') return { tickets: await ticketRows(ctx, ids.slice(0, CSV_TICKET_LIMIT)), count: ids.length, next: null };
  const start = q.before === undefined ? 0 : ids.findIndex((id) => id < q.before!);
  const page = start < 0 ? [] : ids.slice(start, start + q.limit);
  const more = start >= 0 && start + q.limit < ids.length;
  return { tickets: await ticketRows(ctx, page), count: ids.length, next: more ? encodeCursor(page[page.length - 1]) : null };
}

