import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { decodeCursor, encodeCursor } from '../../src/modules/export/incremental.paging.js';
import type { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// node-zendesk, unmodified, over real HTTP (as in zendesk-client.test.ts).
const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

// The export holds back the most recent minute; the rule clock runs five minutes ahead so rows
// written by a test are old enough at once. One test moves it back to check the rule itself.
const AHEAD_MS = 5 * 60_000;
const clock = new ManualClock(new Date(Date.now() + AHEAD_MS));
let env: TestEnv;
let agent: Actor & { token: string };
let customer: Actor;
let org: Awaited<ReturnType<typeof createOrganization>>;

beforeAll(async () => {
  env = await startTestApp({}, { listen: true, clock });
  agent = await createAgent(env, { admin: true, groups: ['technical'] });
  org = await createOrganization(env);
  customer = await createCustomer(env, org);
});
afterAll(() => env?.close());

const BASE = /^http:\/\/localhost(:80)?\/api\/v2\//;
/** The path and query of an absolute link, for the in-process client. */
const pathOf = (url: string) => url.replace(/^http:\/\/[^/]+/, '');
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function createTicket(o: { subject?: string; requester?: string; ccs?: string[] } = {}) {
  const res = await agent.api.post('/api/v2/tickets', {
    ticket: {
      subject: o.subject ?? `Export ${uniq()}`,
      comment: { body: 'Incremental export test' },
      requester: { email: o.requester ?? `req-${uniq()}@${org.domain}`, name: 'Req' },
      ...(o.ccs ? { email_ccs: o.ccs.map((email) => ({ user_email: email })) } : {}),
    },
  });
  expect(res.status).toBe(201);
  return res.body.ticket as { id: number; updated_at: string; requester_id: number };
}

/** Tickets whose updated_at is at or after `start`, in export order, straight from the database. */
async function expectedSince(start: number, o: { excludeDeleted?: boolean } = {}) {
  let q = env.ctx.db.selectFrom('tickets').select('id').where('updated_at', '>=', new Date(start * 1000)).orderBy('updated_at').orderBy('id');
  if (o.excludeDeleted) q = q.where('deleted_at', 'is', null);
  return (await q.execute()).map((r) => r.id);
}

/** Follows an export from `first` until `next` says there is no next page. */
async function walk(api: Api, first: string, next: (body: any) => string | null) {
  const pages: any[] = [];
  let url: string | null = first;
  while (url) {
    const res: { status: number; body: any } = await api.get(url);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body);
    url = next(res.body);
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}
const walkCursor = (api: Api, first: string) => walk(api, first, (b) => (b.end_of_stream ? null : pathOf(b.after_url)));
const walkTime = (api: Api, first: string) => walk(api, first, (b) => (b.next_page ? pathOf(b.next_page) : null));

describe('incremental ticket export, cursor-based', () => {
  it('pages with after_cursor to end_of_stream in Zendesk’s envelope, then resumes from the last cursor', async () => {
    const start = nowSeconds() - 1;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createTicket());
    const pages = await walkCursor(agent.api, `/api/v2/incremental/tickets/cursor.json?start_time=${start}&per_page=2`);
    for (const page of pages) {
      expect(Object.keys(page).sort()).toEqual(['after_cursor', 'after_url', 'before_cursor', 'before_url', 'end_of_stream', 'tickets']);
      expect(page.before_url).toBeNull();
      expect(page.before_cursor).toBeNull();
      expect(page.after_url).toMatch(BASE);
      expect(page.after_url).toContain('incremental/tickets/cursor.json?');
      expect(page.after_url).toContain(`cursor=${page.after_cursor}`);
      expect(page.after_url).toContain('per_page=2');
      expect(page.tickets.length).toBeLessThanOrEqual(2);
    }
    expect(pages.at(-1).end_of_stream).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.end_of_stream === false)).toBe(true);
    const ids = pages.flatMap((p) => p.tickets.map((t: { id: number }) => t.id));
    expect(ids).toEqual(await expectedSince(start));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(made.map((t) => t.id)));

    const ticket = pages[0].tickets[0];
    expect(ticket).toMatchObject({ url: expect.stringMatching(BASE), status: 'new', via: { channel: 'api' } });
    expect(ticket.generated_timestamp).toBe(Math.floor(Date.parse(ticket.updated_at) / 1000));
    for (const key of ['external_id', 'type', 'priority', 'assignee_id', 'collaborator_ids', 'email_cc_ids', 'tags', 'custom_fields', 'satisfaction_rating', 'ticket_form_id']) expect(ticket).toHaveProperty(key);

    // The stream is never over: the last after_url picks up what changed since.
    const later = await createTicket();
    const resumed = await agent.api.get(pathOf(pages.at(-1).after_url));
    expect(resumed.body.tickets.map((t: { id: number }) => t.id)).toEqual([later.id]);
    expect(resumed.body.end_of_stream).toBe(true);
  });

  it('treats cursor=undefined and cursor= as no cursor, ignores page[size], and refuses bad parameters', async () => {
    const start = nowSeconds() - 1;
    const t = await createTicket();
    // What node-zendesk's exportCursor(start) sends, literally.
    const res = await agent.api.get(`/api/v2/incremental/tickets/cursor.json?start_time=${start}&cursor=undefined&page%5Bsize%5D=100`);
    expect(res.status).toBe(200);
    expect(res.body.tickets.map((x: { id: number }) => x.id)).toContain(t.id);
    expect((await agent.api.get(`/api/v2/incremental/tickets/cursor?start_time=${start}&cursor=`)).body.tickets.map((x: { id: number }) => x.id)).toContain(t.id);
    // A valid cursor wins over start_time.
    const cursor = encodeCursor({ us: Date.parse(t.updated_at) * 1000, id: t.id });
    const after = await agent.api.get(`/api/v2/incremental/tickets/cursor.json?start_time=0&cursor=${cursor}`);
    expect(after.body.tickets.map((x: { id: number }) => x.id)).not.toContain(t.id);

    const bad = await agent.api.get('/api/v2/incremental/tickets/cursor.json?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('InvalidPaginationParameter');
    expect((await agent.api.get('/api/v2/incremental/tickets/cursor.json')).status).toBe(400);
    expect((await agent.api.get('/api/v2/incremental/tickets.json?start_time=yesterday')).status).toBe(422);
    const future = await agent.api.get(`/api/v2/incremental/tickets.json?start_time=${Math.floor(clock.now().getTime() / 1000) + 10}`);
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ error: 'RecordInvalid', details: { start_time: [expect.objectContaining({ description: expect.stringContaining('one minute') })] } });
    expect((await agent.api.get('/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=0')).status).toBe(400);
  });

  it('cursors keep microsecond positions, so rows of one millisecond are neither repeated nor skipped', () => {
    const p = { us: 1_700_000_000_123_456, id: 42 };
    expect(decodeCursor(encodeCursor(p))).toEqual(p);
    // Zendesk's own format (base64 of "1576613539.0||451|") reads too.
    expect(decodeCursor('MTU3NjYxMzUzOS4wfHw0NTF8')).toEqual({ us: 1576613539_000_000, id: 451 });
  });

  it('shows deleted tickets with status "deleted", unless exclude_deleted=true', async () => {
    const start = nowSeconds() - 1;
    const kept = await createTicket();
    const gone = await createTicket();
    expect((await agent.api.delete(`/api/v2/tickets/${gone.id}`)).status).toBe(204);
    const all = (await walkCursor(agent.api, `/api/v2/incremental/tickets/cursor.json?start_time=${start}`)).flatMap((p) => p.tickets);
    expect(all.find((t: { id: number }) => t.id === gone.id)).toMatchObject({ status: 'deleted' });
    expect(all.find((t: { id: number }) => t.id === kept.id)).toMatchObject({ status: 'new' });
    const live = (await walkCursor(agent.api, `/api/v2/incremental/tickets/cursor.json?start_time=${start}&exclude_deleted=true`)).flatMap((p) => p.tickets);
    expect(live.map((t: { id: number }) => t.id)).toEqual(await expectedSince(start, { excludeDeleted: true }));
    expect(live.map((t: { id: number }) => t.id)).not.toContain(gone.id);
    const timed = (await walkTime(agent.api, `/api/v2/incremental/tickets.json?start_time=${start}`)).flatMap((p) => p.tickets);
    expect(timed.find((t: { id: number }) => t.id === gone.id)).toMatchObject({ status: 'deleted' });
  });

  it('side-loads users, groups and organizations', async () => {
    const start = nowSeconds() - 1;
    const t = await createTicket();
    await agent.api.put(`/api/v2/tickets/${t.id}`, { ticket: { assignee_id: agent.user.id } });
    const res = await agent.api.get(`/api/v2/incremental/tickets/cursor.json?start_time=${start}&include=users,groups,organizations`);
    expect(res.status).toBe(200);
    const ticket = res.body.tickets.find((x: { id: number }) => x.id === t.id);
    expect(res.body.users.map((u: { id: number }) => u.id)).toEqual(expect.arrayContaining([ticket.requester_id, agent.user.id]));
    expect(res.body.groups.map((g: { id: number }) => g.id)).toContain(ticket.group_id);
    expect(res.body.organizations.map((o: { id: number }) => o.id)).toContain(org.id);
    expect(res.body.after_url).toContain('include=users%2Cgroups%2Corganizations');
  });

  it('holds back the most recent minute', async () => {
    const real = new Date(clock.now().getTime() - AHEAD_MS);
    const t = await createTicket();
    clock.set(real);
    try {
      const res = await agent.api.get(`/api/v2/incremental/tickets/cursor.json?start_time=${Math.floor(real.getTime() / 1000) - 3600}`);
      expect(res.status).toBe(200);
      expect(res.body.tickets.map((x: { id: number }) => x.id)).not.toContain(t.id);
      expect((await agent.api.get(`/api/v2/incremental/tickets.json?start_time=${Math.floor(real.getTime() / 1000) - 30}`)).status).toBe(422);
    } finally {
      clock.set(new Date(Date.now() + AHEAD_MS));
    }
  });
});

describe('incremental ticket export, time-based', () => {
  it('follows next_page to end_of_stream; end_time is the next start_time; count is the page size', async () => {
    const start = nowSeconds() - 1;
    for (let i = 0; i < 4; i++) await createTicket();
    const pages = await walkTime(agent.api, `/api/v2/incremental/tickets.json?start_time=${start}&per_page=2`);
    for (const [i, page] of pages.entries()) {
      expect(Object.keys(page).sort()).toEqual(['count', 'end_of_stream', 'end_time', 'next_page', 'tickets']);
      expect(page.count).toBe(page.tickets.length);
      if (page.next_page) {
        expect(page.next_page).toMatch(BASE);
        expect(page.next_page).toContain(`start_time=${page.end_time}`);
        expect(page.end_of_stream).toBe(false);
      } else expect(i).toBe(pages.length - 1);
    }
    expect(pages.at(-1)).toMatchObject({ end_of_stream: true, next_page: null });
    const last = pages.at(-1);
    // The last item's second (or just past it, when that second filled a page of its own).
    expect([last.tickets.at(-1).generated_timestamp, last.tickets.at(-1).generated_timestamp + 1]).toContain(last.end_time);
    // Items of the second a page ends on may come again on the next page; de-duplicated, the stream is complete.
    const ids = [...new Set(pages.flatMap((p) => p.tickets.map((t: { id: number }) => t.id)))];
    expect(ids.sort((a, b) => a - b)).toEqual((await expectedSince(start)).sort((a, b) => a - b));
  });

  it('repeats the boundary second on the next page, and finishes a second that fills a whole page', async () => {
    // Seconds far in the past that no other ticket uses.
    const X = Date.UTC(2001, 0, 1) / 1000;
    const made = [];
    for (let i = 0; i < 7; i++) made.push((await createTicket()).id);
    const at = async (ids: number[], second: number) => env.ctx.db.updateTable('tickets').set({ updated_at: new Date(second * 1000) }).where('id', 'in', ids).execute();
    await at([made[0]], X);
    await at([made[1], made[2]], X + 1);
    await at([made[3], made[4], made[5]], X + 3);
    await at([made[6]], X + 9);

    const page = async (url: string) => (await agent.api.get(url)).body;
    const p1 = await page(`/api/v2/incremental/tickets.json?start_time=${X}&per_page=2`);
    expect(p1.tickets.map((t: { id: number }) => t.id)).toEqual([made[0], made[1]]);
    expect(p1).toMatchObject({ count: 2, end_time: X + 1, end_of_stream: false });
    // made[1] comes again: the page ended in its second.
    const p2 = await page(pathOf(p1.next_page));
    expect(p2.tickets.map((t: { id: number }) => t.id)).toEqual([made[1], made[2]]);
    // That page lies within one second, so the next one starts after it (or it would never move on).
    expect(p2.end_time).toBe(X + 2);
    // Three tickets share X+3: the page grows past per_page rather than split the second.
    const p3 = await page(pathOf(p2.next_page));
    expect(p3.tickets.map((t: { id: number }) => t.id)).toEqual([made[3], made[4], made[5]]);
    expect(p3).toMatchObject({ count: 3, end_time: X + 4, end_of_stream: false });
    const p4 = await page(pathOf(p3.next_page));
    expect(p4.tickets[0].id).toBe(made[6]);
  });
});

describe('incremental users, organizations and ticket events', () => {
  it('exports users (cursor and time-based) with organizations and groups side-loaded', async () => {
    const start = nowSeconds() - 1;
    const person = await createCustomer(env, org);
    const cursor = await agent.api.get(`/api/v2/incremental/users/cursor.json?start_time=${start}&include=organizations,groups`);
    expect(cursor.status).toBe(200);
    expect(cursor.body.users.map((u: { id: number }) => u.id)).toContain(person.user.id);
    expect(cursor.body).toMatchObject({ before_url: null, before_cursor: null, end_of_stream: true, after_cursor: expect.any(String) });
    expect(cursor.body.organizations.map((o: { id: number }) => o.id)).toContain(org.id);
    const timed = await agent.api.get(`/api/v2/incremental/users.json?start_time=${start}`);
    expect(timed.body).toMatchObject({ end_of_stream: true, next_page: null, count: timed.body.users.length });
    expect(timed.body.users.find((u: { id: number }) => u.id === person.user.id)).toMatchObject({ email: person.user.email, role: 'end-user', url: expect.stringMatching(BASE) });
  });

  it('exports organizations, deleted ones with deleted_at', async () => {
    const start = nowSeconds() - 1;
    const other = await createOrganization(env);
    expect((await agent.api.delete(`/api/v2/organizations/${other.id}`)).status).toBe(204);
    const res = await agent.api.get(`/api/v2/incremental/organizations.json?start_time=${start}`);
    expect(res.status).toBe(200);
    const shown = res.body.organizations.find((o: { id: number }) => o.id === other.id);
    expect(shown).toMatchObject({ name: other.name, deleted_at: expect.any(String), url: expect.stringMatching(BASE) });
    expect(res.body).toMatchObject({ end_of_stream: true, count: res.body.organizations.length });
  });

  it('exports audits as ticket events; comment events only with include=comment_events', async () => {
    const start = nowSeconds() - 1;
    const t = await createTicket();
    await agent.api.put(`/api/v2/tickets/${t.id}`, { ticket: { status: 'open', assignee_id: agent.user.id, comment: { body: 'Private note', public: false } } });
    const plain = await agent.api.get(`/api/v2/incremental/ticket_events.json?start_time=${start}`);
    expect(plain.status).toBe(200);
    const events = plain.body.ticket_events.filter((e: { ticket_id: number }) => e.ticket_id === t.id);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ event_type: 'Audit', updater_id: agent.user.id, via: 'Web service', timestamp: expect.any(Number), merged_ticket_ids: [] });
    expect(events[0].child_events).toEqual(expect.arrayContaining([expect.objectContaining({ event_type: 'Create', field_name: 'subject' })]));
    expect(events[1].child_events).toEqual(expect.arrayContaining([expect.objectContaining({ event_type: 'Change', field_name: 'status', status: 'open', previous_value: 'new' })]));
    expect(events.flatMap((e: any) => e.child_events).some((c: any) => c.event_type === 'Comment')).toBe(false);
    expect(events[1]).toMatchObject({ comment_present: true, comment_public: false });

    const withComments = await agent.api.get(`/api/v2/incremental/ticket_events.json?start_time=${start}&include=comment_events`);
    const comments = withComments.body.ticket_events.filter((e: { ticket_id: number }) => e.ticket_id === t.id).flatMap((e: any) => e.child_events).filter((c: any) => c.event_type === 'Comment');
    expect(comments.map((c: any) => [c.body, c.public])).toEqual([
      ['Incremental export test', true],
      ['Private note', false],
    ]);
    expect(withComments.body.next_page).toBeNull();
  });

  it('is for agents and admins: end users get 403, anonymous callers 401', async () => {
    for (const path of ['tickets/cursor', 'tickets', 'users/cursor', 'users', 'organizations', 'ticket_events']) {
      const res = await customer.api.get(`/api/v2/incremental/${path}.json?start_time=0`);
      expect(res.status, path).toBe(403);
      expect(res.body.error).toBe('Forbidden');
    }
    const anonymous = await fetch(`${env.url}/api/v2/incremental/tickets/cursor.json?start_time=0`);
    expect(anonymous.status).toBe(401);
  });
});

describe('node-zendesk 6 incremental methods, unchanged, over HTTP', () => {
  it('exportCursor (with its literal cursor=undefined), export, tickets/users/organizations incremental and ticket events', async () => {
    const client = createClient({ username: agent.user.email, token: agent.token, endpointUri: `${env.url}/api/v2` });
    const start = nowSeconds() - 1;
    const t = await createTicket();
    const first = await client.ticketexport.exportCursor(start);
    expect(first.result.tickets.map((x: { id: number }) => x.id)).toContain(t.id);
    expect(first.result.after_url.startsWith(`${env.url}/api/v2/incremental/tickets/cursor.json?`)).toBe(true);
    const more = await client.ticketexport.exportCursor(start, first.result.after_cursor);
    expect(more.result).toMatchObject({ tickets: [], end_of_stream: true });

    const timed = await client.ticketexport.export(start);
    expect(timed.result.tickets.map((x: { id: number }) => x.id)).toContain(t.id);
    expect(timed.result).toMatchObject({ end_of_stream: true, end_time: expect.any(Number) });

    const tickets = await client.tickets.incremental(start);
    expect(tickets.map((x: { id: number }) => x.id)).toContain(t.id);
    const users = await client.users.incremental(start);
    expect(users.map((u: { id: number }) => u.id)).toContain(t.requester_id);
    const orgs = await client.organizations.incremental(0);
    expect(orgs.map((o: { id: number }) => o.id)).toContain(org.id);
    const events = await client.ticketevents.incrementalInclude(start, 'comment_events');
    const comment = events.filter((e: { ticket_id: number }) => e.ticket_id === t.id).flatMap((e: any) => e.child_events).find((c: any) => c.event_type === 'Comment');
    expect(comment).toMatchObject({ body: 'Incremental export test', public: true });
  });
});
