/**
 * The raw ceiling of issue 10's workload: node:http + pg, no framework, no validation library, no ORM,
 * answering the workload's URLs with the same SQL shape Sundial sends for the same operation, so
 * `Sundial req/s ÷ raw req/s` says what Sundial's own layers cost on this machine, in the same run.
 *
 *   DATABASE_URL=postgres://… PORT=0 npx tsx bench/raw-server.ts     (prints "listening <url>")
 *
 * Same as Sundial, per request:
 * - Authentication approximated at the same cost: SHA-256 of the API token, the api_tokens ⋈ users
 *   lookup by digest, the fire-and-forget last_used_at update, the user, organization and group
 *   memberships reads (actorFor), and the per-user API rate-limit upsert into rate_limit_hits.
 * - Reads: the same tables, predicates, ORDER BY / LIMIT / OFFSET (or keyset cursor) and COUNT as Sundial's queries, and the
 *   same per-page extras (CCs, follow-ups, latest satisfaction ratings) and side-loads (users, groups,
 *   organizations).
 * - Writes, in one transaction: create = form, requester, ticket, audit, comment, audit events, SLA ledger
 *   rows, breach time, report facts, outbox mail; update = ticket row lock, compare-and-set UPDATE, audit,
 *   comment, audit events, SLA ledger read and append, report facts, outbox mail for public replies.
 * Not done here (so the ratio is conservative for Sundial): JSON-schema validation, permissions beyond
 * role checks, sanitising and Markdown rendering of bodies, the presenters' Zendesk shapes (rows are sent
 * as they come), business-hours SLA arithmetic, trigger/job enqueueing (pg-boss rows), NOTIFY for live
 * updates, custom-field validation.
 * Search: the same ticket_search / comment_search vector match, filters, order and count as a plain query.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

pg.types.setTypeParser(20, (v) => Number(v));

// Sundial's settings: no JIT, and a statement given up after 30 s (DATABASE_STATEMENT_TIMEOUT's default).
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), options: '-c jit=off -c statement_timeout=30000' });
pool.on('error', () => undefined);
const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = [], c: pg.Pool | pg.PoolClient = pool) => (await c.query(text, values)).rows as T[];

interface Actor {
  id: number;
  role: string;
  organization_id: number | null;
  shared: boolean;
  groups: number[];
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

/** Sundial's API-token authentication and per-user rate-limit count, as SQL. */
async function authenticate(req: IncomingMessage): Promise<Actor> {
  const header = req.headers.authorization ?? '';
  const decoded = Buffer.from(header.replace(/^Basic /i, ''), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  const login = decoded.slice(0, sep);
  const token = decoded.slice(sep + 1);
  const digest = createHash('sha256').update(token).digest();
  const [row] = await q<{ id: number; user_id: number; email: string }>(
    'select "api_tokens"."id", "api_tokens"."user_id", "users"."email" from "api_tokens" inner join "users" on "users"."id" = "api_tokens"."user_id" where "api_tokens"."token_hash" = $1 and "api_tokens"."revoked_at" is null',
    [digest],
  );
  if (!row || `${row.email.toLowerCase()}/token` !== login.toLowerCase()) throw new HttpError(401);
  void pool.query('update "api_tokens" set "last_used_at" = $1 where "id" = $2', [new Date(), row.id]).catch(() => {});
  const [user] = await q<{ id: number; role: string; organization_id: number | null; active: boolean; suspended: boolean }>('select * from "users" where "id" = $1', [row.user_id]);
  const org = user.organization_id ? (await q<{ shared_tickets: boolean }>('select * from "organizations" where "id" = $1', [user.organization_id]))[0] : null;
  const groups = user.role === 'end-user' ? [] : (await q<{ group_id: number }>('select "group_id" from "group_memberships" where "user_id" = $1', [user.id])).map((g) => g.group_id);
  const window = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  await q('insert into "rate_limit_hits" ("key", "window_start", "hits") values ($1, $2, $3) on conflict ("key", "window_start") do update set "hits" = rate_limit_hits.hits + 1 returning "key", "hits"', [`api:user:${user.id}`, window, 1]);
  return { id: user.id, role: user.role, organization_id: user.organization_id, shared: !!org?.shared_tickets, groups };
}

const agentOnly = (a: Actor) => {
  if (a.role === 'end-user') throw new HttpError(403);
};

/** The per-page extras Sundial's presenters load: CCs, follow-ups, latest ratings. */
async function extras(ids: number[]) {
  if (!ids.length) return;
  const list = ids.map((_, i) => `$${i + 1}`).join(', ');
  await Promise.all([
    q(`select "ticket_id", "user_id" from "ticket_collaborators" where "ticket_id" in (${list}) order by "created_at", "user_id"`, ids),
    q(`select "id", "via_followup_source_id" from "tickets" where "via_followup_source_id" in (${list}) order by "id"`, ids),
    q(`select distinct on ("ticket_id") "id", "ticket_id", "score", "comment" from "satisfaction_ratings" where "ticket_id" in (${list}) order by "ticket_id", "id" desc`, ids),
  ]);
}

async function sideLoads(tickets: Record<string, unknown>[], include: Set<string>) {
  const out: Record<string, unknown[]> = {};
  const inList = (xs: unknown[]) => xs.map((_, i) => `$${i + 1}`).join(', ');
  if (include.has('users')) {
    const ids = new Set<number>();
    const ccs = tickets.length ? await q<{ user_id: number }>(`select "ticket_id", "user_id" from "ticket_collaborators" where "ticket_id" in (${inList(tickets)}) order by "created_at", "user_id"`, tickets.map((t) => t.id)) : [];
    for (const t of tickets) for (const k of ['requester_id', 'submitter_id', 'assignee_id']) if (t[k]) ids.add(t[k] as number);
    for (const c of ccs) ids.add(c.user_id);
    out.users = ids.size ? await q(`select * from "users" where "id" in (${inList([...ids])}) order by "id"`, [...ids]) : [];
  }
  if (include.has('groups')) {
    const ids = [...new Set(tickets.map((t) => t.group_id).filter(Boolean))];
    out.groups = ids.length ? await q(`select * from "groups" where "id" in (${inList(ids)})`, ids) : [];
  }
  if (include.has('organizations')) {
    const ids = [...new Set(tickets.map((t) => t.organization_id).filter(Boolean))];
    out.organizations = ids.length ? await q(`select * from "organizations" where "id" in (${inList(ids)})`, ids) : [];
  }
  return out;
}

/** Sorts whose value can be NULL (src/modules/views/view-pages.ts): those tickets come last. */
const NULLABLE_SORTS = ['sla_next_breach_at', 'solved_at'];

/** The built-in views' filters and sorts (src/modules/views/view-definitions.ts), as SQL. */
const VIEWS: Record<number, { where: (me: number) => [string, unknown[]]; sort: string; order: 'asc' | 'desc' }> = {
  1: { where: () => [`"tickets"."form_id" = (select "ticket_forms"."id" from "ticket_forms" where "ticket_forms"."kind" = $1) and "tickets"."status" = $2 and "tickets"."assignee_id" is null`, ['technical', 'new']], sort: 'created_at', order: 'asc' },
  2: { where: (me) => [`"tickets"."assignee_id" = $1 and "tickets"."status" in ($2, $3)`, [me, 'new', 'open']], sort: 'updated_at', order: 'asc' },
  3: { where: () => [`"tickets"."status" = $1`, ['pending']], sort: 'updated_at', order: 'asc' },
  4: { where: () => [`"tickets"."status" = $1`, ['hold']], sort: 'updated_at', order: 'asc' },
  5: { where: () => [`"tickets"."form_id" = (select "ticket_forms"."id" from "ticket_forms" where "ticket_forms"."kind" = $1) and "tickets"."status" = $2 and "tickets"."assignee_id" is null`, ['sales', 'new']], sort: 'created_at', order: 'asc' },
  6: { where: () => [`"tickets"."status" in ($1, $2)`, ['new', 'open']], sort: 'updated_at', order: 'asc' },
  7: { where: () => [`"tickets"."status" in ($1, $2) and "tickets"."solved_at" > now() - interval '7 days'`, ['solved', 'closed']], sort: 'solved_at', order: 'desc' },
  8: { where: () => [`"tickets"."status" not in ($1, $2) and ("tickets"."sla_breached_since" is not null or "tickets"."sla_next_breach_at" < now() + interval '2 hours')`, ['solved', 'closed']], sort: 'sla_next_breach_at', order: 'asc' },
};

/** Sundial's cursor of a view page (src/platform/pagination.ts): base64url JSON {s: sort, v: sort value, id}. */
function viewCursor(text: string, sort: string): { v: string | null; id: number } {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { s: string; v: string | null; id: number };
    if (c.s === sort && Number.isSafeInteger(c.id) && (c.v === null || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(c.v))) return c;
  } catch {
    /* fall through */
  }
  throw new HttpError(400);
}

async function viewTickets(a: Actor, id: number, url: URL) {
  agentOnly(a);
  const v = VIEWS[id] ?? (() => { throw new HttpError(404); })();
  const [where, params] = v.where(a.id);
  const n = params.length;
  // The cursor's sort value, as Sundial writes it (microseconds, UTC).
  const sortValue = `to_char("tickets"."${v.sort}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sort_value"`;
  const size = url.searchParams.get('page[size]');
  if (size !== null) {
    // Cursor pages (Sundial's keyset): a range of (sort, id) after the cursor in the view's order, no count;
    // NULL sort values (breach and solve times) are a second range read only when the first runs short.
    const limit = Math.min(100, Number(size)) + 1;
    const after = url.searchParams.get('page[after]');
    const c = after ? viewCursor(after, `${v.order === 'desc' ? '-' : ''}${v.sort}`) : null;
    const op = v.order === 'desc' ? '<' : '>';
    const order = `order by "tickets"."${v.sort}" ${v.order}, "tickets"."id" ${v.order} limit $${n + 1}`;
    const select = (range: string, values: unknown[]) =>
      q(`select "tickets".*, ${sortValue} from "tickets" where "tickets"."deleted_at" is null and ${where} and ${range} ${order}`, [...params, limit, ...values]);
    const nullable = NULLABLE_SORTS.includes(v.sort);
    let rows: Record<string, unknown>[] = [];
    if (!c || c.v !== null) {
      rows = c
        ? await select(`("tickets"."${v.sort}", "tickets"."id") ${op} ((SELECT $${n + 2}::timestamptz), $${n + 3})`, [c.v, c.id])
        : await select(nullable ? `"tickets"."${v.sort}" is not null` : 'true', []);
    }
    if (nullable && rows.length < limit) {
      const rest = c?.v === null ? await select(`"tickets"."${v.sort}" is null and "tickets"."id" ${op} $${n + 2}`, [c.id]) : await select(`"tickets"."${v.sort}" is null`, []);
      rows = [...rows, ...rest].slice(0, limit);
    }
    const items = rows.slice(0, limit - 1);
    await extras(items.map((t) => t.id as number));
    return { tickets: items, meta: { has_more: rows.length === limit, after_cursor: items.length ? items[items.length - 1].sort_value : null } };
  }
  const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 100));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
  // NULLs last, as Sundial's offset pages. The one descending nullable sort is "Recently solved", whose
  // filter leaves no NULL solve time: `DESC NULLS LAST` there would sort the whole view for nothing.
  const nulls = NULLABLE_SORTS.includes(v.sort) && v.order === 'asc' ? ' NULLS LAST' : '';
  const rows = await q(
    `select "tickets".*, ${sortValue} from "tickets" where "tickets"."deleted_at" is null and ${where} order by "tickets"."${v.sort}" ${v.order}${nulls}, "tickets"."id" ${v.order} limit $${n + 1} offset $${n + 2}`,
    [...params, perPage + 1, (page - 1) * perPage],
  );
  const [{ count }] = await q<{ count: number }>(`select count(*) as "count" from "tickets" where "tickets"."deleted_at" is null and ${where}`, params);
  const items = rows.slice(0, perPage);
  await extras(items.map((t) => t.id as number));
  return { tickets: items, count, next_page: rows.length > perPage ? page + 1 : null };
}

async function showTicket(a: Actor, id: number, url: URL) {
  agentOnly(a);
  const [t] = await q('select * from "tickets" where "id" = $1 and "deleted_at" is null', [id]);
  if (!t) throw new HttpError(404);
  await extras([id]);
  return { ticket: t, ...(await sideLoads([t], new Set((url.searchParams.get('include') ?? '').split(',')))) };
}

async function ticketComments(a: Actor, id: number, url: URL) {
  agentOnly(a);
  const [t] = await q('select * from "tickets" where "id" = $1 and "deleted_at" is null', [id]);
  if (!t) throw new HttpError(404);
  const rows = await q<{ id: number; author_id: number }>('select * from "ticket_comments" where "ticket_id" = $1 order by "ticket_comments"."id" asc limit $2', [id, 101]);
  const cids = rows.map((c) => c.id);
  if (cids.length) await q(`select * from "attachments" where "comment_id" in (${cids.map((_, i) => `$${i + 1}`).join(', ')}) and "deleted_at" is null order by "id"`, cids);
  const authors = [...new Set(rows.map((c) => c.author_id))];
  const users = url.searchParams.get('include')?.includes('users') && authors.length ? await q(`select * from "users" where "id" in (${authors.map((_, i) => `$${i + 1}`).join(', ')})`, authors) : undefined;
  return { comments: rows.slice(0, 100), users, count: Math.min(rows.length, 100) };
}

/** GET /api/v2/tickets with a cursor: keyset on id. */
async function listTickets(a: Actor, url: URL) {
  agentOnly(a);
  const size = Math.min(100, Number(url.searchParams.get('page[size]') ?? 100));
  const after = url.searchParams.get('page[after]');
  const afterId = after ? (JSON.parse(Buffer.from(after, 'base64url').toString()) as { id: number }).id : null;
  const rows = afterId === null
    ? await q('select * from "tickets" where "tickets"."deleted_at" is null order by "tickets"."id" asc limit $1', [size + 1])
    : await q('select * from "tickets" where "tickets"."deleted_at" is null and "tickets"."id" > $1 order by "tickets"."id" asc limit $2', [afterId, size + 1]);
  const items = rows.slice(0, size);
  await extras(items.map((t) => t.id as number));
  return { tickets: items, meta: { has_more: rows.length > size } };
}

/** GET /api/v2/requests: the customer's own requests, newest first, with the count. */
async function myRequests(a: Actor) {
  const rows = await q('select * from "tickets" where ("tickets"."deleted_at" is null and "tickets"."requester_id" = $1) order by "tickets"."id" desc limit $2', [a.id, 101]);
  const [{ count }] = await q<{ count: number }>('select count(*) as "count" from "tickets" where ("tickets"."deleted_at" is null and "tickets"."requester_id" = $1)', [a.id]);
  const items = rows.slice(0, 100);
  await extras(items.map((t) => t.id as number));
  return { requests: items, count };
}

/** GET /api/v2/search: `status:x priority:y` filters, or words matched against the stored vectors. */
async function search(a: Actor, url: URL) {
  agentOnly(a);
  const query = url.searchParams.get('query') ?? '';
  const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 25));
  const filters: string[] = ['"tickets"."deleted_at" is null'];
  const params: unknown[] = [];
  const words: string[] = [];
  for (const term of query.split(/\s+/).filter(Boolean)) {
    const m = /^(status|priority):(\w+)$/.exec(term);
    if (m) {
      params.push(m[2]);
      filters.push(`"tickets"."${m[1]}" = $${params.length}`);
    } else if (term !== 'type:ticket') words.push(term);
  }
  if (words.length) {
    params.push(words.join(' '));
    const p = `$${params.length}`;
    filters.push(`"tickets"."id" in (select "ticket_id" from "ticket_search" where "vector" @@ plainto_tsquery('simple', ${p}) union select "ticket_id" from "comment_search" where "vector" @@ plainto_tsquery('simple', ${p}))`);
  }
  const where = filters.join(' and ');
  const rows = await q(`select "tickets".* from "tickets" where ${where} order by "tickets"."updated_at" desc, "tickets"."id" desc limit $${params.length + 1}`, [...params, perPage + 1]);
  const [{ count }] = await q<{ count: number }>(`select count(*) as "count" from "tickets" where ${where}`, params);
  const items = rows.slice(0, perPage);
  await extras(items.map((t) => t.id as number));
  return { results: items, count };
}

async function inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

interface TicketBody {
  ticket: { ticket_form_id?: number; subject?: string; priority?: string; requester_id?: number; status?: string; custom_fields?: { id: number; value: unknown }[]; comment?: { body: string; public?: boolean } };
}

/** POST /api/v2/tickets (technical form, SLA applied) in one transaction. */
async function createTicket(a: Actor, body: TicketBody) {
  agentOnly(a);
  const t = body.ticket;
  return inTransaction(async (c) => {
    const [form] = await q<{ id: number; default_group_key: string }>('select * from "ticket_forms" where "id" = $1', [t.ticket_form_id], c);
    await q('select "ticket_fields".* from "ticket_form_fields" inner join "ticket_fields" on "ticket_fields"."id" = "ticket_form_fields"."field_id" where "ticket_form_fields"."form_id" = $1 order by "position"', [form.id], c);
    const [requester] = await q<{ id: number; organization_id: number | null }>('select * from "users" where "id" = $1', [t.requester_id], c);
    const [group] = await q<{ id: number }>('select * from "groups" where "key" = $1', [form.default_group_key], c);
    const fields = Object.fromEntries((t.custom_fields ?? []).map((f) => [String(f.id), f.value]));
    const [ticket] = await q<{ id: number; created_at: Date }>(
      `insert into "tickets" ("form_id", "subject", "description", "priority", "status", "requester_id", "submitter_id", "group_id", "organization_id", "via_channel", "tags", "custom_fields", "updated_at")
       values ($1, $2, $3, $4, 'new', $5, $6, $7, $8, 'api', '{}', $9, date_trunc('second', now())) returning *`,
      [form.id, t.subject, t.comment?.body, t.priority ?? null, requester.id, a.id, group?.id ?? null, requester.organization_id, JSON.stringify(fields)],
      c,
    );
    const [org] = requester.organization_id ? await q<{ support_plan: string; time_zone: string }>('select * from "organizations" where "id" = $1', [requester.organization_id], c) : [];
    const [audit] = await q<{ id: number }>('insert into "ticket_audits" ("ticket_id", "author_id", "via_channel", "metadata") values ($1, $2, $3, $4) returning "id", "created_at"', [ticket.id, a.id, 'api', JSON.stringify({ sla: { plan: org?.support_plan ?? 'free', time_zone: org?.time_zone } })], c);
    const [comment] = await q<{ id: number }>('insert into "ticket_comments" ("ticket_id", "audit_id", "author_id", "body", "html_body", "public", "via_channel") values ($1, $2, $3, $4, $5, true, $6) returning *', [ticket.id, audit.id, a.id, t.comment?.body, `<p>${t.comment?.body}</p>`, 'api'], c);
    const events: [string, string, unknown][] = [['Create', 'subject', t.subject], ['Create', 'status', 'new'], ['Create', 'priority', t.priority], ['Create', 'requester_id', requester.id], ['Create', 'group_id', group?.id], ['Create', 'organization_id', requester.organization_id], ['Create', 'ticket_form_id', form.id], ...Object.entries(fields).map(([k, v]) => ['Create', k, v] as [string, string, unknown])];
    await q(
      `insert into "ticket_audit_events" ("audit_id", "type", "field_name", "value", "comment_id") values ${events.map((_, i) => `($1, $${3 * i + 3}, $${3 * i + 4}, $${3 * i + 5}, null)`).join(', ')}, ($1, 'Comment', null, null, $2)`,
      [audit.id, comment.id, ...events.flatMap((e) => [e[0], e[1], JSON.stringify(e[2] ?? null)])],
      c,
    );
    // The SLA: the policy target of the plan and priority, the clocks started, the next breach time.
    const [target] = await q<{ target_minutes: number; policy_id: number; business_hours: boolean }>(
      'select "sla_policy_metrics".*, "sla_policies"."id" as "policy_id" from "sla_policy_metrics" inner join "sla_policies" on "sla_policies"."id" = "sla_policy_metrics"."policy_id" where "sla_policies"."plan" = $1 and "sla_policy_metrics"."priority" = $2',
      [org?.support_plan ?? 'free', t.priority ?? 'normal'],
      c,
    );
    await q('select * from "ticket_metric_events" where "ticket_id" = $1 order by "id"', [ticket.id], c);
    const metrics = ['first_reply_time', 'requester_wait_time', 'agent_work_time', 'total_resolution_time'];
    await q(
      `insert into "ticket_metric_events" ("ticket_id", "metric", "instance_id", "type", "time", "sla") values ${metrics.flatMap((_, i) => [`($1, $${i + 3}, 1, 'activate', $2, null)`, `($1, $${i + 3}, 1, 'apply_sla', $2, ${i === 0 ? '$7' : 'null'})`]).join(', ')}`,
      [ticket.id, ticket.created_at, ...metrics, target ? JSON.stringify({ target: target.target_minutes, policy_id: target.policy_id, business_hours: target.business_hours }) : null],
      c,
    );
    await q('update "tickets" set "sla_next_breach_at" = $1, "sla_breached_since" = null where "id" = $2', [target ? new Date(ticket.created_at.getTime() + target.target_minutes * 60_000) : null, ticket.id], c);
    await q(
      `insert into "ticket_facts" ("ticket_id", "created_at", "status", "plan", "priority", "form_kind", "group_id", "organization_id") values ($1, $2, 'new', $3, $4, 'technical', $5, $6)
       on conflict ("ticket_id") do update set "status" = excluded."status", "refreshed_at" = now(), "txid" = pg_current_xact_id()`,
      [ticket.id, ticket.created_at, org?.support_plan ?? 'free', t.priority ?? null, group?.id ?? null, requester.organization_id],
      c,
    );
    await q('insert into "mail_outbox" ("to_address", "subject", "text_body", "message_id", "ticket_id", "kind") values ($1, $2, $3, $4, $5, $6)', ['requester@example.invalid', `[${ticket.id}] ${t.subject}`, t.comment?.body, `<raw-${ticket.id}-${Date.now()}@bench>`, ticket.id, 'ticket-received'], c);
    return { ticket, audit };
  }).then(async (r) => {
    await extras([r.ticket.id]);
    return r;
  });
}

/** PUT /api/v2/tickets/:id with a comment and/or a status, in one transaction. */
async function updateTicket(a: Actor, id: number, body: TicketBody) {
  agentOnly(a);
  const t = body.ticket;
  return inTransaction(async (c) => {
    const [before] = await q<{ id: number; status: string; updated_at: Date; assignee_id: number | null }>('select * from "tickets" where "id" = $1 and "deleted_at" is null for update', [id], c);
    if (!before) throw new HttpError(404);
    const status = t.status ?? before.status;
    const [ticket] = await q<{ id: number; status: string; assignee_id: number | null }>(
      `update "tickets" set "status" = $1, "updated_at" = greatest(date_trunc('second', now()), $2::timestamptz + interval '1 second') where "id" = $3 and "status" = $4 returning *`,
      [status, before.updated_at, id, before.status],
      c,
    );
    if (!ticket) throw new HttpError(409);
    const [audit] = await q<{ id: number; created_at: Date }>('insert into "ticket_audits" ("ticket_id", "author_id", "via_channel", "metadata") values ($1, $2, $3, $4) returning "id", "created_at"', [id, a.id, 'api', '{}'], c);
    const events: unknown[][] = [];
    if (status !== before.status) events.push(['Change', 'status', JSON.stringify(status), JSON.stringify(before.status), null]);
    if (t.comment) {
      const [comment] = await q<{ id: number }>('insert into "ticket_comments" ("ticket_id", "audit_id", "author_id", "body", "html_body", "public", "via_channel") values ($1, $2, $3, $4, $5, $6, $7) returning *', [id, audit.id, a.id, t.comment.body, `<p>${t.comment.body}</p>`, t.comment.public !== false, 'api'], c);
      events.push(['Comment', null, null, null, comment.id]);
    }
    if (events.length) {
      await q(`insert into "ticket_audit_events" ("audit_id", "type", "field_name", "value", "previous_value", "comment_id") values ${events.map((_, i) => `($1, $${5 * i + 2}, $${5 * i + 3}, $${5 * i + 4}, $${5 * i + 5}, $${5 * i + 6})`).join(', ')}`, [audit.id, ...events.flat()], c);
    }
    // The SLA replay reads the ledger, appends what moved, and stamps the next breach.
    await q('select * from "ticket_metric_events" where "ticket_id" = $1 order by "id"', [id], c);
    if (t.comment?.public !== false && t.comment) await q(`insert into "ticket_metric_events" ("ticket_id", "metric", "instance_id", "type", "time") values ($1, 'next_reply_time', 1, 'fulfill', $2)`, [id, audit.created_at], c);
    if (status !== before.status) await q(`insert into "ticket_metric_events" ("ticket_id", "metric", "instance_id", "type", "time") values ($1, 'requester_wait_time', 1, $3, $2)`, [id, audit.created_at, status === 'pending' ? 'pause' : 'activate'], c);
    await q('update "tickets" set "sla_next_breach_at" = $1, "sla_breached_since" = null, "pending_since" = $2 where "id" = $3', [null, status === 'pending' ? audit.created_at : null, id], c);
    await q(`update "ticket_facts" set "status" = $1, "assignee_id" = $2, "refreshed_at" = now(), "txid" = pg_current_xact_id() where "ticket_id" = $3`, [status, ticket.assignee_id, id], c);
    if (t.comment && t.comment.public !== false) {
      await q('insert into "mail_outbox" ("to_address", "subject", "text_body", "message_id", "ticket_id", "kind") values ($1, $2, $3, $4, $5, $6)', ['requester@example.invalid', `[${id}] reply`, t.comment.body, `<raw-${id}-${audit.id}@bench>`, id, 'comment'], c);
    }
    return { ticket, audit };
  }).then(async (r) => {
    await extras([r.ticket.id]);
    return r;
  });
}

async function readBody(req: IncomingMessage): Promise<TicketBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as TicketBody;
}

async function route(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://raw.bench');
  const path = url.pathname.replace(/\.json$/, '');
  const a = await authenticate(req);
  let m: RegExpExecArray | null;
  let status = 200;
  let out: unknown;
  if (req.method === 'GET' && (m = /^\/api\/v2\/views\/(\d+)\/tickets$/.exec(path))) out = await viewTickets(a, Number(m[1]), url);
  else if (req.method === 'GET' && (m = /^\/api\/v2\/tickets\/(\d+)\/comments$/.exec(path))) out = await ticketComments(a, Number(m[1]), url);
  else if (req.method === 'GET' && (m = /^\/api\/v2\/tickets\/(\d+)$/.exec(path))) out = await showTicket(a, Number(m[1]), url);
  else if (req.method === 'PUT' && (m = /^\/api\/v2\/tickets\/(\d+)$/.exec(path))) out = await updateTicket(a, Number(m[1]), await readBody(req));
  else if (req.method === 'GET' && path === '/api/v2/tickets') out = await listTickets(a, url);
  else if (req.method === 'POST' && path === '/api/v2/tickets') {
    out = await createTicket(a, await readBody(req));
    status = 201;
  } else if (req.method === 'GET' && path === '/api/v2/requests') out = await myRequests(a);
  else if (req.method === 'GET' && path === '/api/v2/search') out = await search(a, url);
  else throw new HttpError(404);
  const body = JSON.stringify(out);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req, res) => {
  route(req, res).catch((e) => {
    const status = e instanceof HttpError ? e.status : 500;
    if (status === 500) console.error(e);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: String(e?.message ?? e) }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
