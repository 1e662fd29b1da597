/**
 * SLA engine cost. (1) Pure evaluation: due times for N open tickets replayed from realistic histories
 * on business-hour calendars in many zones, in tickets per second. (2) What the engine adds to a ticket
 * write: refreshTicketSla (history load, replay, ledger append, next breach, job) timed on real tickets.
 *
 *   npx tsx bench/sla.ts [--tickets 100000] [--writes 300] [--keep]
 */
import { replayClocks, type HistoryEvent, type SlaContext, type TargetLookup } from '../src/modules/sla/clocks.js';
import { loadTargets, refreshTicketSla } from '../src/modules/sla/engine.js';
import { calendarFor } from '../src/modules/sla/policies.service.js';
import { createTicket } from '../src/modules/tickets/create-ticket.service.js';
import { updateTicket } from '../src/modules/tickets/update-ticket.service.js';
import { postgresVersion, readOptions, runBench, seconds, seedCast, technicalForm, ticketInput } from './lib.js';

const opts = readOptions({ tickets: 100_000, writes: 300 });
const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney'];
const PLANS = ['professional', 'enterprise', 'premier'] as const;
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;

/** An open ticket's typical life: created, replied, waited on the customer, customer answered. */
function history(i: number, start: number): HistoryEvent[] {
  const sla: SlaContext = { plan: PLANS[i % 3], priority: PRIORITIES[i % 4], timeZone: ZONES[i % ZONES.length] };
  const t = (h: number) => new Date(start + h * 3_600_000 + (i % 97) * 60_000);
  return [
    { at: t(0), kind: 'created', status: 'new', sla },
    { at: t(1), kind: 'comment', public: true, byAgent: true },
    { at: t(1), kind: 'status', to: 'pending' },
    { at: t(20), kind: 'comment', public: true, byAgent: false },
    { at: t(20), kind: 'status', to: 'open' },
  ];
}

await runBench({ keep: opts.keep, listen: false, deadlineMs: 20 * 60_000 }, async ({ ctx, databaseLabel }) => {
  console.log(`Database: ${databaseLabel}; PostgreSQL ${await postgresVersion(ctx.db)}`);
  const lookup: TargetLookup = await loadTargets(ctx.db);
  const calendars = (t: { businessHours: boolean }, s: SlaContext) => calendarFor({ business_hours: t.businessHours }, { plan: s.plan, priority: s.priority, timeZone: s.timeZone });
  const now = new Date();
  const start = now.getTime() - 30 * 86_400_000;
  let due = 0;
  const t0 = performance.now();
  for (let i = 0; i < opts.tickets; i++) {
    const { instances } = replayClocks(history(i, start + (i % 2000) * 600_000), lookup, calendars, now);
    due += instances.filter((x) => x.breachAt).length;
  }
  const pure = performance.now() - t0;
  console.log(`\n(1) Pure evaluation: ${opts.tickets} open tickets (5 history events, 6 clocks each) in ${seconds(pure)} s = ${Math.round(opts.tickets / (pure / 1000))} tickets/s (${due} due times)`);

  const cast = await seedCast(ctx.db, 50);
  const form = await technicalForm(ctx.db);
  const ids: number[] = [];
  for (let i = 0; i < opts.writes; i++) ids.push((await createTicket(ctx, { actor: cast.actor, input: ticketInput(form, cast, i) })).ticket.id);
  for (const id of ids) await updateTicket(ctx, { actor: cast.actor, ticketId: id, via: 'api', changes: { assigneeId: cast.agent.id, comment: { body: 'first reply', public: true }, status: 'pending' } });
  const t1 = performance.now();
  for (const id of ids) await ctx.db.transaction().execute((tx) => refreshTicketSla(tx, ctx, id));
  const refresh = (performance.now() - t1) / ids.length;
  const t2 = performance.now();
  for (const id of ids) await updateTicket(ctx, { actor: cast.actor, ticketId: id, via: 'api', changes: { comment: { body: 'an update', public: true } } });
  const reply = (performance.now() - t2) / ids.length;
  console.log(`(2) On ${ids.length} real tickets, one at a time: a public reply takes ${reply.toFixed(1)} ms, of which the SLA refresh alone is about ${refresh.toFixed(1)} ms (${Math.round((refresh / reply) * 100)} %).`);
});
