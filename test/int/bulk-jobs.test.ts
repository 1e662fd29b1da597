import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createOrganization, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// node-zendesk, unmodified, over real HTTP: create_many and friends, polled with jobstatuses.watch.
const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
});
afterAll(() => env?.close());

interface JobStatus {
  id: string;
  url: string;
  status: string;
  total: number;
  progress: number | null;
  message: string | null;
  results: Record<string, unknown>[] | null;
}

/** Polls a job until it ends, remembering every status it showed on the way. */
async function untilDone(api: Api, id: string, timeoutMs = 30_000): Promise<{ job: JobStatus; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(`/api/v2/job_statuses/${id}.json`);
    expect(res.status).toBe(200);
    const job = res.body.job_status as JobStatus;
    if (seen[seen.length - 1] !== job.status) seen.push(job.status);
    if (['completed', 'failed', 'killed'].includes(job.status)) return { job, seen };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ticketItem = (domain: string, subject: string, extra: Record<string, unknown> = {}) => ({
  subject,
  comment: { body: `${subject}: created in bulk` },
  priority: 'normal',
  requester: { email: `${uniq('bulk')}@${domain}`, name: 'Bulk Requester' },
  ...extra,
});

describe('tickets/create_many', () => {
  it('answers at once with a queued job, then creates each ticket through the ticket service; one invalid item fails alone', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const items = [ticketItem(org.domain, 'Bulk one'), { subject: 'No description', priority: 'high' }, ticketItem(org.domain, 'Bulk three', { tags: ['imported'] })];
    const res = await agent.api.post('/api/v2/tickets/create_many.json', { tickets: items });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.job_status).toMatchObject({ status: 'queued', total: 3, progress: null, results: null, message: null });
    // Absolute, on the base URL the client used (in-process requests arrive as localhost:80).
    expect(res.body.job_status.url).toBe(`http://localhost:80/api/v2/job_statuses/${res.body.job_status.id}.json`);

    const { job, seen } = await untilDone(agent.api, res.body.job_status.id);
    expect(seen[seen.length - 1]).toBe('completed');
    expect(['queued', 'working', 'completed']).toEqual(expect.arrayContaining(seen));
    expect(job).toMatchObject({ total: 3, progress: 3 });
    expect(job.message).toMatch(/^Completed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/);
    const [first, bad, third] = job.results!;
    expect(first).toMatchObject({ index: 0, action: 'create', success: true, status: 'Created' });
    expect(bad).toMatchObject({ index: 1, action: 'create', success: false, status: 'Failed', error: 'RecordInvalid' });
    expect(bad.details).toMatch(/Comment: cannot be blank/);
    expect(third).toMatchObject({ index: 2, success: true, status: 'Created' });

    // Real tickets, with the audit, tags and requester mail the one-ticket API gives.
    const ticket = (await agent.api.get(`/api/v2/tickets/${third.id}`)).body.ticket;
    expect(ticket).toMatchObject({ subject: 'Bulk three', tags: ['imported'], via: { channel: 'api' }, submitter_id: agent.user.id });
    const audits = (await agent.api.get(`/api/v2/tickets/${first.id}/audits`)).body.audits;
    expect(audits).toHaveLength(1);
    expect(audits[0].events.map((e: { type: string }) => e.type)).toContain('Comment');
    const requester = (await agent.api.get(`/api/v2/users/${ticket.requester_id}`)).body.user;
    await env.mail.waitFor((m) => m.to.includes(requester.email) && m.subject.includes(`#${third.id}`));
  });

  it('refuses more than 100 tickets, or none, before queueing anything', async () => {
    const agent = await createAgent(env);
    const many = Array.from({ length: 101 }, (_, i) => ({ subject: `t${i}`, comment: { body: 'x' } }));
    expect((await agent.api.post('/api/v2/tickets/create_many', { tickets: many })).status).toBe(422);
    expect((await agent.api.post('/api/v2/tickets/create_many', { tickets: [] })).status).toBe(422);
    expect((await agent.api.post('/api/v2/tickets/create_many', { ticket: {} })).status).toBe(422);
  });
});

describe('tickets/update_many', () => {
  const make = async (api: Api, domain: string, n: number, extra: Record<string, unknown> = {}) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push((await api.post('/api/v2/tickets', { ticket: ticketItem(domain, `Update me ${i}`, extra) })).body.ticket.id);
    return ids;
  };

  it('applies one change to every listed ticket (?ids=), with additional_tags and remove_tags on each ticket’s own tags', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const [a, b] = await make(agent.api, org.domain, 2, { tags: ['old', 'keep'] });
    await agent.api.put(`/api/v2/tickets/${b}`, { ticket: { tags: ['old', 'other'] } });
    const res = await agent.api.put(`/api/v2/tickets/update_many.json?ids=${a},${b},99999999`, {
      ticket: { assignee_id: agent.user.id, status: 'pending', additional_tags: ['bulk'], remove_tags: ['old'], comment: { body: 'Bulk note', public: false } },
    });
    expect(res.status).toBe(200);
    expect(res.body.job_status).toMatchObject({ status: 'queued', total: 3 });
    const { job } = await untilDone(agent.api, res.body.job_status.id);
    expect(job.status).toBe('completed');
    expect(job.results).toEqual([
      { id: a, action: 'update', success: true, status: 'Updated' },
      { id: b, action: 'update', success: true, status: 'Updated' },
      expect.objectContaining({ id: 99999999, action: 'update', success: false, error: 'RecordNotFound' }),
    ]);
    const ta = (await agent.api.get(`/api/v2/tickets/${a}`)).body.ticket;
    const tb = (await agent.api.get(`/api/v2/tickets/${b}`)).body.ticket;
    expect(ta).toMatchObject({ status: 'pending', assignee_id: agent.user.id, tags: ['keep', 'bulk'] });
    expect(tb).toMatchObject({ status: 'pending', tags: ['other', 'bulk'] });
    const audits = (await agent.api.get(`/api/v2/tickets/${a}/audits`)).body.audits;
    const last = audits[audits.length - 1];
    expect(last.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Change', field_name: 'status', value: 'pending' }), expect.objectContaining({ type: 'Comment', body: 'Bulk note', public: false })]));
  });

  it('refuses a malformed shared change at once', async () => {
    const agent = await createAgent(env);
    const res = await agent.api.put('/api/v2/tickets/update_many?ids=1,2', { ticket: { status: 'sideways' } });
    expect(res.status).toBe(422);
    expect(res.body.details.status).toBeDefined();
    expect((await agent.api.put('/api/v2/tickets/update_many?ids=', { ticket: { status: 'open' } })).status).toBe(400);
  });

  it('applies a change per ticket ({tickets: [{id, ...}]}); the service’s rules fail single items', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const [a, b, c] = await make(agent.api, org.domain, 3);
    const stale = (await agent.api.get(`/api/v2/tickets/${c}`)).body.ticket.updated_at;
    await new Promise((r) => setTimeout(r, 1100));
    await agent.api.put(`/api/v2/tickets/${c}`, { ticket: { priority: 'low' } });
    const res = await agent.api.put('/api/v2/tickets/update_many.json', {
      tickets: [
        { id: a, priority: 'urgent', subject: 'Now urgent' },
        { id: b, status: 'solved' },
        { subject: 'no id' },
        { id: c, priority: 'high', safe_update: true, updated_stamp: stale },
      ],
    });
    const { job } = await untilDone(agent.api, res.body.job_status.id);
    expect(job.status).toBe('completed');
    expect(job.results![0]).toEqual({ id: a, action: 'update', success: true, status: 'Updated' });
    expect(job.results![1]).toMatchObject({ index: 1, id: b, success: false, error: 'RecordInvalid' });
    expect(job.results![1].details).toMatch(/Assignee: is required when solving/);
    expect(job.results![2]).toMatchObject({ index: 2, success: false, error: 'RecordInvalid' });
    expect(job.results![3]).toMatchObject({ index: 3, id: c, success: false, error: 'UpdateConflict' });
    expect((await agent.api.get(`/api/v2/tickets/${a}`)).body.ticket).toMatchObject({ priority: 'urgent', subject: 'Now urgent' });
    expect((await agent.api.get(`/api/v2/tickets/${b}`)).body.ticket.status).toBe('new');
    expect((await agent.api.get(`/api/v2/tickets/${c}`)).body.ticket.priority).toBe('low');
  });
});

describe('tickets/destroy_many', () => {
  it('soft-deletes each ticket with an audit; unknown ids fail alone', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const ids: number[] = [];
    for (const s of ['gone 1', 'gone 2']) ids.push((await agent.api.post('/api/v2/tickets', { ticket: ticketItem(org.domain, s) })).body.ticket.id);
    const res = await agent.api.delete(`/api/v2/tickets/destroy_many.json?ids=${ids.join(',')},88888888`);
    expect(res.status).toBe(200);
    const { job } = await untilDone(agent.api, res.body.job_status.id);
    expect(job.results).toEqual([
      { id: ids[0], action: 'delete', success: true, status: 'Deleted' },
      { id: ids[1], action: 'delete', success: true, status: 'Deleted' },
      expect.objectContaining({ id: 88888888, action: 'delete', success: false, error: 'RecordNotFound' }),
    ]);
    for (const id of ids) expect((await agent.api.get(`/api/v2/tickets/${id}`)).status).toBe(404);
    const audit = await env.ctx.db.selectFrom('ticket_audit_events').innerJoin('ticket_audits', 'ticket_audits.id', 'ticket_audit_events.audit_id').select(['ticket_audit_events.value']).where('ticket_audits.ticket_id', '=', ids[0]).where('ticket_audit_events.field_name', '=', 'status').orderBy('ticket_audit_events.id', 'desc').executeTakeFirstOrThrow();
    expect(audit.value).toBe('deleted');
    expect((await agent.api.delete('/api/v2/tickets/destroy_many')).status).toBe(400);
  });
});

describe('users/create_many', () => {
  it('creates each user through the user service; duplicates, bad data and forbidden roles fail alone', async () => {
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const email = `${uniq('person')}@${org.domain}`;
    const res = await agent.api.post('/api/v2/users/create_many.json', {
      users: [
        { name: 'Ada Bulk', email, external_id: uniq('ext') },
        { name: 'Ada Again', email: email.toUpperCase() },
        { name: '', email: 'not-an-email' },
        { name: 'Would Be Agent', email: `${uniq('staff')}@${org.domain}`, role: 'agent' },
      ],
    });
    expect(res.status).toBe(200);
    const { job } = await untilDone(agent.api, res.body.job_status.id);
    expect(job.status).toBe('completed');
    const [ok, dup, bad, forbidden] = job.results!;
    expect(ok).toMatchObject({ index: 0, action: 'create', success: true, status: 'Created' });
    expect(dup).toMatchObject({ index: 1, success: false, error: 'RecordInvalid' });
    expect(dup.details).toMatch(/is already being used by another user/);
    expect(bad).toMatchObject({ index: 2, success: false, error: 'RecordInvalid' });
    expect(forbidden).toMatchObject({ index: 3, success: false, error: 'Forbidden' });
    const user = (await agent.api.get(`/api/v2/users/${ok.id}`)).body.user;
    expect(user).toMatchObject({ name: 'Ada Bulk', email, role: 'end-user', organization_id: org.id });
  });

  it('never stores a password in a queued job', async () => {
    const admin = await createAgent(env, { admin: true });
    const res = await admin.api.post('/api/v2/users/create_many', { users: [{ name: 'P', email: `${uniq('p')}@example.test`, password: 'correct horse battery' }] });
    expect(res.status).toBe(422);
    expect(await env.ctx.db.selectFrom('job_statuses').select('id').where('user_id', '=', admin.user.id).execute()).toHaveLength(0);
  });
});

describe('job statuses', () => {
  it('are visible to their creator and admins only; others get 404', async () => {
    const owner = await createAgent(env);
    const other = await createAgent(env);
    const admin = await createAgent(env, { admin: true });
    const org = await createOrganization(env);
    const job = (await owner.api.post('/api/v2/tickets/create_many', { tickets: [ticketItem(org.domain, 'Private job')] })).body.job_status;
    await untilDone(owner.api, job.id);
    expect((await other.api.get(`/api/v2/job_statuses/${job.id}`)).status).toBe(404);
    expect((await other.api.get(`/api/v2/job_statuses/show_many?ids=${job.id}`)).body.job_statuses).toEqual([]);
    expect((await other.api.get('/api/v2/job_statuses')).body.job_statuses.map((j: JobStatus) => j.id)).not.toContain(job.id);
    expect((await admin.api.get(`/api/v2/job_statuses/${job.id}`)).body.job_status.status).toBe('completed');
    expect((await owner.api.get('/api/v2/job_statuses/does-not-exist')).status).toBe(404);

    const second = (await owner.api.delete('/api/v2/tickets/destroy_many?ids=77777777')).body.job_status;
    await untilDone(owner.api, second.id);
    const many = (await owner.api.get(`/api/v2/job_statuses/show_many.json?ids=${job.id},${second.id}`)).body.job_statuses;
    expect(many.map((j: JobStatus) => j.id)).toEqual([job.id, second.id]);
    const list = (await owner.api.get('/api/v2/job_statuses.json')).body;
    expect(list.job_statuses.map((j: JobStatus) => j.id)).toEqual([second.id, job.id]);
    expect(list).toMatchObject({ count: 2, next_page: null, previous_page: null });
  });
});

describe('a job survives its node', () => {
  it('is picked up by another node after the node that accepted it stops, and resumes after the items already done', async () => {
    const nodeA = await startTestApp({}, { workers: false });
    let nodeB: TestEnv | null = null;
    let aClosed = false;
    try {
      const agent = await createAgent(nodeA);
      const org = await createOrganization(nodeA);
      const subjects = [uniq('Survivor A '), uniq('Survivor B '), uniq('Survivor C ')];
      const res = await agent.api.post('/api/v2/tickets/create_many', { tickets: subjects.map((s) => ticketItem(org.domain, s)) });
      const id = res.body.job_status.id as string;
      // Pretend node A started the job and finished item 0 before it went down: the ticket exists and
      // its result is recorded, exactly as a run that stopped after item 0 leaves it.
      const done = (await agent.api.post('/api/v2/tickets', { ticket: ticketItem(org.domain, subjects[0]) })).body.ticket.id;
      await nodeA.ctx.db.updateTable('job_statuses').set({ status: 'working', attempts: 1 }).where('id', '=', id).execute();
      await nodeA.ctx.db.insertInto('job_status_results').values({ job_status_id: id, index: 0, result: JSON.stringify({ index: 0, id: done, action: 'create', success: true, status: 'Created' }) }).execute();
      await new Promise((r) => setTimeout(r, 1000));
      expect((await agent.api.get(`/api/v2/job_statuses/${id}`)).body.job_status).toMatchObject({ status: 'working', progress: 1 });
      const databaseUrl = nodeA.databaseUrl;
      await nodeA.close();
      aClosed = true;

      nodeB = await startTestApp({}, { databaseUrl });
      const onB = Api.basicToken(nodeB.app, agent.user.email, agent.token);
      const { job } = await untilDone(onB, id);
      expect(job.status).toBe('completed');
      expect(job.results!.map((r) => r.status)).toEqual(['Created', 'Created', 'Created']);
      expect(job.results![0].id).toBe(done);
      for (const subject of subjects) {
        const rows = await nodeB.ctx.db.selectFrom('tickets').select('id').where('subject', '=', subject).execute();
        expect(rows, subject).toHaveLength(1);
      }
    } finally {
      await nodeB?.close();
      if (!aClosed) await nodeA.close();
    }
  });
});

describe('node-zendesk 6, unchanged, runs bulk jobs', () => {
  it('createMany, updateMany, deleteMany and users.createMany, each watched to completion with jobstatuses.watch', async () => {
    const admin = await createAgent(env, { admin: true });
    const org = await createOrganization(env);
    const client = createClient({ username: admin.user.email, token: admin.token, endpointUri: `${env.url}/api/v2` });

    const created = await client.tickets.createMany({ tickets: [ticketItem(org.domain, 'ZD bulk 1'), ticketItem(org.domain, 'ZD bulk 2')] });
    const queued = created.result.job_status;
    expect(queued).toMatchObject({ status: 'queued', total: 2 });
    expect(queued.url.startsWith(`${env.url}/api/v2/job_statuses/`)).toBe(true);
    const done = await client.jobstatuses.watch(queued.id, 100, 5);
    expect(done.status).toBe('completed');
    const ids = done.results.map((r: { id: number }) => r.id);
    expect(ids).toHaveLength(2);

    const updated = await client.tickets.updateMany(ids, { ticket: { priority: 'high', additional_tags: ['from_zd'] } });
    expect((await client.jobstatuses.watch(updated.result.job_status.id, 100, 5)).results.every((r: { success: boolean }) => r.success)).toBe(true);
    const shown = await client.tickets.showMany(ids);
    expect(shown.result.map((t: { priority: string; tags: string[] }) => [t.priority, t.tags.includes('from_zd')])).toEqual([
      ['high', true],
      ['high', true],
    ]);

    const users = await client.users.createMany({ users: [{ name: 'ZD Person', email: `${uniq('zd')}@${org.domain}` }] });
    const userJob = await client.jobstatuses.watch(users.result.job_status.id, 100, 5);
    expect(userJob.results[0]).toMatchObject({ success: true, status: 'Created' });

    const deleted = await client.tickets.deleteMany(ids);
    const deleteJob = await client.jobstatuses.watch(deleted.result.job_status.id, 100, 5);
    expect(deleteJob.results.map((r: { status: string }) => r.status)).toEqual(['Deleted', 'Deleted']);

    const shownJob = await client.jobstatuses.show(deleteJob.id);
    expect(shownJob.result.job_status.status).toBe('completed');
    const listed = await client.jobstatuses.list();
    expect(listed.result.job_statuses.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([queued.id, deleteJob.id]));
  });
});
