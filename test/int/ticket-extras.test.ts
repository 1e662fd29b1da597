import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { checkMerge } from '../../src/modules/bulk/merge-tickets.js';
import { insertJobStatus } from '../../src/modules/bulk/job-status.repository.js';
import { runBulkJob } from '../../src/modules/bulk/run-bulk-job.js';

// node-zendesk, unmodified, over real HTTP: tags, merge, user search, organization lookups, metrics.
const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
});
afterAll(() => env?.close());

async function untilDone(api: Api, id: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = (await api.get(`/api/v2/job_statuses/${id}`)).body.job_status;
    if (['completed', 'failed'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const newTicket = async (api: Api, body: Record<string, unknown>) => {
  const res = await api.post('/api/v2/tickets', { ticket: { subject: 'Extras', comment: { body: 'Hello' }, priority: 'normal', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.ticket as { id: number; tags: string[]; requester_id: number };
};

const lastAudit = async (api: Api, ticketId: number) => {
  const audits = (await api.get(`/api/v2/tickets/${ticketId}/audits`)).body.audits;
  return audits[audits.length - 1];
};

describe('ticket tags', () => {
  it('shows, sets, adds and removes tags in Zendesk’s {tags} shape, each change audited', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const t = await newTicket(agent.api, { tags: ['start'], requester: { email: `${uniq('tag')}@${org.domain}` } });
    expect((await agent.api.get(`/api/v2/tickets/${t.id}/tags.json`)).body).toEqual({ tags: ['start'] });

    const set = await agent.api.post(`/api/v2/tickets/${t.id}/tags.json`, { tags: ['billing', 'vip'] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ tags: ['billing', 'vip'] });
    expect((await lastAudit(agent.api, t.id)).events).toEqual([expect.objectContaining({ type: 'Change', field_name: 'tags', value: ['billing', 'vip'], previous_value: ['start'] })]);

    expect((await agent.api.put(`/api/v2/tickets/${t.id}/tags`, { tags: ['urgent_fix', 'vip'] })).body).toEqual({ tags: ['billing', 'vip', 'urgent_fix'] });
    expect((await agent.api.request('DELETE', `/api/v2/tickets/${t.id}/tags`, { tags: ['vip'] })).status).toBe(200);
    expect((await agent.api.get(`/api/v2/tickets/${t.id}/tags`)).body.tags).toEqual(['billing', 'urgent_fix']);
    expect((await agent.api.request('DELETE', `/api/v2/tickets/${t.id}/tags?tags=billing`)).body).toEqual({ tags: ['urgent_fix'] });

    // Adding a tag the ticket has changes nothing and writes no audit.
    const before = (await agent.api.get(`/api/v2/tickets/${t.id}/audits`)).body.audits.length;
    expect((await agent.api.put(`/api/v2/tickets/${t.id}/tags`, { tags: ['urgent_fix'] })).body.tags).toEqual(['urgent_fix']);
    expect((await agent.api.get(`/api/v2/tickets/${t.id}/audits`)).body.audits).toHaveLength(before);

    expect((await agent.api.put(`/api/v2/tickets/${t.id}/tags`, { tags: ['has space'] })).status).toBe(422);
    expect((await agent.api.put(`/api/v2/tickets/${t.id}/tags`, {})).status).toBe(422);
    expect((await agent.api.get('/api/v2/tickets/99999999/tags')).status).toBe(404);
    const customer = await createCustomer(env, org);
    expect((await customer.api.get(`/api/v2/tickets/${t.id}/tags`)).status).toBe(403);
  });

  it('honours safe_update on tag changes', async () => {
    const agent = await createAgent(env);
    const t = await newTicket(agent.api, { tags: ['a'] });
    const res = await agent.api.put(`/api/v2/tickets/${t.id}/tags`, { tags: ['b'], safe_update: true, updated_stamp: '2000-01-01T00:00:00Z' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('UpdateConflict');
  });

  it('lists the most used tags with their counts', async () => {
    const agent = await createAgent(env);
    const hot = uniq('hot_');
    const cold = uniq('cold_');
    for (let i = 0; i < 3; i++) await newTicket(agent.api, { tags: [hot] });
    await newTicket(agent.api, { tags: [cold, hot] });
    const deleted = await newTicket(agent.api, { tags: [cold] });
    await agent.api.delete(`/api/v2/tickets/${deleted.id}`);
    const body = (await agent.api.get('/api/v2/tags.json')).body;
    const names = body.tags.map((t: { name: string }) => t.name);
    expect(body.tags.find((t: { name: string }) => t.name === hot)).toEqual({ name: hot, count: 4 });
    expect(body.tags.find((t: { name: string }) => t.name === cold)).toEqual({ name: cold, count: 1 });
    expect(names.indexOf(hot)).toBeLessThan(names.indexOf(cold));
    expect(body.count).toBe(body.tags.length);

    // Cursor pages (node-zendesk sends page[size]) walk the same ranking to the end.
    let next: string | null = '/api/v2/tags?page[size]=2';
    const walked: string[] = [];
    while (next) {
      const page: any = (await agent.api.get(next.replace(/^https?:\/\/[^/]+/, ''))).body;
      walked.push(...page.tags.map((t: { name: string }) => t.name));
      next = page.links.next;
    }
    expect(walked).toEqual(names);
  });
});

describe('ticket merge', () => {
  it('runs as a job: closes the sources with a comment, comments on the target, links them and copies requesters and CCs', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const [r1, r2, cc] = [`${uniq('r1')}@${org.domain}`, `${uniq('r2')}@${org.domain}`, `${uniq('cc')}@${org.domain}`];
    const target = await newTicket(agent.api, { subject: 'Target', requester: { email: r1 } });
    const s1 = await newTicket(agent.api, { subject: 'Source one', requester: { email: r2 }, email_ccs: [cc] });
    const s2 = await newTicket(agent.api, { subject: 'Source two', requester: { email: r1 }, status: 'pending' });
    const res = await agent.api.post(`/api/v2/tickets/${target.id}/merge.json`, { ids: [s1.id, s2.id], target_comment: 'Merged the duplicates', source_comment: 'Closing: see the other request', source_comment_is_public: true });
    expect(res.status).toBe(200);
    expect(res.body.job_status).toMatchObject({ status: 'queued', total: 3 });
    const job = await untilDone(agent.api, res.body.job_status.id);
    expect(job.status).toBe('completed');
    expect(job.results).toEqual([
      { index: 0, id: target.id, action: 'merge', success: true, status: 'Updated' },
      { index: 1, id: s1.id, action: 'merge', success: true, status: 'Merged' },
      { index: 2, id: s2.id, action: 'merge', success: true, status: 'Merged' },
    ]);

    for (const s of [s1, s2]) {
      expect((await agent.api.get(`/api/v2/tickets/${s.id}`)).body.ticket.status).toBe('closed');
      const comments = (await agent.api.get(`/api/v2/tickets/${s.id}/comments`)).body.comments;
      expect(comments[comments.length - 1]).toMatchObject({ body: 'Closing: see the other request', public: true });
      const close = await lastAudit(agent.api, s.id);
      expect(close.metadata.custom).toMatchObject({ merge: { target_ticket_id: target.id } });
      expect(close.events).toEqual([expect.objectContaining({ field_name: 'status', value: 'closed' })]);
    }
    const merged = (await agent.api.get(`/api/v2/tickets/${target.id}?include=users`)).body;
    // Requesters differ, so by default the target's comment is private; the sources' people become CCs.
    const comments = (await agent.api.get(`/api/v2/tickets/${target.id}/comments`)).body.comments;
    expect(comments[comments.length - 1]).toMatchObject({ body: 'Merged the duplicates', public: false });
    const ccEmails = merged.users.filter((u: { id: number }) => merged.ticket.collaborator_ids.includes(u.id)).map((u: { email: string }) => u.email);
    expect(ccEmails.sort()).toEqual([r2, cc].sort());
    const link = await lastAudit(agent.api, target.id);
    expect(link.events).toEqual([expect.objectContaining({ type: 'Change', field_name: 'merged_ticket_ids', value: [s1.id, s2.id].sort((a, b) => a - b), previous_value: [] })]);
    expect((await env.ctx.db.selectFrom('ticket_merges').select('source_ticket_id').where('target_ticket_id', '=', target.id).execute()).map((m) => m.source_ticket_id).sort()).toEqual([s1.id, s2.id].sort());
    // The public source comment reached that source's requester.
    await env.mail.waitFor((m) => m.to.includes(r2) && m.text.includes('Closing: see the other request'));
  });

  it('writes Zendesk’s default comments, public when the requesters are the same', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const email = `${uniq('same')}@${org.domain}`;
    const target = await newTicket(agent.api, { subject: 'Keep me', requester: { email } });
    const source = await newTicket(agent.api, { subject: 'Duplicate', requester: { email } });
    const job = await untilDone(agent.api, (await agent.api.post(`/api/v2/tickets/${target.id}/merge`, { ids: [source.id] })).body.job_status.id);
    expect(job.status).toBe('completed');
    const tc = (await agent.api.get(`/api/v2/tickets/${target.id}/comments`)).body.comments;
    expect(tc[tc.length - 1]).toMatchObject({ body: `Request #${source.id} "Duplicate" was closed and merged into this request.`, public: true });
    const sc = (await agent.api.get(`/api/v2/tickets/${source.id}/comments`)).body.comments;
    expect(sc[sc.length - 1]).toMatchObject({ body: `This request was closed and merged into request #${target.id} "Keep me".`, public: true });
  });

  it('fails the job, changing nothing, when the target cannot take the merge by the time it runs', async () => {
    const agent = await createAgent(env);
    const target = await newTicket(agent.api, { assignee_id: agent.user.id });
    const source = await newTicket(agent.api, {});
    const payload = await checkMerge(env.ctx.db, target.id, { ids: [source.id] });
    // The target is closed after the merge was accepted; the job row is run here, not by the queue.
    await agent.api.put(`/api/v2/tickets/${target.id}`, { ticket: { status: 'solved' } });
    await env.ctx.db.updateTable('tickets').set({ status: 'closed' }).where('id', '=', target.id).execute();
    const job = await insertJobStatus(env.ctx.db, { userId: agent.user.id, actorVia: 'api_token', jobType: 'merge_tickets', total: 2, payload });
    await runBulkJob(env.ctx, job.id);
    const shown = (await agent.api.get(`/api/v2/job_statuses/${job.id}`)).body.job_status;
    expect(shown).toMatchObject({ status: 'failed', progress: 1, message: 'Status: closed prevents ticket update' });
    expect(shown.results).toEqual([{ index: 0, id: target.id, action: 'merge', success: false, status: 'Failed', error: 'RecordInvalid', details: 'Status: closed prevents ticket update' }]);
    expect((await agent.api.get(`/api/v2/tickets/${source.id}`)).body.ticket.status).toBe('new');
    expect(await env.ctx.db.selectFrom('ticket_merges').select('source_ticket_id').where('source_ticket_id', '=', source.id).execute()).toEqual([]);
    // A late duplicate delivery of the job finds it ended and does nothing.
    await runBulkJob(env.ctx, job.id);
    expect((await agent.api.get(`/api/v2/job_statuses/${job.id}`)).body.job_status.results).toHaveLength(1);
  });

  it('refuses impossible merges before queueing', async () => {
    const agent = await createAgent(env);
    const a = await newTicket(agent.api, {});
    const b = await newTicket(agent.api, {});
    expect((await agent.api.post(`/api/v2/tickets/${a.id}/merge`, { ids: [a.id] })).status).toBe(422);
    expect((await agent.api.post(`/api/v2/tickets/${a.id}/merge`, { ids: [99999999] })).status).toBe(422);
    expect((await agent.api.post('/api/v2/tickets/99999999/merge', { ids: [b.id] })).status).toBe(404);
    expect((await agent.api.post(`/api/v2/tickets/${a.id}/merge`, { ids: [] })).status).toBe(422);
    await untilDone(agent.api, (await agent.api.post(`/api/v2/tickets/${a.id}/merge`, { ids: [b.id] })).body.job_status.id);
    // b is closed now: neither source nor target of another merge.
    const c = await newTicket(agent.api, {});
    expect((await agent.api.post(`/api/v2/tickets/${c.id}/merge`, { ids: [b.id] })).status).toBe(422);
    expect((await agent.api.post(`/api/v2/tickets/${b.id}/merge`, { ids: [c.id] })).status).toBe(422);
  });
});

describe('lookups and counts', () => {
  it('searches users by query (email or name) or external_id, in the offset shape', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const word = uniq('Quinn');
    const ext = uniq('crm-');
    const a = (await agent.api.post('/api/v2/users', { user: { name: `${word} Alpha`, email: `${uniq('qa')}@${org.domain}`, external_id: ext } })).body.user;
    const b = (await agent.api.post('/api/v2/users', { user: { name: `${word} Beta`, email: `${uniq('qb')}@${org.domain}` } })).body.user;

    const byEmail = (await agent.api.get(`/api/v2/users/search.json?query=${encodeURIComponent(b.email)}`)).body;
    expect(byEmail).toMatchObject({ count: 1, next_page: null, previous_page: null });
    expect(byEmail.users.map((u: { id: number }) => u.id)).toEqual([b.id]);

    const byName = (await agent.api.get(`/api/v2/users/search?query=${word}&per_page=1`)).body;
    expect(byName.count).toBe(2);
    expect(byName.users.map((u: { id: number }) => u.id)).toEqual([a.id]);
    expect(byName.next_page).toMatch(/^http:\/\/localhost:80\/api\/v2\/users\/search\?.*page=2/);
    const second = (await agent.api.get(byName.next_page.replace('http://localhost:80', ''))).body;
    expect(second.users.map((u: { id: number }) => u.id)).toEqual([b.id]);
    expect(second.next_page).toBeNull();

    expect((await agent.api.get(`/api/v2/users/search?external_id=${ext}`)).body.users.map((u: { id: number }) => u.id)).toEqual([a.id]);
    expect((await agent.api.get(`/api/v2/users/search?query=email:${encodeURIComponent(a.email)}`)).body.users.map((u: { id: number }) => u.id)).toEqual([a.id]);
    expect((await agent.api.get('/api/v2/users/search')).status).toBe(400);
    expect((await agent.api.get('/api/v2/users/search?query=bogus:1')).status).toBe(400);
  });

  it('autocompletes and searches organizations', async () => {
    const admin = await createAgent(env, { admin: true });
    const stem = uniq('Zephyr');
    const ext = uniq('org-ext-');
    const one = (await admin.api.post('/api/v2/organizations', { organization: { name: `${stem} Two`, external_id: ext } })).body.organization;
    const two = (await admin.api.post('/api/v2/organizations', { organization: { name: `${stem} One` } })).body.organization;
    await admin.api.post('/api/v2/organizations', { organization: { name: `Not ${stem}` } });

    const found = (await admin.api.get(`/api/v2/organizations/autocomplete.json?name=${stem.toLowerCase()}`)).body;
    expect(found).toMatchObject({ count: 2, next_page: null, previous_page: null });
    expect(found.organizations.map((o: { id: number }) => o.id)).toEqual([two.id, one.id]);
    const paged = (await admin.api.get(`/api/v2/organizations/autocomplete?name=${stem}&per_page=1`)).body;
    expect(paged.organizations.map((o: { id: number }) => o.id)).toEqual([two.id]);
    expect(paged.next_page).toContain('page=2');
    expect((await admin.api.get('/api/v2/organizations/autocomplete')).status).toBe(400);

    expect((await admin.api.get(`/api/v2/organizations/search?external_id=${ext}`)).body).toMatchObject({ count: 1, organizations: [expect.objectContaining({ id: one.id })] });
    expect((await admin.api.get(`/api/v2/organizations/search?name=${encodeURIComponent(`${stem} one`)}`)).body.organizations.map((o: { id: number }) => o.id)).toEqual([two.id]);
  });

  it('counts tickets, users and organizations as {count: {value, refreshed_at}}', async () => {
    const agent = await createAgent(env);
    const db = env.ctx.db;
    const n = async (table: 'tickets' | 'users' | 'organizations', live: boolean) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).$if(live, (q) => q.where('deleted_at', 'is', null)).executeTakeFirstOrThrow()).n);
    for (const [path, expected] of [
      ['/api/v2/tickets/count.json', await n('tickets', true)],
      ['/api/v2/users/count.json', await n('users', false)],
      ['/api/v2/organizations/count.json', await n('organizations', true)],
    ] as const) {
      const body = (await agent.api.get(path)).body;
      expect(body.count.value, path).toBe(expected);
      expect(body.count.refreshed_at, path).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const agents = Number((await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).where('role', '=', 'agent').executeTakeFirstOrThrow()).n);
    expect((await agent.api.get('/api/v2/users/count?role=agent')).body.count.value).toBe(agents);
  });
});

describe('ticket metrics', () => {
  it('computes Zendesk’s ticket_metric from the audits: reply, resolution and wait times on the calendar and in business hours', async () => {
    const org = await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' });
    const agent = await createAgent(env);
    const customer = await createCustomer(env, org);
    const t = await newTicket(agent.api, { subject: 'Measured', requester_id: customer.user.id });
    const steps: [Api, string, Record<string, unknown>][] = [
      [agent.api, 'ticket', { assignee_id: agent.user.id, comment: { body: 'First reply', public: true } }],
      [agent.api, 'ticket', { status: 'pending' }],
      [customer.api, 'request', { comment: { body: 'Here are the logs' } }],
      [agent.api, 'ticket', { status: 'hold' }],
      [agent.api, 'ticket', { status: 'solved' }],
      [customer.api, 'request', { comment: { body: 'Still broken' } }],
      [agent.api, 'ticket', { status: 'solved', comment: { body: 'Fixed for good', public: true } }],
    ];
    for (const [api, key, change] of steps) {
      const res = await api.put(`/api/v2/${key === 'ticket' ? 'tickets' : 'requests'}/${t.id}`, { [key]: change });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Put the history on a known timeline (business hours: Mon–Fri 09:00–17:00 UTC; 2024-03-04 is a Monday).
    const times = ['2024-03-04T08:00:00Z', '2024-03-04T10:30:00Z', '2024-03-04T11:00:00Z', '2024-03-04T15:00:00Z', '2024-03-04T16:00:00Z', '2024-03-05T10:00:00Z', '2024-03-05T11:00:00Z', '2024-03-05T12:00:00Z'];
    const audits = await env.ctx.db.selectFrom('ticket_audits').select('id').where('ticket_id', '=', t.id).orderBy('id').execute();
    expect(audits).toHaveLength(times.length);
    for (const [i, a] of audits.entries()) await env.ctx.db.updateTable('ticket_audits').set({ created_at: new Date(times[i]) }).where('id', '=', a.id).execute();
    await env.ctx.db.updateTable('tickets').set({ created_at: new Date(times[0]), solved_at: new Date(times[7]) }).where('id', '=', t.id).execute();

    const res = await agent.api.get(`/api/v2/tickets/${t.id}/metrics.json`);
    expect(res.status).toBe(200);
    const m = res.body.ticket_metric;
    expect(m).toMatchObject({
      id: t.id,
      ticket_id: t.id,
      url: `http://localhost:80/api/v2/ticket_metrics/${t.id}.json`,
      created_at: '2024-03-04T08:00:00Z',
      reply_time_in_minutes: { calendar: 150, business: 90 },
      reply_time_in_seconds: { calendar: 9000 },
      first_resolution_time_in_minutes: { calendar: 1560, business: 540 },
      full_resolution_time_in_minutes: { calendar: 1680, business: 660 },
      agent_wait_time_in_minutes: { calendar: 240, business: 240 },
      on_hold_time_in_minutes: { calendar: 1080, business: 120 },
      requester_wait_time_in_minutes: { calendar: 1380, business: 360 },
      reopens: 1,
      replies: 2,
      assignee_stations: 1,
      initially_assigned_at: '2024-03-04T10:30:00Z',
      assigned_at: '2024-03-04T10:30:00Z',
      status_updated_at: '2024-03-05T12:00:00Z',
      latest_comment_added_at: '2024-03-05T12:00:00Z',
      requester_updated_at: '2024-03-05T11:00:00Z',
      assignee_updated_at: '2024-03-05T12:00:00Z',
      solved_at: '2024-03-05T12:00:00Z',
      custom_status_updated_at: null,
    });
    expect(m.group_stations).toBe(1);

    // The same metric by its id, and in the list (cursor pages, as node-zendesk asks for them).
    expect((await agent.api.get(`/api/v2/ticket_metrics/${t.id}`)).body.ticket_metric).toEqual(m);
    const fresh = await newTicket(agent.api, {});
    const listed = (await agent.api.get(`/api/v2/ticket_metrics?page[size]=100`)).body;
    const byTicket = new Map(listed.ticket_metrics.map((x: { ticket_id: number }) => [x.ticket_id, x]));
    expect(byTicket.get(t.id)).toEqual(m);
    expect(byTicket.get(fresh.id)).toMatchObject({ reply_time_in_minutes: { calendar: null, business: null }, first_resolution_time_in_minutes: { calendar: null, business: null }, replies: 0, reopens: 0 });
    expect((await agent.api.get('/api/v2/tickets/99999999/metrics')).status).toBe(404);
  });
});

describe('node-zendesk 6, unchanged, on these endpoints', () => {
  it('tags, merge, user search, organization autocomplete and search, ticket metrics', async () => {
    const admin = await createAgent(env, { admin: true });
    const client = createClient({ username: admin.user.email, token: admin.token, endpointUri: `${env.url}/api/v2` });
    const { result: ticket } = await client.tickets.create({ ticket: { subject: 'ZD extras', comment: { body: 'x' }, tags: ['one'] } });
    // node-zendesk documents an array here, but sends a body only for an object: {tags: [...]} is what works (on Zendesk too).
    await client.tickets.addTags(ticket.id, { tags: ['two'] });
    await client.tickets.updateTags(ticket.id, { tags: ['three', 'two'] });
    expect((await client.tickets.show(ticket.id)).result.tags).toEqual(['three', 'two']);

    const { result: other } = await client.tickets.create({ ticket: { subject: 'ZD duplicate', comment: { body: 'y' } } });
    const merge = await client.tickets.merge(ticket.id, { ids: [other.id], target_comment: 'merged', source_comment: 'closed' });
    expect((await client.jobstatuses.watch(merge.result.job_status.id, 100, 5)).status).toBe('completed');
    expect((await client.tickets.show(other.id)).result.status).toBe('closed');

    const name = uniq('Searchable');
    const { result: user } = await client.users.create({ user: { name: `${name} Person`, email: `${uniq('zdu')}@example.test` } });
    const users = await client.users.search({ query: name });
    expect(users.map((u: { id: number }) => u.id)).toEqual([user.id]);

    const stem = uniq('Autoc');
    const { result: org } = await client.organizations.create({ organization: { name: `${stem} Ltd`, external_id: `${stem}-ext` } });
    expect((await client.organizations.autocomplete({ name: stem })).map((o: { id: number }) => o.id)).toEqual([org.id]);
    expect((await client.organizations.search(`${stem}-ext`)).map((o: { id: number }) => o.id)).toEqual([org.id]);

    const metric = await client.ticketmetrics.list(ticket.id);
    // The merge comment is the one public agent reply (the requester is the same on both, so it is public).
    expect(metric.result).toMatchObject({ ticket_id: ticket.id, replies: 1 });
    const all = await client.ticketmetrics.listAll();
    expect(all.map((x: { ticket_id: number }) => x.ticket_id)).toEqual(expect.arrayContaining([ticket.id, other.id]));
  });
});
