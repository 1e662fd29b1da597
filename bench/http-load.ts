/**
 * HTTP load on the Zendesk-compatible API of one Sundial node listening on 127.0.0.1: create, list and show
 * tickets as an API-token agent, each scenario for a fixed duration with autocannon.
 *
 *   npx tsx bench/http-load.ts [--connections 10] [--duration 10] [--tickets 2000] [--keep]
 */
import autocannon from 'autocannon';
import { createTicket } from '../src/modules/tickets/create-ticket.service.js';
import type { NewTicketInput } from '../src/modules/tickets/ticket-input.js';
import { apiToken, inParallel, postgresVersion, readOptions, runBench, seconds, seedCast, technicalForm, ticketInput } from './lib.js';

const opts = readOptions({ connections: 10, duration: 10, tickets: 2000 });
const deadlineMs = 10 * 60_000 + opts.tickets * 100 + 3 * (opts.duration + 30) * 1000;

/** The wire form of a benchmark ticket, as a Zendesk client would POST it. */
const apiBody = (t: NewTicketInput) =>
  JSON.stringify({
    ticket: {
      ticket_form_id: t.formId,
      subject: t.subject,
      priority: t.priority,
      requester_id: t.requesterId,
      collaborator_ids: t.ccs?.map((c) => c.userId),
      custom_fields: t.customFields,
      comment: { body: t.comment.body },
    },
  });

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  /** The n-th request of the run, so paths and bodies rotate across connections. */
  request: (n: number) => { path: string; body?: string };
}

await runBench({ keep: opts.keep, listen: true, deadlineMs }, async ({ node, ctx, databaseLabel }) => {
  // autocannon is pointed at this URL only; refuse anything but loopback.
  if (new URL(node.url).hostname !== '127.0.0.1') throw new Error(`Sundial listens on ${node.url}, expected 127.0.0.1`);
  console.log(`Database: ${databaseLabel}`);
  console.log(`Sundial: ${node.url} (job workers off: mail is queued, never sent)`);

  const seedStart = performance.now();
  const cast = await seedCast(ctx.db, 50);
  const token = await apiToken(ctx.db, cast.agent);
  const form = await technicalForm(ctx.db);
  await inParallel(opts.tickets, 8, async (i) => void (await createTicket(ctx, { actor: cast.actor, input: ticketInput(form, cast, i) })));
  const ids = (await ctx.db.selectFrom('tickets').select('id').where('submitter_id', '=', cast.agent.id).orderBy('id').execute()).map((r) => r.id);
  console.log(`Seeded 1 agent with an API token, 50 customers and ${ids.length} tickets in ${seconds(performance.now() - seedStart)} s.`);

  const bodies = Array.from({ length: 100 }, (_, i) => apiBody(ticketInput(form, cast, opts.tickets + i)));
  const scenarios: Scenario[] = [
    { name: 'create ticket', method: 'POST', request: (n) => ({ path: '/api/v2/tickets.json', body: bodies[n % bodies.length] }) },
    { name: 'list tickets', method: 'GET', request: () => ({ path: '/api/v2/tickets.json?page[size]=100' }) },
    { name: 'show ticket', method: 'GET', request: (n) => ({ path: `/api/v2/tickets/${ids[n % ids.length]}.json?include=users` }) },
  ];
  const auth = { authorization: `Basic ${Buffer.from(`${cast.agent.email}/token:${token}`).toString('base64')}`, accept: 'application/json' };
  const headersFor = (s: Scenario) => (s.method === 'POST' ? { ...auth, 'content-type': 'application/json' } : auth);

  const rows: Record<string, string | number>[] = [];
  for (const s of scenarios) {
    // One request first: a benchmark of 401s or 422s would measure nothing useful.
    const probe = await fetch(new URL(s.request(0).path, node.url), { method: s.method, headers: headersFor(s), body: s.request(0).body, signal: AbortSignal.timeout(10_000) });
    if (!probe.ok) throw new Error(`${s.name}: probe answered ${probe.status} ${await probe.text()}`);
    let n = 0;
    console.log(`Running "${s.name}" for ${opts.duration} s on ${opts.connections} connections…`);
    const r = await autocannon({
      url: node.url,
      connections: opts.connections,
      duration: opts.duration,
      timeout: 10,
      requests: [{ method: s.method, headers: headersFor(s), setupRequest: (req) => ({ ...req, ...s.request(n++) }) }],
    });
    rows.push({ scenario: s.name, 'req/s': r.requests.average.toFixed(1), 'p50 ms': r.latency.p50, 'p99 ms': r.latency.p99, requests: r.requests.total, 'non-2xx': r.non2xx, errors: r.errors });
  }

  console.log(`\nResult (${opts.connections} connections, ${opts.duration} s per scenario, PostgreSQL ${await postgresVersion(ctx.db)})`);
  printTable(rows);
});

function printTable(rows: Record<string, string | number>[]): void {
  const columns = Object.keys(rows[0]);
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(width[i]) : cell.padStart(width[i]))).join('  ');
  console.log(line(columns));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(columns.map((c) => String(r[c]))));
}
