/**
 * The requests the several-nodes benchmark sends: who sends them (an agent and a typical customer with API
 * tokens), on which tickets, and the two mixes — reads (show ticket with side-loads, a view's first page,
 * search, a customer's requests) and writes (create on the technical form, public reply, status change).
 * The same shapes as bench/workload.ts, so figures can be compared with its single-node table.
 */
import pg from 'pg';
import { digest, newSecret } from '../../src/platform/secrets.js';
import type { RequestSpec } from '../workload-measure.js';

export interface Person {
  id: number;
  email: string;
  auth: string;
}

export interface Mixes {
  agent: Person;
  customer: Person & { requests: number };
  read: (n: number) => RequestSpec;
  write: (n: number) => RequestSpec;
  /** Reads and writes together (7 : 3), for the background load of the exactly-once phase. */
  both: (n: number) => RequestSpec;
  /** Open technical tickets nobody else writes to (the live-update phase comments on them). */
  spareTickets: number[];
  formId: number;
  fields: Record<string, number>;
}

const basic = (email: string, secret: string) => `Basic ${Buffer.from(`${email}/token:${secret}`).toString('base64')}`;

/** A fresh API token stored the way Sundial stores them (a digest), as a Basic auth header. */
export async function tokenFor(db: pg.Client, user: { id: number; email: string }): Promise<Person> {
  const secret = newSecret();
  await db.query('INSERT INTO api_tokens (user_id, description, token_hash) VALUES ($1, $2, $3)', [user.id, 'bench nodes', digest(secret)]);
  return { ...user, auth: basic(user.email, secret) };
}

const at = <T>(xs: T[], n: number) => xs[n % xs.length];
const CATEGORIES = ['installation', 'upgrading', 'database', 'connectivity', 'notifications_status', 'search'];
const PER_PAGE = 30;

/** Technical-form custom fields a ticket needs to be valid. */
export const technicalFields = (fields: Record<string, number>, n: number) => [
  { id: fields.technical_category, value: at(CATEGORIES, n) },
  { id: fields.environment, value: 'production' },
  { id: fields.mattermost_version, value: '10.5.2' },
];

export async function buildMixes(db: pg.Client): Promise<Mixes> {
  const rows = async <T>(text: string) => (await db.query(text)).rows as T[];
  const [agentRow] = await rows<{ id: number; email: string }>(
    `SELECT u.id::int, u.email FROM users u JOIN group_memberships m ON m.user_id = u.id JOIN groups g ON g.id = m.group_id AND g.key = 'technical'
     WHERE u.role = 'agent' AND u.active ORDER BY u.id LIMIT 1`,
  );
  // A typical customer: the median requester among those with at least 5 requests (as bench/workload.ts).
  const [customerRow] = await rows<{ id: number; email: string; n: number }>(
    `SELECT u.id::int, u.email, x.n FROM (SELECT requester_id, count(*)::int AS n FROM tickets GROUP BY requester_id HAVING count(*) >= 5 ORDER BY count(*)
     OFFSET (SELECT count(*) / 2 FROM (SELECT 1 FROM tickets GROUP BY requester_id HAVING count(*) >= 5) h) LIMIT 1) x JOIN users u ON u.id = x.requester_id`,
  );
  const agent = await tokenFor(db, agentRow);
  const customer = { ...(await tokenFor(db, customerRow)), requests: customerRow.n };
  const showIds = (await rows<{ id: number }>('SELECT id::int FROM tickets TABLESAMPLE SYSTEM (5) WHERE deleted_at IS NULL LIMIT 2000')).map((r) => r.id);
  const openIds = (
    await rows<{ id: number }>("SELECT id::int FROM tickets WHERE status = 'open' AND form_id = (SELECT id FROM ticket_forms WHERE kind = 'technical') AND deleted_at IS NULL ORDER BY id LIMIT 4100")
  ).map((r) => r.id);
  const writeIds = openIds.slice(0, 4000);
  const requesters = (await rows<{ id: number }>("SELECT id::int FROM users WHERE role = 'end-user' AND organization_id IS NOT NULL ORDER BY id LIMIT 500")).map((r) => r.id);
  const formId = (await rows<{ id: number }>("SELECT id::int FROM ticket_forms WHERE kind = 'technical'"))[0].id;
  const fields = Object.fromEntries((await rows<{ key: string; id: number }>('SELECT key, id::int FROM ticket_fields WHERE key IS NOT NULL')).map((f) => [f.key, f.id]));

  const get = (path: string, auth = agent.auth): RequestSpec => ({ method: 'GET', path, headers: { authorization: auth, accept: 'application/json' } });
  const send = (method: 'POST' | 'PUT', path: string, body: unknown): RequestSpec => ({
    method,
    path,
    body: JSON.stringify(body),
    headers: { authorization: agent.auth, accept: 'application/json', 'content-type': 'application/json' },
  });
  const create = (n: number) =>
    send('POST', '/api/v2/tickets.json', {
      ticket: {
        ticket_form_id: formId,
        subject: `Nodes ${n}: server restarts under load after the upgrade`,
        priority: at(['low', 'normal', 'normal', 'high', 'urgent'], n),
        requester_id: at(requesters, n),
        custom_fields: technicalFields(fields, n),
        comment: { body: `Since the upgrade the server restarts under load (case ${n}).` },
      },
    });
  const reply = (n: number) => send('PUT', `/api/v2/tickets/${at(writeIds, n)}.json`, { ticket: { comment: { body: `Thanks, we are looking into it (${n}).`, public: true } } });
  // Open → pending, then back on the next pass over the tickets: with one counter across runs, every request is a real transition.
  const status = (n: number) => send('PUT', `/api/v2/tickets/${at(writeIds, n)}.json`, { ticket: { status: Math.floor(n / writeIds.length) % 2 === 0 ? 'pending' : 'open' } });

  const weighted = (parts: [number, (n: number) => RequestSpec][]) => {
    const table = parts.flatMap(([w, f]) => Array.from({ length: w }, () => f));
    return (n: number) => table[(n * 7) % table.length](Math.floor(n / table.length));
  };
  const read = weighted([
    [5, (n) => get(`/api/v2/tickets/${at(showIds, n)}.json?include=users,groups,organizations`)],
    [3, (n) => get(`/api/v2/views/${at([1, 2, 3, 6, 8], n)}/tickets.json?per_page=${PER_PAGE}`)],
    [1, () => get('/api/v2/search.json?query=websocket&per_page=25')],
    [2, () => get('/api/v2/requests.json', customer.auth)],
  ]);
  const write = weighted([
    [1, create],
    [2, reply],
    [1, status],
  ]);
  const both = weighted([
    [7, read],
    [3, write],
  ]);
  return { agent, customer, read, write, both, spareTickets: openIds.slice(4000), formId, fields };
}
