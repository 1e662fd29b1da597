/**
 * Write throughput of the ticket use cases: N tickets through createTicket, each followed by a public agent
 * reply and an internal note through updateTicket (3 comments per ticket).
 *
 *   npx tsx bench/create-tickets.ts [--tickets 100000] [--concurrency 8] [--customers 300] [--keep]
 */
import { sql } from 'kysely';
import { createTicket } from '../src/modules/tickets/create-ticket.service.js';
import { updateTicket } from '../src/modules/tickets/update-ticket.service.js';
import { inParallel, postgresVersion, readOptions, runBench, seconds, seedCast, technicalForm, ticketInput } from './lib.js';

const opts = readOptions({ tickets: 100_000, concurrency: 8, customers: 300 });

// A safety net only: generous enough for 100k tickets on a slow machine.
const deadlineMs = 10 * 60_000 + opts.tickets * 100;

await runBench({ keep: opts.keep, listen: false, deadlineMs }, async ({ ctx, databaseLabel }) => {
  console.log(`Database: ${databaseLabel}`);
  console.log('Job workers are off: notification mail is queued (mail_outbox rows + pg-boss jobs) but never sent.');
  const seedStart = performance.now();
  const cast = await seedCast(ctx.db, opts.customers);
  const form = await technicalForm(ctx.db);
  console.log(`Seeded 1 organization, 1 agent, ${opts.customers} customers in ${seconds(performance.now() - seedStart)} s.`);
  console.log(`Creating ${opts.tickets} tickets (+2 comments each) on ${opts.concurrency} concurrent creators…`);

  // Time spent inside each use case, summed over lanes: shows which step dominates.
  const spent = { create: 0, reply: 0, note: 0 };
  const timed = async <T>(step: keyof typeof spent, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      spent[step] += performance.now() - t;
    }
  };
  const { actor, agent } = cast;
  const mailFloor = (await ctx.db.selectFrom('mail_outbox').select((eb) => eb.fn.coalesce(eb.fn.max('id'), eb.lit(0)).as('id')).executeTakeFirstOrThrow()).id;
  const every = Math.max(1, Math.ceil(opts.tickets / 10));
  let done = 0;
  const started = performance.now();
  await inParallel(opts.tickets, opts.concurrency, async (i) => {
    const { ticket } = await timed('create', () => createTicket(ctx, { actor, input: ticketInput(form, cast, i) }));
    await timed('reply', () =>
      updateTicket(ctx, { actor, ticketId: ticket.id, via: 'api', changes: { assigneeId: agent.id, status: 'pending', comment: { body: `Thanks for the report. Could you send the full server log for case ${i}?`, public: true } } }),
    );
    await timed('note', () => updateTicket(ctx, { actor, ticketId: ticket.id, via: 'api', changes: { comment: { body: 'Internal: looks like a known regression, checking with SET.', public: false } } }));
    if (++done % every === 0 || done === opts.tickets) {
      const s = (performance.now() - started) / 1000;
      console.log(`  ${String(Math.round((done / opts.tickets) * 100)).padStart(3)}%  ${done} tickets  ${s.toFixed(1)} s  ${(done / s).toFixed(0)} tickets/s`);
    }
  });
  const elapsed = (performance.now() - started) / 1000;

  // Counted in the database, not in the loop, so what is reported is what was committed.
  const tickets = await ctx.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('submitter_id', '=', agent.id).executeTakeFirstOrThrow();
  const comments = await ctx.db
    .selectFrom('ticket_comments')
    .innerJoin('tickets', 'tickets.id', 'ticket_comments.ticket_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tickets.submitter_id', '=', agent.id)
    .executeTakeFirstOrThrow();
  // Scoped by id rather than joined: right after a bulk load the statistics are stale and a join of
  // the outbox with pg-boss's jobs is planned as a nested loop that takes hours at 100k tickets.
  const queued = await sql<{ mails: number; jobs: number }>`
    SELECT (SELECT count(*) FROM mail_outbox WHERE id > ${mailFloor} AND sent_at IS NULL)::int AS mails,
           (SELECT count(*) FROM pgboss.job WHERE name = 'mail.send' AND state = 'created' AND (data->>'mailId')::bigint > ${mailFloor})::int AS jobs`.execute(ctx.db);
  const perTicket = (ms: number) => (ms / Math.max(1, done)).toFixed(1);

  console.log('\nResult');
  console.log(`  tickets        ${tickets.n}`);
  console.log(`  comments       ${comments.n}`);
  console.log(`  elapsed        ${elapsed.toFixed(1)} s`);
  console.log(`  tickets/s      ${(tickets.n / elapsed).toFixed(1)}`);
  console.log(`  comments/s     ${(comments.n / elapsed).toFixed(1)}`);
  console.log(`  mail queued    ${queued.rows[0].mails} outbox rows, ${queued.rows[0].jobs} mail.send jobs (not sent)`);
  console.log(`  ms per call    createTicket ${perTicket(spent.create)}, reply ${perTicket(spent.reply)}, internal note ${perTicket(spent.note)} (at concurrency ${opts.concurrency})`);
  console.log(`  PostgreSQL     ${await postgresVersion(ctx.db)}`);
});
