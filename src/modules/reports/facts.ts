import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { Plan, Ticket } from '../../platform/db-types.js';
import { openMillisBetween } from '../sla/calendar.js';
import type { ClockMetric, Instance, LedgerEvent, SlaContext } from '../sla/clocks.js';
import { evaluateTicket, type SlaState } from '../sla/engine.js';
import { calendarFor } from '../sla/policies.service.js';

/*
 * Report facts: one row per ticket (ticket_facts) holding what the reports count. Two kinds of columns:
 *  - read from the ticket row, its form and its rating by one SQL statement (dimensions, resolution,
 *    CSAT): refreshed on every ticket write and rating;
 *  - derived from the SLA replay (reply times, targets met or breached, requester wait): refreshed
 *    whenever the SLA engine replays the ticket (every clock-moving write, and the breach job), from the
 *    very state it writes the ledger from, so a figure traces back to ticket_metric_events.
 * Writes that do not move clocks (field edits, internal notes, assignment) cannot change the second
 * kind, so they refresh only the first: the hook stays one UPDATE on most writes.
 */

const MINUTE = 60_000;

/** What the SLA replay says about a ticket, as the reports count it. */
export interface ClockFacts {
  plan: Plan;
  first_reply_minutes: number | null;
  first_reply_calendar_minutes: number | null;
  first_reply_sla: 'achieved' | 'breached' | null;
  next_reply_minutes: number[];
  next_reply_achieved: number;
  next_reply_breached: number;
  updates_achieved: number;
  updates_breached: number;
  /** Over every solve; stored only while the ticket is solved or closed. */
  requester_wait_minutes: number;
}

/** Wall-clock time a metric's instances were running (activate → pause/fulfill), from the ledger. */
function runningMillis(ledger: LedgerEvent[], metric: ClockMetric): number {
  const since = new Map<number, number>();
  let total = 0;
  for (const e of ledger) {
    if (e.metric !== metric) continue;
    if (e.type === 'activate') since.set(e.instance, e.at.getTime());
    else if (e.type === 'pause' || e.type === 'fulfill') {
      const start = since.get(e.instance);
      if (start !== undefined) total += e.at.getTime() - start;
      since.delete(e.instance);
    }
  }
  return total;
}

/**
 * Reply and wait figures of one ticket from its replayed clocks (pure). An instance counts as answered
 * when a public agent comment ended it (a solve also ends open reply clocks, without an answer); it is
 * achieved when it had a target and ended unbreached, breached when a breach was recorded (even while
 * still running). Reply minutes are business minutes on the ticket's business-hours calendar, whatever
 * hour type its targets use, so medians compare across plans.
 */
export function clockFacts(state: Pick<SlaState, 'instances' | 'ledger' | 'history' | 'holidays'>): ClockFacts {
  let sla: SlaContext = { plan: 'free', priority: null, timeZone: null };
  const replies = new Set<number>();
  for (const e of state.history) {
    if (e.kind === 'created' || e.kind === 'retarget') sla = e.sla;
    else if (e.kind === 'comment' && e.public && e.byAgent) replies.add(e.at.getTime());
  }
  const business = calendarFor({ business_hours: true }, { ...sla, holidays: state.holidays });
  const answered = (i: Instance) => i.endedAt !== null && replies.has(i.endedAt.getTime());
  // Reply clocks never pause: their time is the open time between activation and the reply.
  const businessMinutes = (i: Instance) => openMillisBetween(business, i.activatedAt, i.endedAt!) / MINUTE;
  const achieved = (i: Instance) => i.target !== null && i.stage === 'achieved';
  const of = (metric: ClockMetric) => state.instances.filter((i) => i.metric === metric);
  const first = of('first_reply_time')[0];
  const next = of('next_reply_time');
  const updates = of('pausable_update_time');
  const firstAnswered = first !== undefined && answered(first);
  return {
    plan: sla.plan,
    first_reply_minutes: firstAnswered ? businessMinutes(first) : null,
    first_reply_calendar_minutes: firstAnswered ? (first.endedAt!.getTime() - first.activatedAt.getTime()) / MINUTE : null,
    first_reply_sla: !first ? null : first.breached ? 'breached' : achieved(first) ? 'achieved' : null,
    next_reply_minutes: next.filter(answered).map(businessMinutes),
    next_reply_achieved: next.filter(achieved).length,
    next_reply_breached: next.filter((i) => i.breached).length,
    updates_achieved: updates.filter(achieved).length,
    updates_breached: updates.filter((i) => i.breached).length,
    requester_wait_minutes: runningMillis(state.ledger, 'requester_wait_time') / MINUTE,
  };
}

/** Columns the SQL source below fills, in its order. */
const ROW_COLUMNS = [
  'created_at', 'solved_at', 'status', 'deleted', 'priority', 'form_kind', 'category', 'group_id', 'assignee_id', 'organization_id',
  'resolution_minutes', 'csat_score', 'csat_rated_at', 'csat_rating_id', 'csat_has_comment',
] as const;
const CLOCK_COLUMNS = [
  'plan', 'first_reply_minutes', 'first_reply_calendar_minutes', 'first_reply_sla', 'next_reply_minutes', 'next_reply_achieved', 'next_reply_breached',
  'updates_achieved', 'updates_breached', 'requester_wait_minutes',
] as const;
export const FACT_COLUMNS = [...ROW_COLUMNS, ...CLOCK_COLUMNS] as const;

/**
 * The row-derived columns of one ticket. Category is the value of the form's category field (key
 * technical_category / sales_category); the rating is the ticket's latest good or bad one. The same
 * expressions back-fill existing tickets in db/migrations/0016_report_facts.sql.
 */
const rowSource = (ticketId: number) => sql`
  SELECT t.id AS ticket_id, t.created_at, t.solved_at, t.status, t.deleted_at IS NOT NULL AS deleted, t.priority, f.kind AS form_kind,
    (SELECT t.custom_fields ->> tf.id::text FROM ticket_form_fields ff JOIN ticket_fields tf ON tf.id = ff.field_id
      WHERE ff.form_id = t.form_id AND tf.key LIKE '%category' ORDER BY ff.position LIMIT 1) AS category,
    t.group_id, t.assignee_id, t.organization_id,
    CASE WHEN t.status IN ('solved','closed') AND t.solved_at IS NOT NULL THEN extract(epoch FROM t.solved_at - t.created_at)::float8 / 60 END AS resolution_minutes,
    r.score AS csat_score, r.rated_at AS csat_rated_at, r.id AS csat_rating_id, coalesce(r.comment IS NOT NULL, false) AS csat_has_comment
  FROM tickets t
  JOIN ticket_forms f ON f.id = t.form_id
  LEFT JOIN LATERAL (
    SELECT s.id, s.score, s.rated_at, s.comment FROM satisfaction_ratings s
    WHERE s.ticket_id = t.id AND s.score IN ('good','bad') ORDER BY s.id DESC LIMIT 1
  ) r ON true
  WHERE t.id = ${ticketId}`;

const ids = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));

const clockValues = (c: ClockFacts): RawBuilder<unknown>[] => [
  sql`${c.plan}`,
  sql`${c.first_reply_minutes}::float8`,
  sql`${c.first_reply_calendar_minutes}::float8`,
  sql`${c.first_reply_sla}`,
  sql`${c.next_reply_minutes}::float8[]`,
  sql`${c.next_reply_achieved}::int`,
  sql`${c.next_reply_breached}::int`,
  sql`${c.updates_achieved}::int`,
  sql`${c.updates_breached}::int`,
  // Waiting is over only once the ticket is solved (again): an open ticket has no requester wait yet.
  sql`CASE WHEN s.status IN ('solved','closed') THEN ${c.requester_wait_minutes}::float8 END`,
];

/** Per transaction, the tickets whose facts were already written in full (the write hook then skips them). */
const written = new WeakMap<object, Set<number>>();
const writtenIn = (tx: Executor) => {
  let set = written.get(tx);
  if (!set) written.set(tx, (set = new Set()));
  return set;
};

/**
 * The statement that writes a ticket's whole fact row from its SLA state (inserting it if new), for
 * the caller to run in `tx` (alone, or within another statement).
 */
export function ticketFactUpsert(tx: Executor, ticketId: number, state: Pick<SlaState, 'instances' | 'ledger' | 'history' | 'holidays'>): RawBuilder<unknown> {
  const clocks = clockFacts(state);
  writtenIn(tx).add(ticketId);
  return sql`
    INSERT INTO ticket_facts (ticket_id, ${ids(FACT_COLUMNS)}, replayed, refreshed_at, txid)
    SELECT s.ticket_id, ${sql.join(ROW_COLUMNS.map((c) => sql.ref(`s.${c}`)))}, ${sql.join(clockValues(clocks))}, true, now(), pg_current_xact_id()
    FROM (${rowSource(ticketId)}) s
    ON CONFLICT (ticket_id) DO UPDATE SET ${sql.join([...FACT_COLUMNS, 'replayed', 'refreshed_at', 'txid'].map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}
  `;
}

/** Writes a ticket's whole fact row from its SLA state (inserting it if new). */
export async function writeTicketFact(tx: Executor, ticketId: number, state: Pick<SlaState, 'instances' | 'ledger' | 'history' | 'holidays'>): Promise<void> {
  await ticketFactUpsert(tx, ticketId, state).execute(tx);
}

/**
 * Refreshes the row-derived columns of a ticket's facts (one UPDATE); a ticket without facts yet gets
 * them in full from a replay of its history.
 */
export async function refreshTicketFact(tx: Executor, ticketId: number): Promise<void> {
  const result = await sql`
    UPDATE ticket_facts f SET ${sql.join(ROW_COLUMNS.map((c) => sql`${sql.ref(c)} = s.${sql.ref(c)}`))}, refreshed_at = now(), txid = pg_current_xact_id()
    FROM (${rowSource(ticketId)}) s
    WHERE f.ticket_id = s.ticket_id
  `.execute(tx);
  if (!Number(result.numAffectedRows ?? 0)) await writeTicketFact(tx, ticketId, await evaluateTicket(tx, ticketId));
}

const time = (d: Date | null) => (d ? d.getTime() : null);

/** Whether a write changed a ticket column the row-derived facts read (an internal note or a tag does not). */
export function factColumnsChanged(before: Ticket, after: Ticket): boolean {
  return (
    before.status !== after.status ||
    before.priority !== after.priority ||
    before.form_id !== after.form_id ||
    before.group_id !== after.group_id ||
    before.assignee_id !== after.assignee_id ||
    before.organization_id !== after.organization_id ||
    time(before.deleted_at) !== time(after.deleted_at) ||
    time(before.solved_at) !== time(after.solved_at) ||
    time(before.created_at) !== time(after.created_at) ||
    JSON.stringify(before.custom_fields) !== JSON.stringify(after.custom_fields)
  );
}

/**
 * The write hook's entry: nothing to do when this transaction already wrote the ticket's facts from a
 * replay, or when the write left every column the facts read unchanged.
 */
export async function refreshAfterWrite(tx: Executor, write: { before: Ticket | null; after: Ticket }): Promise<void> {
  if (writtenIn(tx).has(write.after.id)) return;
  if (write.before && !factColumnsChanged(write.before, write.after)) return;
  await refreshTicketFact(tx, write.after.id);
}

export type FactRow = Record<(typeof FACT_COLUMNS)[number] | 'ticket_id', unknown>;

/** A ticket's facts as a full replay computes them now, without writing (for recomputation and tests). */
export async function computeTicketFact(db: Executor, ticketId: number, now = new Date()): Promise<FactRow | null> {
  const row = (await rowSource(ticketId).execute(db)).rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const clocks = clockFacts(await evaluateTicket(db, ticketId, now));
  const solved = row.status === 'solved' || row.status === 'closed';
  return { ...row, ...clocks, requester_wait_minutes: solved ? clocks.requester_wait_minutes : null } as FactRow;
}

/** Stored facts in the shape computeTicketFact returns. */
export async function storedTicketFact(db: Executor, ticketId: number): Promise<FactRow | null> {
  const row = await db.selectFrom('ticket_facts').select(['ticket_id', ...FACT_COLUMNS]).where('ticket_id', '=', ticketId).executeTakeFirst();
  return (row as FactRow | undefined) ?? null;
}

/** Compares two fact rows column by column; returns the columns that differ. */
export function factDifferences(a: FactRow, b: FactRow): string[] {
  const norm = (v: unknown) => (v instanceof Date ? v.getTime() : Array.isArray(v) ? JSON.stringify(v) : v === undefined ? null : v);
  return FACT_COLUMNS.filter((c) => {
    const x = norm(a[c]);
    const y = norm(b[c]);
    if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y) > 1e-9;
    return x !== y;
  });
}
