/**
 * Several nodes (issue 10): three real Sundial nodes on one PostgreSQL behind a round-robin balancer.
 *
 *   npm run bench:nodes -- [--tickets 100000] [--keep] [--connections 10,50] [--duration 10] [--rounds 1] [--changes 200] [--sla 40] [--premier 30]
 *
 * 1. Database `sundial_bench_nodes` on the machine's PostgreSQL (127.0.0.1:5432): created fresh and filled
 *    by `npx sundial bench load --tickets N`; with --keep an existing filled one is reused and kept.
 * 2. Throughput: the read and write mixes (bench/nodes/workload-mix.ts) with autocannon against one node
 *    directly, one node through bench/balancer.ts, and three nodes through another, back to back per mix
 *    (the machine is shared); CPU per process from /proc.
 * 3. Jobs exactly once: three nodes restarted with short timers, background load through the balancer, and
 *    work that queues mail, SLA checks, pages and auto-closes (bench/nodes/job-work.ts), counted at an
 *    SMTP and an HTTP receiver against what the database says was sent (bench/nodes/receivers.ts).
 * 4. Live updates: an agent's event stream on node B while the ticket changes through nodes A and C.
 * 5. Prints the tables and writes the "nodes" section of bench/RESULTS.md; stops every process it started
 *    and drops the database unless --keep.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { countTicketJobs, runJobWork, SHORT_TIMERS } from './nodes/job-work.js';
import { startCluster, type Cluster } from './nodes/cluster.js';
import { measureLiveUpdates } from './nodes/live-updates.js';
import { drained, startReceivers, stopReceivers, tallyMail, tallyPages, type Receivers } from './nodes/receivers.js';
import { renderReport, writeReport, type NodesReport } from './nodes/report.js';
import { backgroundLoad, cpuMeter, runLoad } from './nodes/throughput.js';
import { buildMixes } from './nodes/workload-mix.js';
import type { ServerProcess } from './workload-measure.js';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    keep: { type: 'boolean', default: false },
    connections: { type: 'string', default: '10,50' },
    duration: { type: 'string', default: '10' },
    changes: { type: 'string', default: '200' },
    sla: { type: 'string', default: '40' },
    premier: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
  },
});
const CONNECTIONS = values.connections!.split(',').map(Number);
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const NAME = 'sundial_bench_nodes';
const url = `${SERVER}/${NAME}`;
const log = (m: string) => console.log(m);

// --- Database ----------------------------------------------------------------------------------------------
const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [NAME])).rowCount === 1;
let reuse = false;
if (exists && values.keep) {
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  reuse = await probe.query('SELECT count(*)::int AS n FROM tickets').then((r) => r.rows[0].n >= 1000, () => false);
  await probe.end();
}
if (!reuse) {
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${NAME}`);
  log(`Filling ${NAME} with ${values.tickets} tickets (npx sundial bench load)…`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', ['sundial', 'bench', 'load', '--tickets', values.tickets!], { env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`bench load exited with ${code}`);
} else log(`Reusing ${NAME} (--keep).`);

const db = new pg.Client({ connectionString: url, application_name: 'bench-nodes' });
await db.connect();
const [{ tickets }] = (await db.query('SELECT count(*)::int AS tickets FROM tickets')).rows;
const [{ server_version: pgVersion }] = (await db.query('SHOW server_version')).rows;
const version = (p: string) => JSON.parse(readFileSync(`node_modules/${p}/package.json`, 'utf8')).version as string;

// --- Everything started here is stopped by cleanUp, also on Ctrl-C -------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'sundial-nodes-'));
let cluster: Cluster | null = null;
let receivers: Receivers | null = null;
let restoreSla: (() => Promise<void>) | null = null;
let cleaning: Promise<void> | null = null;
const cleanUp = () =>
  (cleaning ??= (async () => {
    await cluster?.stop().catch((e) => console.error(`stopping the nodes: ${e}`));
    if (receivers) await stopReceivers(db, receivers, values.keep!).catch(() => {});
    if (values.keep) await restoreSla?.().catch(() => {});
    await db.end().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    if (values.keep) log(`Kept database ${NAME} (--keep).`);
    else await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    await admin.end();
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));

const report: NodesReport = {
  started: new Date(),
  load0: loadavg(),
  versions: `Node ${process.version}, PostgreSQL ${pgVersion} (max_connections ${(await db.query('SHOW max_connections')).rows[0].max_connections}), pg-boss ${version('pg-boss')}, fastify ${version('fastify')}, autocannon ${version('autocannon')}`,
  database: `\`${NAME}\`, ${tickets.toLocaleString('en-US')} tickets${reuse ? ' (reused)' : ` (filled by \`npx sundial bench load --tickets ${values.tickets}\`)`}`,
  duration: DURATION,
  rows: [],
  notes: [],
};
const started = report.started;
const save = () => writeReport(values.out!, report);

try {
  receivers = await startReceivers(db);
  const mixes = await buildMixes(db);
  const settings = { databaseUrl: url, dataDir, smtpUrl: receivers.mail.url };
  const counters = { read: { n: 0 }, write: { n: 0 }, both: { n: 0 } };
  const parties = (c: Cluster, balancer: ServerProcess | null) => ({ nodes: c.nodes, balancer, monitor: db, database: NAME });

  // --- Throughput ----------------------------------------------------------------------------------------------
  // The machine is shared: other engineers' load changes from minute to minute. So the three setups are measured
  // back to back for each mix and connection count, in rotating order, on one set of three nodes: "1 node" is node
  // A directly or through a balancer of its own, "3 nodes" the balancer over A, B and C. During 1-node runs B and
  // C stay up idle (polling their queues, taking a share of the jobs the requests cause: their CPU is shown).
  cluster = await startCluster(3, settings);
  const c = cluster;
  log(`\nNodes ${c.nodes.map((n) => n.url).join(', ')}; balancer ${c.balancer.url} (all), ${c.balancerA.url} (node A)`);
  // Warm-up: JIT, connection pools and PostgreSQL's cache, on every node (round robin).
  await runLoad({ url: c.balancer.url, connections: 10, seconds: 10, next: mixes.read, counter: counters.read, parties: parties(c, c.balancer) });
  // Idle: what three nodes cost with no requests at all (job polling on every queue, LISTEN, the minute sweeps).
  const idleMeter = await cpuMeter(parties(c, null));
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = { reqPerSec: 0, p50: 0, p90: 0, p95: 0, p99: 0, requests: 0, non2xx: 0, errors: 0, cpu: await idleMeter(), jobs: '' };
  report.rows.push({ setup: '3 nodes, balancer', mix: 'idle', connections: 0, round: 1, figures: idle, load1: loadavg()[0] });
  log(`idle, 10 s: CPU nodes ${idle.cpu.nodes.map((x) => x.toFixed(0)).join('+')} %, PG backends ${idle.cpu.pgBackends.toFixed(0)} %`);
  const setups = [
    { setup: '1 node, direct', url: c.nodes[0].url, balancer: null },
    { setup: '1 node, balancer', url: c.balancerA.url, balancer: c.balancerA },
    { setup: '3 nodes, balancer', url: c.balancer.url, balancer: c.balancer },
  ] as const;
  let cell = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mix of ['read', 'write'] as const) {
      for (const connections of CONNECTIONS) {
        const k = cell++ % setups.length;
        for (const s of [...setups.slice(k), ...setups.slice(0, k)]) {
          const run = { url: s.url, connections, next: mixes[mix], counter: counters[mix], parties: parties(c, s.balancer) };
          await runLoad({ ...run, seconds: 2 });
          const figures = await runLoad({ ...run, seconds: DURATION });
          report.rows.push({ setup: s.setup, mix, connections, round, figures, load1: loadavg()[0] });
          log(`${s.setup.padEnd(18)} ${mix.padEnd(5)} c=${String(connections).padStart(2)}  ${figures.reqPerSec.toFixed(1).padStart(7)} req/s  p50 ${figures.p50} p99 ${figures.p99} ms  non-2xx ${figures.non2xx} errors ${figures.errors}  CPU nodes ${figures.cpu.nodes.map((x) => x.toFixed(0)).join('+')} % balancer ${figures.cpu.balancer.toFixed(0)} % PG ${figures.cpu.pgBackends.toFixed(0)}/${figures.cpu.pgAll.toFixed(0)} % bench ${figures.cpu.bench.toFixed(0)} % other ${figures.cpu.other.toFixed(0)} %  load ${loadavg()[0].toFixed(1)}`);
          save();
        }
      }
    }
  }
  await cluster.stop();
  cluster = null;

  // --- Jobs exactly once, under load --------------------------------------------------------------------------
  cluster = await startCluster(3, { ...settings, extra: SHORT_TIMERS });
  log(`\nExactly once: 3 nodes with ${JSON.stringify(SHORT_TIMERS)}, background load of reads and writes on 10 connections through the balancer`);
  const stopBackground = backgroundLoad({ url: cluster.balancer.url, connections: 10, next: mixes.both, counter: counters.both });
  const nodeUrls = cluster.nodes.map((n) => n.url);
  const work = await runJobWork({ db, balancer: cluster.balancer.url, nodes: nodeUrls, mixes, slaCount: Number(values.sla), premierCount: Number(values.premier), log });
  restoreSla = work.restoreSla;
  const bg = await stopBackground();
  // Counted: everything queued until now. The minute sweep goes on closing the generator's solved tickets (solved
  // up to 46 h before the fill, so all due with a 40 s AUTO_CLOSE_AFTER), and its mail after this moment is left out.
  const cutoff = new Date();
  log(`  background load: ${bg.requests} requests, ${bg.non2xx} non-2xx, ${bg.errors} errors; waiting for the queues to drain`);
  const wasDrained = await drained(db, receivers, cutoff, 180_000);
  const swept = await db.query("SELECT count(*)::int AS n FROM ticket_audits WHERE created_at >= $1 AND created_at <= $2 AND metadata->>'rule' = 'auto-close'", [started, cutoff]);
  // Nodes stopped between phases fail the jobs still running after 10 s ("pg-boss shut down while active"): listed with their reason.
  const failed = await db.query(
    "SELECT name, coalesce(output->>'message', left(output::text, 120)) AS reason, count(*)::int AS n FROM pgboss.job WHERE state = 'failed' AND created_on >= $1 GROUP BY 1, 2 ORDER BY 1",
    [started],
  );
  report.jobs = {
    work,
    drained: wasDrained,
    background: `${bg.requests.toLocaleString('en-US')} background requests (reads and writes, 10 connections; ${bg.non2xx} non-2xx, ${bg.errors} errors)`,
    perTicket: await countTicketJobs(db, work),
    mail: await tallyMail(db, receivers, cutoff),
    pages: await tallyPages(db, receivers, cutoff),
    ticketMail: await tallyMail(db, receivers, cutoff, [...work.slaTickets, ...work.premierTickets]),
    autoClosed: swept.rows[0].n,
    failedJobs: failed.rows.map((r) => `${r.name} ${r.n} (${r.reason})`),
  };
  await work.restoreSla();
  save();

  // --- Live updates across nodes (the three nodes now idle) -----------------------------------------------------
  log(`\nLive updates: stream on node B, ${values.changes} changes through nodes A and C`);
  report.live = await measureLiveUpdates({ nodes: nodeUrls, balancer: cluster.balancer.url, agent: mixes.agent, ticketId: mixes.spareTickets[0], changes: Number(values.changes) });
  report.notes.push(
    'Runs are sequential on one database: the write runs add tickets and comments as they go (a few thousand on 100k). The three setups of a mix run back to back, first one rotating, so a change in the machine\'s other load hits them alike.',
  );
  save();
} finally {
  await cleanUp();
}
console.log(`\n${renderReport(report)}\n\nWrote the "nodes" section of ${values.out}.`);
process.exit(0);
