/**
 * HTTP workload of issue 10, Sundial against the raw ceiling in the same run. Needs a database filled by
 * the generator (npx sundial bench load --tickets N); it then
 *
 * 1. starts one Sundial node (bench/workload-node.ts: the real server, job workers off) and the raw server
 *    (bench/raw-server.ts: node:http + pg, the same SQL per operation) as child processes on 127.0.0.1;
 * 2. for every operation and connection count, runs autocannon for --duration seconds against each
 *    (order alternating, after a 1 s warm-up; before the first, --warmup seconds of all reads on each), reading CPU time of the server process and of the
 *    PostgreSQL backends serving the database from /proc before and after;
 * 3. prints the table and writes it to bench/RESULTS.md (a section per ticket count, others kept).
 *
 *   DATABASE_URL=postgres://…/db npm run bench:workload -- [--connections 10,50] [--duration 5] [--warmup 10] [--only show,mix] [--no-paced]
 *
 * Closed-loop runs measure capacity, and their latency is mostly queueing: with c connections always
 * busy, latency ≈ c ÷ throughput. So each operation is also run paced (unless --no-paced), both servers at
 * the same fixed rate, half the slower one's throughput, where latency is the time a request takes:
 * open loop (bench/paced-load.ts), requests evenly spaced over at most c connections, each timed from
 * when it was due.
 *
 * Each server writes to its own tickets (replies, notes, status changes rotate over 2,000 open technical
 * tickets each), so neither sees the other's writes. Agents authenticate with API tokens (Basic
 * email/token:…), the customer likewise; tokens are created here.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { digest, newSecret } from '../src/platform/secrets.js';
import { VIEWS } from '../src/modules/views/view-definitions.js';
import { deepViewCursors } from './workload-cursors.js';
import { backendPids, cpuSeconds, measure, postgresPids, pssMb, rssMb, startServer, stopServer, sum, table, writeSection, type RequestSpec, type RunFigures, type ServerProcess } from './workload-measure.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '10,50' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '10' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
    // parseArgs on Node 20 knows no --no-<flag>.
    'no-paced': { type: 'boolean', default: false },
  },
});
const PACED = !values['no-paced'];
const CONNECTIONS = values.connections!.split(',').map(Number);
const DURATION = Number(values.duration);
const WARMUP = Number(values.warmup);
const url = process.env.DATABASE_URL ?? '';
if (!url) throw new Error('Set DATABASE_URL to a database filled by `npx sundial bench load --tickets N`.');
const database = new URL(url).pathname.slice(1);

const monitor = new pg.Client({ connectionString: url });
await monitor.connect();
const one = async <T>(text: string, params: unknown[] = []) => (await monitor.query(text, params)).rows as T[];
const [{ tickets }] = await one<{ tickets: number }>('SELECT count(*)::int AS tickets FROM tickets');
if (tickets < 1000) throw new Error(`${database} has ${tickets} tickets: fill it first (npx sundial bench load --tickets 100000).`);

// --- Cast and data pools -------------------------------------------------------------------------------
const [agent] = await one<{ id: number; email: string }>(
  `SELECT u.id::int, u.email FROM users u JOIN group_memberships m ON m.user_id = u.id JOIN groups g ON g.id = m.group_id AND g.key = 'technical'
   WHERE u.role = 'agent' AND EXISTS (SELECT 1 FROM tickets t WHERE t.assignee_id = u.id AND t.status IN ('new','open')) ORDER BY u.id LIMIT 1`,
);
// A typical customer: the median requester among those with at least 5 requests.
const [customer] = await one<{ id: number; email: string; n: number }>(
  `SELECT u.id::int, u.email, x.n FROM (SELECT requester_id, count(*)::int AS n FROM tickets GROUP BY requester_id HAVING count(*) >= 5 ORDER BY count(*) OFFSET (SELECT count(*) / 2 FROM (SELECT 1 FROM tickets GROUP BY requester_id HAVING count(*) >= 5) h) LIMIT 1) x JOIN users u ON u.id = x.requester_id`,
);
const token = async (userId: number) => {
  const secret = newSecret();
  await monitor.query('INSERT INTO api_tokens (user_id, description, token_hash) VALUES ($1, $2, $3)', [userId, 'bench workload', digest(secret)]);
  return secret;
};
const basic = (email: string, secret: string) => `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}`;
const agentAuth = basic(agent.email, await token(agent.id));
const customerAuth = basic(customer.email, await token(customer.id));

const showIds = (await one<{ id: number }>('SELECT id::int FROM tickets TABLESAMPLE SYSTEM (5) WHERE deleted_at IS NULL LIMIT 2000')).map((r) => r.id);
const openIds = (await one<{ id: number }>("SELECT id::int FROM tickets WHERE status = 'open' AND form_id = (SELECT id FROM ticket_forms WHERE kind = 'technical') AND deleted_at IS NULL ORDER BY id LIMIT 4000")).map((r) => r.id);
const writeIds: Record<string, number[]> = { sundial: openIds.filter((_, i) => i % 2 === 0), raw: openIds.filter((_, i) => i % 2 === 1) };
const requesters = (await one<{ id: number }>("SELECT id::int FROM users WHERE role = 'end-user' AND organization_id IS NOT NULL ORDER BY id LIMIT 500")).map((r) => r.id);
const [mid] = await one<{ id: number }>('SELECT id::int FROM tickets ORDER BY id OFFSET (SELECT count(*) / 2 FROM tickets) LIMIT 1');
const form = (await one<{ id: number }>("SELECT id::int FROM ticket_forms WHERE kind = 'technical'"))[0].id;
const fieldIds = Object.fromEntries((await one<{ key: string; id: number }>('SELECT key, id::int FROM ticket_fields WHERE key IS NOT NULL')).map((f) => [f.key, f.id]));
const PER_PAGE = 30;
/** Tickets per view, counted through Sundial's API once it runs (deep pages are chosen from them). */
const viewCounts = new Map<number, number>();

// --- Operations -----------------------------------------------------------------------------------------
interface Op {
  name: string;
  next: (n: number, server: string) => RequestSpec;
}
const get = (path: string, auth = agentAuth): RequestSpec => ({ method: 'GET', path, headers: { authorization: auth, accept: 'application/json' } });
const send = (method: 'POST' | 'PUT', path: string, body: unknown): RequestSpec => ({
  method,
  path,
  body: JSON.stringify(body),
  headers: { authorization: agentAuth, accept: 'application/json', 'content-type': 'application/json' },
});
const at = <T>(xs: T[], n: number) => xs[n % xs.length];
const cursor = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');
const CATEGORIES = ['installation', 'upgrading', 'database', 'connectivity', 'notifications_status', 'search'];
const createBody = (n: number) => ({
  ticket: {
    ticket_form_id: form,
    subject: `Workload ${n}: server restarts under load after the upgrade`,
    priority: at(['low', 'normal', 'normal', 'high', 'urgent'], n),
    requester_id: at(requesters, n),
    custom_fields: [
      { id: fieldIds.technical_category, value: at(CATEGORIES, n) },
      { id: fieldIds.environment, value: 'production' },
      { id: fieldIds.mattermost_version, value: '10.5.2' },
    ],
    comment: { body: `Since the upgrade the server restarts under load (case ${n}). Logs attached below.` },
  },
});
const reply = (n: number, server: string, isPublic: boolean) =>
  send('PUT', `/api/v2/tickets/${at(writeIds[server], n)}.json`, { ticket: { comment: { body: isPublic ? `Thanks, we are looking into it (${n}).` : `Internal: checked the logs for ${n}.`, public: isPublic } } });
const statusChange = (n: number, server: string) =>
  send('PUT', `/api/v2/tickets/${at(writeIds[server], n)}.json`, { ticket: { status: Math.floor(n / writeIds[server].length) % 2 === 0 ? 'pending' : 'open' } });

const deepPage = (viewId: number) => Math.max(2, Math.min(1000, Math.floor((0.9 * (viewCounts.get(viewId) ?? 0)) / PER_PAGE)));
/** The page[after] cursor of each view's deep page (set once the counts are known). */
let deepCursors = new Map<number, string>();
const OPS: Op[] = [
  { name: 'show ticket (+users,groups,orgs)', next: (n) => get(`/api/v2/tickets/${at(showIds, n)}.json?include=users,groups,organizations`) },
  { name: 'ticket comments (+users)', next: (n) => get(`/api/v2/tickets/${at(showIds, n)}/comments.json?include=users`) },
  ...VIEWS.flatMap((v) => [
    // The workspace reads a view's first page by cursor, without a count (it polls count_many apart); Zendesk
    // clients read it by offset, which counts the whole view.
    { name: `view ${v.id} ${v.title}: page 1 (cursor)`, next: () => get(`/api/v2/views/${v.id}/tickets.json?page[size]=${PER_PAGE}`) },
    { name: `view ${v.id} ${v.title}: page 1 (offset, counted)`, next: () => get(`/api/v2/views/${v.id}/tickets.json?per_page=${PER_PAGE}`) },
    // Deep pages by cursor (keyset), as clients are told to page past the first few: the same rows as page
    // deepPage() of the offset API, without reading and skipping the pages before it.
    { name: `view ${v.id} ${v.title}: deep page (cursor)`, next: () => get(`/api/v2/views/${v.id}/tickets.json?page[size]=${PER_PAGE}&page[after]=${deepCursors.get(v.id) ?? ''}`) },
  ]),
  { name: 'tickets list, cursor page 1', next: () => get('/api/v2/tickets.json?page[size]=100') },
  { name: 'tickets list, cursor deep (middle)', next: () => get(`/api/v2/tickets.json?page[size]=100&page[after]=${cursor(mid.id)}`) },
  { name: 'create ticket (technical form)', next: (n) => send('POST', '/api/v2/tickets.json', createBody(n)) },
  { name: 'public reply', next: (n, s) => reply(n, s, true) },
  { name: 'internal note', next: (n, s) => reply(n, s, false) },
  { name: 'status change (open/pending)', next: (n, s) => statusChange(n, s) },
  { name: 'search full text ("websocket")', next: () => get(`/api/v2/search.json?query=websocket&per_page=25`) },
  { name: 'search fields (status:pending priority:high)', next: () => get(`/api/v2/search.json?query=${encodeURIComponent('type:ticket status:pending priority:high')}&per_page=25`) },
  { name: 'customer: my requests', next: () => get('/api/v2/requests.json', customerAuth) },
];
/** A desk's day in one stream: mostly reading tickets and queues, some writing. Weights sum to 20. */
const MIX: [number, (n: number, s: string) => RequestSpec][] = [
  [6, OPS[0].next],
  [3, OPS[1].next],
  [3, (n) => get(`/api/v2/views/${at([1, 2, 3, 6, 8], n)}/tickets.json?per_page=${PER_PAGE}`)],
  [2, OPS.find((o) => o.name.startsWith('customer'))!.next],
  [1, OPS.find((o) => o.name.startsWith('search full'))!.next],
  [1, OPS.find((o) => o.name.startsWith('create'))!.next],
  [2, OPS.find((o) => o.name === 'public reply')!.next],
  [1, OPS.find((o) => o.name === 'internal note')!.next],
  [1, OPS.find((o) => o.name.startsWith('status'))!.next],
];
const mixTable = MIX.flatMap(([w, f]) => Array.from({ length: w }, () => f));
OPS.push({ name: 'mix (reads 70 %, writes 25 %, search 5 %)', next: (n, s) => mixTable[(n * 7) % mixTable.length](Math.floor(n / mixTable.length), s) });

const selected = values.only ? OPS.filter((o) => values.only!.split(',').some((w) => o.name.toLowerCase().includes(w.toLowerCase()))) : OPS;

// --- Report (rewritten after every operation, so an interrupted run keeps what it measured) ----------------
const [{ server_version: version }] = await one<{ server_version: string }>('SHOW server_version');
const fillNote = (await one<{ note: string | null }>('SELECT shobj_description(oid, $1) AS note FROM pg_database WHERE datname = current_database()', ['pg_database']))[0].note;
const indexes = (await one<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'tickets' ORDER BY indexname")).map((r) => r.name);
const migration = (await one<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1'))[0]?.name;
/** p50, p90, p95, p99 of a paced run, or dashes for a server that was not paced. */
const latencies = (f: RunFigures | null) => (f ? [f.p50, f.p90, f.p95, f.p99] : ['—', '—', '—', '—']);
// Only when both completed requests: a run where one completed none has no meaningful ratio.
const ratio = (s: RunFigures, r: RunFigures) => (s.requests && r.requests ? (s.reqPerSec / r.reqPerSec).toFixed(2) : '—');
function report() {
  const pgAllPss = sum(postgresPids().map(pssMb));
  const f1 = (x: number) => x.toFixed(1);
  const f2 = (x: number) => x.toFixed(2);
  const issues = (x: RunFigures) => (x.non2xx || x.errors ? ` (${x.non2xx} non-2xx, ${x.errors} errors)` : '');
  const section = [
    `## ${tickets.toLocaleString('en-US')} tickets — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, shared with other work (load average ${load0.map(f1).join(' ')} at start, ${loadavg().map(f1).join(' ')} at end).`,
    `Node ${process.version}, PostgreSQL ${version} (shared_buffers as configured on the machine), autocannon ${DURATION} s per run after a 1 s warm-up (and ${WARMUP} s of all reads on each server before the first), runs alternating Sundial/raw.`,
    `Data: database \`${database}\`${fillNote ? `; ${fillNote}` : ''}.`,
    `Schema: migrations up to ${migration}; indexes on tickets: ${indexes.join(', ')}.`,
    `Actors: agent ${agent.email} (API token), customer ${customer.email} with ${customer.n} requests. Views page ${PER_PAGE} per page; deep page = 90 % of the view's pages (at most page 1000), read by cursor (page[after] of the row before it): ${[...viewCounts].map(([id, n]) => `view ${id} ${n} tickets → page ${deepPage(id)}`).join(', ')}.`,
    `Memory: Sundial RSS idle ${f1(idle?.sundialRss ?? 0)} MB (${idle?.settledAfter ?? 0} s after start: its CPU settled after the report facts loaded, then 30 s more); PostgreSQL PSS of this database's backends idle ${f1(idle?.pgPss ?? 0)} MB; all postgres processes on the machine (other databases included) ${f1(idle?.pgAllPss ?? 0)} MB idle, ${f1(pgAllPss)} MB at the end.`,
    '',
    'CPU ms/req: CPU time of the server process (user + system, all threads) per request; PG ms/req: CPU time of the PostgreSQL backends serving the database per request. Ratio: Sundial req/s ÷ raw req/s.',
    '',
    table(
      ['operation', 'conn', 'Sundial req/s', 'p50', 'p90', 'p95', 'p99 ms', 'CPU ms/req', 'PG ms/req', 'RSS MB', 'PG PSS MB', 'raw req/s', 'raw p50', 'raw p90', 'raw p95', 'raw p99', 'raw CPU ms/req', 'raw PG ms/req', 'raw RSS MB', 'ratio'],
      rows.map(({ op, connections, sundial: s, raw: r }) => [
        op + issues(s) + (r.non2xx || r.errors ? ` (raw${issues(r)})` : ''),
        connections, f1(s.reqPerSec), s.p50, s.p90, s.p95, s.p99, f2(s.serverCpuMsPerReq), f2(s.pgCpuMsPerReq), f1(s.serverRssMb), f1(s.pgBackendsPssMb),
        f1(r.reqPerSec), r.p50, r.p90, r.p95, r.p99, f2(r.serverCpuMsPerReq), f2(r.pgCpuMsPerReq), f1(r.serverRssMb), ratio(s, r),
      ]),
    ),
    '',
    '0 req/s: no request completed within the run (each took longer than the run).',
    '',
    '### Latency at half load',
    '',
    `Closed-loop latency above is mostly queueing (${CONNECTIONS.join('/')} connections always waiting: latency ≈ connections ÷ throughput). Here both servers get the same fixed rate, half the slower one's throughput above, for ${DURATION} s each: the time a request takes when the server is not saturated. Open loop (bench/paced-load.ts): requests evenly spaced over at most ${CONNECTIONS.join('/')} connections, each timed from when it was due, so a request held back behind a slow one counts its wait.`,
    '',
    table(
      ['operation', 'conn', 'rate req/s', 'Sundial p50', 'p90', 'p95', 'p99 ms', 'raw p50', 'raw p90', 'raw p95', 'raw p99 ms'],
      rows.filter((r) => r.paced).map(({ op, connections, paced: p }) => [op, connections, p!.rate, ...latencies(p!.sundial), ...latencies(p!.raw)]),
    ),
    ...notes.map((n) => `- ${n}`),
  ].join('\n');
  writeSection(
    values.out!,
    String(tickets),
    section,
    [
      '# Benchmark results (issue 10)',
      '',
      'Generated by `npm run bench:workload` (bench/workload.ts) against databases filled by `npx sundial bench load`;',
      'each section is replaced by the next run at the same ticket count. Sundial runs as one node (job workers off)',
      'and the raw server (bench/raw-server.ts: node:http + pg, same SQL shape) runs beside it in the same run.',
    ].join('\n'),
  );
}

// --- Run ------------------------------------------------------------------------------------------------
const notes: string[] = [];
/**
 * Requests still running when autocannon stops (operations slower than the run) would slow the next
 * operation down: wait up to 30 s for this database's backends to go idle, then cancel what is left.
 */
async function settle(what: string) {
  for (let i = 0; i < 60; i++) {
    const busy = await one<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'", [database]);
    if (!busy.length) return;
    if (i === 59) {
      await monitor.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) pid', [busy.map((b) => b.pid)]);
      notes.push(`${what}: ${busy.length} statements still running 30 s after the run were cancelled.`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: '10' };
const servers: ServerProcess[] = [];
const stopAll = async () => {
  for (const s of servers) await stopServer(s);
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
/**
 * Seconds until a freshly started server is idle: two 5 s windows in a row under 1 % of a core (it loads
 * its report facts at start), then 30 s more, in which V8 hands back the memory that load used (at 1M
 * tickets its RSS drops from ~390 to ~230 MB some 20 s after the load ends).
 */
async function settled(pid: number): Promise<number> {
  const t0 = Date.now();
  let quiet = 0;
  let cpu = cpuSeconds(pid);
  while (quiet < 2 && Date.now() - t0 < 90_000) {
    await new Promise((r) => setTimeout(r, 5000));
    const now = cpuSeconds(pid);
    quiet = now - cpu < 0.05 ? quiet + 1 : 0;
    cpu = now;
  }
  await new Promise((r) => setTimeout(r, 30_000));
  return Math.round((Date.now() - t0) / 1000);
}

const started = new Date();
const load0 = loadavg();
const rows: { op: string; connections: number; sundial: RunFigures; raw: RunFigures; paced?: { rate: number; sundial: RunFigures | null; raw: RunFigures | null } }[] = [];
let idle: { settledAfter: number; sundialRss: number; pgPss: number; pgAllPss: number } | null = null;
try {
  servers.push(await startServer('sundial', 'bench/workload-node.ts', env));
  servers.push(await startServer('raw', 'bench/raw-server.ts', env));
  const [sundial, raw] = servers;
  const settledAfter = await settled(sundial.pid);
  idle = { settledAfter, sundialRss: rssMb(sundial.pid), pgPss: sum((await backendPids(monitor, database)).map(pssMb)), pgAllPss: sum(postgresPids().map(pssMb)) };
  for (const v of VIEWS) {
    const res = await fetch(`${sundial.url}/api/v2/views/${v.id}/count.json`, { headers: { authorization: agentAuth } });
    viewCounts.set(v.id, ((await res.json()) as { view_count: { value: number } }).view_count.value);
  }
  console.log(`Database ${database}: ${tickets} tickets; agent ${agent.email}, customer ${customer.email} (${customer.n} requests)`);
  deepCursors = await deepViewCursors(url, agent.id, VIEWS, deepPage, PER_PAGE);
  console.log(`View counts: ${[...viewCounts].map(([id, n]) => `${id}:${n} (deep page ${deepPage(id)})`).join(', ')}`);
  const counters = new Map<string, { n: number }>();
  // Both processes warm up (JIT, connection pools, PostgreSQL's cache) on the read-only operations first.
  // Full-text search is left out: at 1M tickets one search outlasts the warm-up and would load the first runs.
  const reads = OPS.filter((o) => o.next(0, 'sundial').method === 'GET' && !o.name.startsWith('search full'));
  for (const server of [sundial, raw]) {
    await measure({ server, connections: 10, seconds: WARMUP, next: (n) => reads[n % reads.length].next(n, server.name), counter: { n: 0 }, monitor, database });
    await settle(`warm-up of ${server.name}`);
  }
  for (const op of selected) {
    for (const connections of CONNECTIONS) {
      const figures: Record<string, RunFigures> = {};
      const order = rows.length % 2 === 0 ? [sundial, raw] : [raw, sundial];
      for (const server of order) {
        const counter = counters.get(`${op.name}/${server.name}`) ?? { n: 0 };
        counters.set(`${op.name}/${server.name}`, counter);
        const next = (n: number) => op.next(n, server.name);
        const probe = next(counter.n++);
        const res = await fetch(new URL(probe.path, server.url), { method: probe.method, headers: probe.headers, body: probe.body, signal: AbortSignal.timeout(30_000) }).catch((e: Error) => e);
        if (res instanceof Error) {
          // Slower than 30 s: recorded as such, and the run goes on with the next operation.
          notes.push(`${op.name}, ${connections} connections, ${server.name}: a single request took over 30 s (${res.name}); not measured.`);
          figures[server.name] = { reqPerSec: 0, p50: 0, p90: 0, p95: 0, p99: 0, requests: 0, non2xx: 0, errors: 1, serverCpuMsPerReq: 0, pgCpuMsPerReq: 0, serverRssMb: rssMb(server.pid), pgBackendsPssMb: 0 };
        } else {
          if (!res.ok) throw new Error(`${server.name} ${op.name}: probe ${probe.method} ${probe.path} answered ${res.status} ${(await res.text()).slice(0, 300)}`);
          await measure({ server, connections, seconds: 1, next, counter, monitor, database }); // warm-up
          figures[server.name] = await measure({ server, connections, seconds: DURATION, next, counter, monitor, database });
        }
        await settle(`${op.name}, ${connections} connections, ${server.name}`);
      }
      const row: (typeof rows)[number] = { op: op.name, connections, sundial: figures.sundial, raw: figures.raw };
      // A server that finished nothing (the raw server's full-text search) is left out: the other is paced alone.
      const measured = order.filter((server) => figures[server.name].reqPerSec >= 2);
      if (PACED && measured.length) {
        const rate = Math.floor(Math.min(...measured.map((server) => figures[server.name].reqPerSec)) / 2);
        const paced: Record<string, RunFigures> = {};
        for (const server of measured) {
          const counter = counters.get(`${op.name}/${server.name}`)!;
          paced[server.name] = await measure({ server, connections, seconds: DURATION, next: (n) => op.next(n, server.name), counter, monitor, database, rate });
          await settle(`${op.name}, ${connections} connections at ${rate} req/s, ${server.name}`);
        }
        row.paced = { rate, sundial: paced.sundial ?? null, raw: paced.raw ?? null };
      }
      rows.push(row);
      report();
      const s = row.sundial;
      const r = row.raw;
      console.log(
        `${op.name.padEnd(48)} c=${String(connections).padStart(2)}  sundial ${s.reqPerSec.toFixed(0).padStart(5)} req/s p50 ${s.p50} p99 ${s.p99} ms cpu ${s.serverCpuMsPerReq.toFixed(2)} ms` +
          `  | raw ${r.reqPerSec.toFixed(0).padStart(5)} req/s p50 ${r.p50} p99 ${r.p99} ms  | ratio ${ratio(s, r)}${s.non2xx + s.errors + r.non2xx + r.errors ? `  (non-2xx/errors: ${s.non2xx}/${s.errors} vs ${r.non2xx}/${r.errors})` : ''}`,
      );
    }
  }
} finally {
  await stopAll();
}

report();
await monitor.end();
console.log(`\nWrote ${values.out} (section for ${tickets} tickets).`);
// Keep-alive sockets of the probes would hold the process a while longer.
process.exit(0);
