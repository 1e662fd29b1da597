import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
});
afterAll(() => env?.close());

/** Reads server-sent events from a live stream until `until` returns true or time runs out. */
async function readEvents(res: Response, until: (events: { event: string; data: any }[]) => boolean, timeoutMs = 10_000) {
  const reader = res.body!.getReader();
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(events) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()))]);
    if (chunk.done) break;
    buffer += new TextDecoder().decode(chunk.value);
    let idx;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel().catch(() => {});
  return events;
}

describe('agent workspace API', () => {
  it('lists built-in views with counts and their tickets, sorted as asked', async () => {
    const agent = await createAgent(env);
    const sales = await createAgent(env, { groups: ['sales'] });
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'premier' }));
    const f = await formsOf(customer.api);
    const tech = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent' }))).body.request;
    const low = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'low' }))).body.request;
    const billing = (await customer.api.post('/api/v2/requests', { request: { ticket_form_id: f.sales.id, subject: 'Invoice', comment: { body: 'x' }, custom_fields: [{ id: f.field.sales('Category').id, value: 'sales_pricing' }] } })).body.request;

    const views = (await agent.api.get('/api/v2/views')).body.views;
    expect(views.map((v: { title: string }) => v.title)).toEqual(['Unassigned new technical', 'My open', 'Pending', 'On hold', 'Billing Queue', 'All open', 'Recently solved', 'Breaching soon']);
    const unassigned = await agent.api.get('/api/v2/views/1/tickets?sort_by=priority&sort_order=desc&include=users,organizations');
    const ids = unassigned.body.tickets.map((t: { id: number }) => t.id);
    expect(ids.indexOf(tech.id)).toBeLessThan(ids.indexOf(low.id));
    expect(ids).not.toContain(billing.id);
    expect(unassigned.body.organizations[0].support_plan).toBe('premier');
    const queue = await agent.api.get('/api/v2/views/5/tickets');
    expect(queue.body.tickets.map((t: { id: number }) => t.id)).toContain(billing.id);

    await sales.api.put(`/api/v2/tickets/${billing.id}`, { ticket: { assignee_id: sales.user.id } });
    const counts = (await sales.api.get('/api/v2/views/count_many?ids=2,5')).body.view_counts;
    expect(counts.find((c: { view_id: number }) => c.view_id === 2).value).toBe(1);
    expect((await sales.api.get('/api/v2/views/5/tickets')).body.tickets.map((t: { id: number }) => t.id)).not.toContain(billing.id);
    expect((await customer.api.get('/api/v2/views')).status).toBe(403);
  });

  it('sends abilities with a ticket', async () => {
    const tech = await createAgent(env);
    const t = (await tech.api.post('/api/v2/tickets', { ticket: { subject: 'a', comment: { body: 'b' } } })).body.ticket;
    const res = await tech.api.get(`/api/v2/tickets/${t.id}?include=abilities`);
    expect(res.body.abilities).toMatchObject({ can_edit: true, can_take: true, can_solve: true, statuses: ['new', 'open', 'pending', 'hold', 'solved'] });
  });

  it('finds a customer\'s requests by words and by number', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const a = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'LDAP sync fails nightly' }))).body.request;
    await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Mobile push broken' }));
    const words = await customer.api.get('/api/v2/requests/search?query=ldap%20nightly');
    expect(words.body.requests.map((r: { id: number }) => r.id)).toEqual([a.id]);
    const byId = await customer.api.get(`/api/v2/requests/search?query=%23${a.id}`);
    expect(byId.body.requests.map((r: { id: number }) => r.id)).toEqual([a.id]);
    const other = await createCustomer(env, await createOrganization(env));
    expect((await other.api.get('/api/v2/requests/search?query=ldap')).body.requests).toEqual([]);
  });

  it('streams ticket changes and presence to agents with the ticket open', async () => {
    const one = await createAgent(env, { name: 'Ana Agent' });
    const two = await createAgent(env, { name: 'Bo Agent' });
    const t = (await one.api.post('/api/v2/tickets', { ticket: { subject: 'live', comment: { body: 'x' } } })).body.ticket;
    const open = (a: typeof one) => fetch(`${env.url}/api/v2/live/tickets/${t.id}`, { headers: { authorization: `Basic ${Buffer.from(`${a.user.email}/token:${a.token}`).toString('base64')}` } });
    const streamOne = await open(one);
    expect(streamOne.headers.get('content-type')).toMatch(/text\/event-stream/);
    const streamTwo = await open(two);
    setTimeout(() => void two.api.put(`/api/v2/tickets/${t.id}`, { ticket: { comment: { body: 'from Bo' } } }), 300);
    // The creation's own event may still reach a stream opened right after it: wait for Bo's change.
    const events = await readEvents(streamOne, (ev) => ev.some((e) => e.event === 'ticket' && e.data.author_id === two.user.id) && ev.some((e) => e.event === 'presence' && e.data.viewers.length === 2));
    const latest = await env.ctx.db.selectFrom('ticket_audits').select('created_at').where('ticket_id', '=', t.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(events.filter((e) => e.event === 'ticket').map((e) => e.data), JSON.stringify(events)).toContainEqual({ type: 'ticket', ticket_id: t.id, author_id: two.user.id, at: latest.created_at.toISOString() });
    expect(events.filter((e) => e.event === 'presence').pop()?.data.viewers.map((v: { name: string }) => v.name)).toEqual(['Ana Agent', 'Bo Agent']);
    await streamTwo.body?.cancel();
  });

  it('renames and retires category options without breaking old tickets', async () => {
    const admin = await createAgent(env, { admin: true });
    const customer = await createCustomer(env, await createOrganization(env));
    const f = await formsOf(customer.api);
    const category = f.field.technical('Category');
    const added = await admin.api.post(`/api/v2/ticket_fields/${category.id}/options`, { custom_field_option: { name: 'Playbooks', value: 'playbooks' } });
    expect(added.status).toBe(201);
    const optionId = added.body.custom_field_option.id;
    const req = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { custom_fields: [{ id: category.id, value: 'playbooks' }, { id: f.field.technical('Environment').id, value: 'production' }, { id: f.field.technical('Mattermost Version').id, value: '10.1' }] }));
    expect(req.status).toBe(201);
    const renamed = await admin.api.put(`/api/v2/ticket_fields/${category.id}/options/${optionId}`, { custom_field_option: { name: 'Collaboration Playbooks', active: false } });
    expect(renamed.body.custom_field_option).toMatchObject({ name: 'Collaboration Playbooks', value: 'playbooks', active: false });
    const again = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { custom_fields: [{ id: category.id, value: 'playbooks' }, { id: f.field.technical('Environment').id, value: 'production' }, { id: f.field.technical('Mattermost Version').id, value: '10.1' }] }));
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toMatch(/no longer offered/);
    const old = await admin.api.get(`/api/v2/tickets/${req.body.request.id}`);
    expect(old.body.ticket.custom_fields).toEqual(expect.arrayContaining([{ id: category.id, value: 'playbooks' }]));
    const edit = await admin.api.put(`/api/v2/tickets/${req.body.request.id}`, { ticket: { priority: 'low', custom_fields: [{ id: category.id, value: 'playbooks' }] } });
    expect(edit.status).toBe(200);
  });

  it('invites new staff by mail to set a password', async () => {
    const admin = await createAgent(env, { admin: true });
    const email = `invitee.${Date.now()}@sundial-staff.test`;
    expect((await admin.api.post('/api/v2/users', { user: { name: 'New Agent', email, role: 'agent' } })).status).toBe(201);
    const mail = await env.mail.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toMatch(/invited/);
    expect(mail.text).toMatch(/reset-password\?token=/);
  });
});
