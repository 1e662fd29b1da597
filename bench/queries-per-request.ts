/**
 * SQL round trips per request, Sundial vs the raw server's same operation: explains most of the gap the
 * workload measures on a busy machine (every statement is a socket write, a wake-up of a PostgreSQL
 * backend and a context switch). Boots Sundial in-process on DATABASE_URL (a database filled by
 * `npx sundial bench load`), counts the statements the pg driver sends while each request runs.
 *
 *   DATABASE_URL=postgres://…/db npx tsx bench/queries-per-request.ts
 *
 * SHOW="public reply" lists the statements of the operations whose name starts with it. TIME="search full"
 * (N=300) then repeats that operation N times and prints each statement's average time per request, as the
 * client sees it (sent to rows parsed), slowest first: where a request's time goes, before reading plans.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { digest, newSecret } from '../src/platform/secrets.js';
import { startSundial } from '../src/server.js';

let counting = false;
let count = 0;
const show = process.env.SHOW;
let shown: string[] = [];
const timeOp = process.env.TIME;
const repeats = Number(process.env.N ?? 300);
let timing = false;
const times = new Map<string, { runs: number; ms: number }>();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const text = () => String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text).replace(/\s+/g, ' ').slice(0, 240);
  if (counting) count++;
  if (counting && show) shown.push(text());
  const started = performance.now();
  const result = (original as (...a: unknown[]) => unknown).apply(this, args);
  if (timing && result instanceof Promise) {
    const key = text();
    result.then(() => {
      const t = times.get(key) ?? { runs: 0, ms: 0 };
      times.set(key, { runs: t.runs + 1, ms: t.ms + performance.now() - started });
    }, () => {});
  }
  return result;
} as typeof pg.Client.prototype.query;

const dataDir = mkdtempSync(join(tmpdir(), 'sundial-qpr-'));
const node = await startSundial(loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SMTP_INBOUND_PORT: '0', API_RATE_LIMIT_TICKET_UPDATES: '0' }), { logger: false, listen: false, workers: false });
try {
  const db = node.ctx.db;
  const agent = await db.selectFrom('users').select(['id', 'email']).where('role', '=', 'agent').where('email', 'like', 'agent%').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
  const customer = await db.selectFrom('tickets').innerJoin('users', 'users.id', 'tickets.requester_id').select(['users.id', 'users.email']).orderBy('tickets.id', 'desc').limit(1).executeTakeFirstOrThrow();
  const auth = async (u: { id: number; email: string }) => {
    const secret = newSecret();
    await db.insertInto('api_tokens').values({ user_id: u.id, description: 'queries-per-request', token_hash: digest(secret) }).execute();
    return `Basic ${Buffer.from(`${u.email}/token:${secret}`).toString('base64')}`;
  };
  const agentAuth = await auth(agent);
  const customerAuth = await auth(customer);
  const open = await db.selectFrom('tickets').select('id').where('status', '=', 'open').orderBy('id', 'desc').limit(6).execute();
  const form = await db.selectFrom('ticket_forms').select('id').where('kind', '=', 'technical').executeTakeFirstOrThrow();
  const requester = await db.selectFrom('users').select('id').where('role', '=', 'end-user').where('organization_id', 'is not', null).limit(1).executeTakeFirstOrThrow();
  type Op = [string, 'GET' | 'POST' | 'PUT', string, unknown?, string?];
  // Written tickets differ between the warm-up pass and the counted one, so both really change something.
  const opsOn = (open: { id: number }[]): Op[] => [
    ['show ticket (+users,groups,orgs)', 'GET', `/api/v2/tickets/${open[0].id}?include=users,groups,organizations`],
    ['ticket comments (+users)', 'GET', `/api/v2/tickets/${open[0].id}/comments?include=users`],
    ['view 6 All open: page 1', 'GET', '/api/v2/views/6/tickets?per_page=30'],
    ['create ticket (technical form)', 'POST', '/api/v2/tickets', { ticket: { ticket_form_id: form.id, subject: 'Count', priority: 'high', requester_id: requester.id, comment: { body: 'Counting statements.' } } }],
    ['public reply', 'PUT', `/api/v2/tickets/${open[0].id}`, { ticket: { comment: { body: 'A reply.', public: true } } }],
    ['internal note', 'PUT', `/api/v2/tickets/${open[1].id}`, { ticket: { comment: { body: 'A note.', public: false } } }],
    ['status change (open/pending)', 'PUT', `/api/v2/tickets/${open[2].id}`, { ticket: { status: 'pending' } }],
    ['search fields', 'GET', `/api/v2/search?query=${encodeURIComponent('type:ticket status:pending priority:high')}&per_page=25`],
    ['search full text', 'GET', '/api/v2/search?query=websocket&per_page=25'],
    ['customer: my requests', 'GET', '/api/v2/requests', undefined, customerAuth],
  ];
  // The first request of a kind fills the node's configuration cache, as on any node that has served a while.
  const send = ([, method, url, body, who]: Op) =>
    node.app.inject({ method, url, headers: { authorization: who ?? agentAuth, 'content-type': 'application/json' }, payload: body ? JSON.stringify(body) : undefined });
  for (const op of opsOn(open.slice(3))) await send(op);
  console.log('statements per request (Sundial, in-process, job workers off)');
  for (const op of opsOn(open)) {
    const name = op[0];
    count = 0;
    shown = [];
    counting = true;
    const res = await send(op);
    counting = false;
    console.log(`${name.padEnd(36)} ${String(count).padStart(4)}   (HTTP ${res.statusCode})`);
    if (show && name.startsWith(show)) shown.forEach((q, i) => console.log(`  ${String(i + 1).padStart(3)}. ${q}`));
  }
  const timed = timeOp ? opsOn(open).find(([name]) => name.startsWith(timeOp)) : undefined;
  if (timed) {
    timing = true;
    const started = performance.now();
    for (let i = 0; i < repeats; i++) await send(timed);
    const wall = (performance.now() - started) / repeats;
    timing = false;
    console.log(`\n${timed[0]}, ${repeats} times in sequence: ${wall.toFixed(2)} ms a request; ms a request per statement:`);
    for (const [text, t] of [...times].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${(t.ms / repeats).toFixed(3).padStart(7)}  ×${(t.runs / repeats).toFixed(1)}  ${text.slice(0, 150)}`);
  }
} finally {
  pg.Client.prototype.query = original;
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
}
