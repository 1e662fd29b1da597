import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({ AUTO_CLOSE_AFTER: '1s' });
});
afterAll(() => env?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('technical support workflow', () => {
  it('routes to Technical Support, opens on assignment, never returns to new, needs an assignee to solve', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const agent = await createAgent(env);
    const created = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body.request;
    const t0 = (await agent.api.get(`/api/v2/tickets/${created.id}?include=groups`)).body;
    expect(t0.ticket.status).toBe('new');
    expect(t0.groups[0].name).toBe('Technical Support');

    const solveEarly = await agent.api.put(`/api/v2/tickets/${created.id}`, { ticket: { status: 'solved' } });
    expect(solveEarly.status).toBe(422);
    expect(solveEarly.body.details.base[0]).toMatchObject({ description: 'Assignee: is required when solving a ticket', ticket_field_type: 'FieldAssignee' });

    const assigned = await agent.api.put(`/api/v2/tickets/${created.id}`, { ticket: { assignee_id: agent.user.id } });
    expect(assigned.body.ticket.status).toBe('open');
    const backToNew = await agent.api.put(`/api/v2/tickets/${created.id}`, { ticket: { status: 'new' } });
    expect(backToNew.status).toBe(422);

    // On-hold is internal: the customer sees Open; a customer comment reopens it.
    const held = await agent.api.put(`/api/v2/tickets/${created.id}`, { ticket: { status: 'hold', comment: { body: 'Escalated to engineering', public: false } } });
    expect(held.body.ticket.status).toBe('hold');
    expect((await customer.api.get(`/api/v2/requests/${created.id}`)).body.request.status).toBe('open');
    const nudge = await customer.api.put(`/api/v2/requests/${created.id}`, { request: { comment: { body: 'Any news?' } } });
    expect(nudge.status).toBe(200);
    expect((await agent.api.get(`/api/v2/tickets/${created.id}`)).body.ticket.status).toBe('open');

    // "This solved my problem" by the requester.
    const mine = (await customer.api.get(`/api/v2/requests/${created.id}`)).body.request;
    expect(mine.can_be_solved_by_me).toBe(true);
    const solved = await customer.api.put(`/api/v2/requests/${created.id}`, { request: { solved: true } });
    expect(solved.body.request.status).toBe('solved');
  });

  it('records every change as an audit event with its previous value', async () => {
    const agent = await createAgent(env);
    const created = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Audit me', comment: { body: 'first' }, priority: 'low' } });
    const id = created.body.ticket.id;
    expect(created.body.audit.events.find((e: { field_name: string }) => e.field_name === 'priority')).toMatchObject({ type: 'Create', value: 'low' });
    await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { priority: 'urgent', subject: 'Audit me harder', tags: ['vip'], do_not_close: true } });
    const audits = (await agent.api.get(`/api/v2/tickets/${id}/audits.json`)).body.audits;
    const events = audits[1].events;
    expect(audits[1].author_id).toBe(agent.user.id);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Change', field_name: 'priority', previous_value: 'low', value: 'urgent' }),
        expect.objectContaining({ type: 'Change', field_name: 'subject', previous_value: 'Audit me', value: 'Audit me harder' }),
        expect.objectContaining({ type: 'Change', field_name: 'tags', previous_value: [], value: ['vip'] }),
        expect.objectContaining({ type: 'Change', field_name: 'do_not_close', previous_value: false, value: true }),
      ]),
    );
    const priorityReset = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { priority: null } });
    expect(priorityReset.status).toBe(422);
  });

  it('keeps a solved ticket open for business while "do not close" is set', async () => {
    const agent = await createAgent(env);
    const t = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Keep me', comment: { body: 'x' }, assignee_id: agent.user.id, do_not_close: true } })).body.ticket;
    await agent.api.put(`/api/v2/tickets/${t.id}`, { ticket: { status: 'solved' } });
    await sleep(3000);
    expect((await agent.api.get(`/api/v2/tickets/${t.id}`)).body.ticket.status).toBe('solved');
  });
});

describe('sales support workflow', () => {
  it('waits New in the Billing Queue, notifies the Sales group, and opens when a Sales agent takes it', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'professional' }));
    const sales = await createAgent(env, { groups: ['sales'] });
    const techOnly = await createAgent(env);
    const f = await formsOf(customer.api);
    const res = await customer.api.post('/api/v2/requests', {
      request: { ticket_form_id: f.sales.id, subject: 'Renewal quote for 500 seats', comment: { body: 'Please send a renewal quote.' }, custom_fields: [{ id: f.field.sales('Category').id, value: 'sales_renewals' }] },
    });
    expect(res.status).toBe(201);
    const id = res.body.request.id;
    const ticket = (await sales.api.get(`/api/v2/tickets/${id}?include=groups`)).body;
    expect(ticket.ticket).toMatchObject({ status: 'new', priority: 'normal', assignee_id: null });
    expect(ticket.groups[0].name).toBe('Sales');
    await env.mail.waitFor((m) => m.to.includes(sales.user.email) && m.subject.includes('[Billing Queue]'));
    expect(env.mail.to(techOnly.user.email).some((m) => m.subject.includes(`#${id}`))).toBe(false);

    // Only members of the Sales group can take it.
    const wrongAgent = await techOnly.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: techOnly.user.id } });
    expect(wrongAgent.status).toBe(422);
    const taken = await sales.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: sales.user.id } });
    expect(taken.body.ticket).toMatchObject({ status: 'open', assignee_id: sales.user.id });
  });

  it('does not take a priority from the sales form', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const f = await formsOf(customer.api);
    const res = await customer.api.post('/api/v2/requests', {
      request: { ticket_form_id: f.sales.id, subject: 'Card declined', priority: 'urgent', comment: { body: 'My card was declined.' }, custom_fields: [{ id: f.field.sales('Category').id, value: 'sales_credit_card_issues' }] },
    });
    expect(res.status).toBe(201);
    expect(res.body.request.priority).toBe('normal');
  });
});

describe('concurrent writers', () => {
  it('refuses a stale safe update with 409 UpdateConflict and changes nothing', async () => {
    const agent = await createAgent(env);
    const t = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Race', comment: { body: 'x' } } })).body.ticket;
    const first = await agent.api.put(`/api/v2/tickets/${t.id}`, { ticket: { priority: 'high', safe_update: true, updated_stamp: t.updated_at } });
    expect(first.status).toBe(200);
    // Same second, same stamp: the stamp moved on, so the second writer is told.
    expect(first.body.ticket.updated_at).not.toBe(t.updated_at);
    const stale = await agent.api.put(`/api/v2/tickets/${t.id}`, { ticket: { priority: 'low', safe_update: true, updated_stamp: t.updated_at } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('UpdateConflict');
    expect((await agent.api.get(`/api/v2/tickets/${t.id}`)).body.ticket.priority).toBe('high');
  });

  it('loses no comment or change when many agents write at once', async () => {
    const agents = await Promise.all([createAgent(env), createAgent(env), createAgent(env)]);
    const t = (await agents[0].api.post('/api/v2/tickets', { ticket: { subject: 'Busy', comment: { body: 'x' } } })).body.ticket;
    const writes = Array.from({ length: 24 }, (_, i) => agents[i % 3].api.put(`/api/v2/tickets/${t.id}`, { ticket: { comment: { body: `note ${i}`, public: i % 2 === 0 }, status: i % 2 ? 'open' : 'pending' } }));
    const results = await Promise.all(writes);
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
    const comments = (await agents[0].api.get(`/api/v2/tickets/${t.id}/comments`)).body.comments;
    expect(comments.map((c: { body: string }) => c.body).sort()).toEqual(['x', ...Array.from({ length: 24 }, (_, i) => `note ${i}`)].sort());
    const audits = (await agents[0].api.get(`/api/v2/tickets/${t.id}/audits`)).body.audits;
    expect(audits).toHaveLength(25);
    // Each status change names the status the writer actually found: the history is a chain.
    let status = 'new';
    for (const audit of audits.slice(1)) {
      const change = audit.events.find((e: { field_name: string }) => e.field_name === 'status');
      if (!change) continue;
      expect(change.previous_value).toBe(status);
      status = change.value;
    }
    expect((await agents[0].api.get(`/api/v2/tickets/${t.id}`)).body.ticket.status).toBe(status);
  });
});

describe('who sees what', () => {
  it('lets CCs and sharing organizations see requests, and comment only where allowed', async () => {
    const shared = await createOrganization(env, { sharedTickets: true, sharedComments: false });
    const requester = await createCustomer(env, shared);
    const colleague = await createCustomer(env, shared);
    const outsiderOrg = await createOrganization(env);
    const cc = await createCustomer(env, outsiderOrg);
    const res = await requester.api.post('/api/v2/requests', await technicalRequest(requester.api, { email_ccs: [cc.user.email] }));
    const id = res.body.request.id;

    const ccd = await cc.api.get('/api/v2/requests/ccd');
    expect(ccd.body.requests.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await cc.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'CC here' } } })).status).toBe(200);

    const orgList = await colleague.api.get('/api/v2/requests/organization');
    expect(orgList.body.requests.map((r: { id: number }) => r.id)).toContain(id);
    expect((await colleague.api.get(`/api/v2/requests/${id}`)).status).toBe(200);
    const colleagueComment = await colleague.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'me too' } } });
    expect(colleagueComment.status).toBe(403);
    expect((await colleague.api.get('/api/v2/requests')).body.requests).toEqual([]);

    await env.ctx.db.updateTable('organizations').set({ shared_comments: true }).where('id', '=', shared.id).execute();
    expect((await colleague.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'me too' } } })).status).toBe(200);

    // A member of a non-sharing organization sees only their own.
    const private_ = await createOrganization(env);
    const a = await createCustomer(env, private_);
    const b = await createCustomer(env, private_);
    const own = (await a.api.post('/api/v2/requests', await technicalRequest(a.api))).body.request.id;
    expect((await b.api.get(`/api/v2/requests/${own}`)).status).toBe(404);
    expect((await b.api.get('/api/v2/requests/organization')).body.requests).toEqual([]);
  });
});
