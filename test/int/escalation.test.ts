import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const SECRET = 'a-very-secret-github-hook';
const ISSUES_SECRET = 'another-secret-for-issues';
let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({ GITHUB_WEBHOOK_SECRET: SECRET, ISSUES_WEBHOOK_SECRET: ISSUES_SECRET });
});
afterAll(() => env?.close());

const github = (event: string, payload: object, secret = SECRET) => {
  const body = JSON.stringify(payload);
  return env.app.inject({
    method: 'POST',
    url: '/api/v2/integrations/github/webhook',
    payload: body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
  });
};

describe('escalation to Sustained Engineering', () => {
  it('puts the ticket on hold, updates the customer at every stage, and closes the loop from GitHub', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'enterprise' }));
    const agent = await createAgent(env);
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body;
    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id } });

    const escalated = await agent.api.post(`/api/v2/tickets/${request.id}/escalations.json`, { escalation: { classification: 'bug', summary: 'Push proxy drops iOS tokens after upgrade' } });
    expect(escalated.status).toBe(201);
    const id = escalated.body.escalation.id;
    expect(escalated.body.escalation).toMatchObject({ stage: 'escalated', open: true, teams: ['support', 'sustained_engineering'] });
    expect((await agent.api.get(`/api/v2/tickets/${request.id}`)).body.ticket.status).toBe('hold');
    expect((await customer.api.get(`/api/v2/requests/${request.id}`)).body.request.status).toBe('open');
    const again = await agent.api.post(`/api/v2/tickets/${request.id}/escalations`, { escalation: { classification: 'bug', summary: 'twice' } });
    expect(again.status).toBe(422);

    // Solving while the escalation is open needs a reason, which the audit keeps.
    const blocked = await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { status: 'solved' } });
    expect(blocked.status).toBe(422);
    expect(blocked.body.details.status[0].description).toMatch(/escalation #\d+ to Sustained Engineering is still open/);

    await agent.api.put(`/api/v2/escalations/${id}`, { escalation: { stage: 'confirmed_product_issue', teams: ['support', 'sustained_engineering', 'product'] } });
    const linked = await agent.api.post(`/api/v2/escalations/${id}/links`, { link: { url: 'https://github.com/mattermost/mattermost/pull/28731' } });
    expect(linked.body.escalation.links).toEqual([expect.objectContaining({ kind: 'pull_request' })]);
    await agent.api.post(`/api/v2/escalations/${id}/links`, { link: { url: 'https://mattermost.atlassian.net/browse/MM-61234' } });

    // GitHub: bad signature → 401 and nothing moves; PR opened/merged and a release move the stages.
    expect((await github('pull_request', { action: 'opened', repository: { full_name: 'mattermost/mattermost' }, pull_request: { number: 28731, merged: false } }, 'wrong-secret-wrong-secret')).statusCode).toBe(401);
    expect((await env.app.inject({ method: 'POST', url: '/api/v2/integrations/github/webhook', payload: '{}', headers: { 'content-type': 'application/json' } })).statusCode).toBe(401);
    expect((await agent.api.get(`/api/v2/escalations/${id}`)).body.escalation.stage).toBe('confirmed_product_issue');
    expect((await github('pull_request', { action: 'opened', repository: { full_name: 'Mattermost/mattermost' }, pull_request: { number: 28731, merged: false } })).json()).toEqual({ moved: 1 });
    const merged = { action: 'closed', repository: { full_name: 'mattermost/mattermost' }, pull_request: { number: 28731, merged: true } };
    expect((await github('pull_request', merged)).json()).toEqual({ moved: 1 });
    expect((await github('pull_request', merged)).json()).toEqual({ moved: 0 }); // a replayed delivery changes nothing
    const release = await github('release', { action: 'published', repository: { full_name: 'mattermost/mattermost' }, release: { tag_name: 'v10.2.1', body: '### Bug fixes\n- Fixed iOS push tokens being dropped (#28731)' } });
    expect(release.json()).toEqual({ moved: 1 });
    const done = (await agent.api.get(`/api/v2/escalations/${id}`)).body.escalation;
    expect(done).toMatchObject({ stage: 'fix_in_production', fix_version: '10.2.1', open: false });
    expect(done.stage_history.map((h: { stage: string; via: string; changed_by: number }) => [h.stage, h.via, h.changed_by])).toEqual([
      ['escalated', 'api', agent.user.id],
      ['confirmed_product_issue', 'api', agent.user.id],
      ['action_plan_created', 'github', agent.user.id],
      ['action_plan_executed', 'github', agent.user.id],
      ['fix_in_production', 'github', agent.user.id],
    ]);
    expect(done.stage_history[4].fix_version).toBe('10.2.1');

    // The customer saw one update per step, public, in order.
    const bodies = (await customer.api.get(`/api/v2/requests/${request.id}/comments`)).body.comments.map((c: { body: string }) => c.body);
    expect(bodies.slice(1)).toEqual([
      expect.stringMatching(/escalated your request to our Sustained Engineering Team/),
      expect.stringMatching(/confirmed that this is a product issue/),
      expect.stringMatching(/action plan/),
      expect.stringMatching(/tested internally/),
      expect.stringMatching(/released in Mattermost 10\.2\.1/),
    ]);
    expect((await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { status: 'solved' } })).status).toBe(200);
  });

  it('lets an agent override the open-escalation guard with a reason, and refuses stages going backwards', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const agent = await createAgent(env);
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body;
    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id } });
    const { escalation } = (await agent.api.post(`/api/v2/tickets/${request.id}/escalations`, { escalation: { classification: 'configuration', summary: 'LDAP filter', customer_update: 'Our engineers are reviewing your LDAP filter.' } })).body;
    expect((await customer.api.get(`/api/v2/requests/${request.id}/comments`)).body.comments.pop().body).toBe('Our engineers are reviewing your LDAP filter.');
    await agent.api.put(`/api/v2/escalations/${escalation.id}`, { escalation: { stage: 'action_plan_created' } });
    expect((await agent.api.put(`/api/v2/escalations/${escalation.id}`, { escalation: { stage: 'confirmed_product_issue' } })).status).toBe(422);
    const solved = await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { status: 'solved', solve_override_reason: 'Customer fixed the LDAP filter themselves' } });
    expect(solved.status).toBe(200);
    expect(solved.body.audit.metadata.custom).toMatchObject({ solve_override_reason: 'Customer fixed the LDAP filter themselves' });
    expect((await agent.api.get('/api/v2/escalations?stage=action_plan_created')).body.escalations.map((e: { id: number }) => e.id)).toContain(escalation.id);
  });
});

describe('generic signed issue webhook', () => {
  it('moves escalations linked to a tracker key, and refuses bad signatures', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    const agent = await createAgent(env);
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body;
    const { escalation } = (await agent.api.post(`/api/v2/tickets/${request.id}/escalations`, { escalation: { classification: 'bug', summary: 'Search index stalls' } })).body;
    await agent.api.post(`/api/v2/escalations/${escalation.id}/links`, { link: { url: 'https://mattermost.atlassian.net/browse/MM-70001' } });
    const send = (payload: object, secret = ISSUES_SECRET) => {
      const body = JSON.stringify(payload);
      return env.app.inject({ method: 'POST', url: '/api/v2/integrations/issues/webhook', payload: body, headers: { 'content-type': 'application/json', 'x-sundial-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` } });
    };
    expect((await send({ issue: { key: 'MM-70001' }, transition: 'confirmed_product_issue' }, 'not-the-right-secret!!')).statusCode).toBe(401);
    expect((await agent.api.get(`/api/v2/escalations/${escalation.id}`)).body.escalation.stage).toBe('escalated');
    expect((await send({ issue: { key: 'MM-70001' }, transition: 'confirmed_product_issue' })).json()).toEqual({ moved: 1 });
    expect((await send({ issue: { url: 'https://mattermost.atlassian.net/browse/MM-70001' }, transition: 'fix_in_production', fix_version: '10.3.0' })).json()).toEqual({ moved: 1 });
    expect((await agent.api.get(`/api/v2/escalations/${escalation.id}`)).body.escalation).toMatchObject({ stage: 'fix_in_production', fix_version: '10.3.0', open: false });
    const bad = await send({ issue: {}, transition: 'sideways' });
    expect(bad.statusCode).toBe(422);
  });
});

describe('escalation lists for the engineering board', () => {
  it('filters open or closed, side-loads each ticket with organization and plan, and lists one ticket’s escalations', async () => {
    const org = await createOrganization(env, { plan: 'premier' });
    const customer = await createCustomer(env, org);
    const agent = await createAgent(env);
    const open = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Board: open one', priority: 'urgent' }))).body.request;
    const closed = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Board: closed one' }))).body.request;
    const first = (await agent.api.post(`/api/v2/tickets/${open.id}/escalations`, { escalation: { classification: 'bug', summary: 'Crash on login' } })).body.escalation;
    await agent.api.post(`/api/v2/escalations/${first.id}/links`, { link: { url: 'https://github.com/mattermost/mattermost/pull/1' } });
    await agent.api.post(`/api/v2/escalations/${first.id}/links`, { link: { url: 'https://mattermost.atlassian.net/browse/MM-1' } });
    const second = (await agent.api.post(`/api/v2/tickets/${closed.id}/escalations`, { escalation: { classification: 'needs_info', summary: 'Logs missing' } })).body.escalation;
    await agent.api.put(`/api/v2/escalations/${second.id}`, { escalation: { stage: 'closed_without_change' } });

    const board = (await agent.api.get('/api/v2/escalations?open=true&include=tickets')).body;
    const ids = board.escalations.map((e: { id: number }) => e.id);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(second.id);
    expect(board.count).toBe(board.escalations.length);
    // Links come with each escalation (batched), in the order they were added.
    expect(board.escalations.find((e: { id: number }) => e.id === first.id).links.map((l: { kind: string }) => l.kind)).toEqual(['pull_request', 'issue']);
    expect(board.tickets.find((t: { id: number }) => t.id === open.id)).toEqual({
      url: expect.stringMatching(new RegExp(`/api/v2/tickets/${open.id}\\.json$`)),
      id: open.id,
      subject: 'Board: open one',
      priority: 'urgent',
      status: 'hold',
      organization_id: org.id,
      organization_name: org.name,
      support_plan: 'premier',
      created_at: expect.any(String),
    });
    // Oldest first unless asked otherwise.
    const created = board.escalations.map((e: { created_at: string }) => e.created_at);
    expect(created).toEqual([...created].sort());

    const closedOnes = (await agent.api.get('/api/v2/escalations?open=false&sort_order=desc')).body;
    expect(closedOnes.escalations.map((e: { id: number }) => e.id)).toContain(second.id);
    expect(closedOnes.escalations.every((e: { open: boolean }) => !e.open)).toBe(true);
    expect(closedOnes.tickets).toBeUndefined(); // only side-loaded when asked

    const ofTicket = (await agent.api.get(`/api/v2/tickets/${closed.id}/escalations`)).body;
    expect(ofTicket.escalations).toEqual([expect.objectContaining({ id: second.id, stage: 'closed_without_change', open: false })]);
    expect((await agent.api.get(`/api/v2/tickets/${closed.id}/escalations?open=true`)).body.escalations).toEqual([]);
    expect((await agent.api.get('/api/v2/tickets/999999999/escalations')).status).toBe(404);
    expect((await customer.api.get(`/api/v2/tickets/${open.id}/escalations`)).status).toBe(403);
    expect((await agent.api.get('/api/v2/escalations?open=maybe')).status).toBe(400);
    expect((await agent.api.get('/api/v2/escalations?stage=sideways')).status).toBe(400);
  });

  it('serves the default customer update of every stage, with the fix version when given', async () => {
    const agent = await createAgent(env);
    const { templates } = (await agent.api.get('/api/v2/escalations/templates')).body;
    expect(Object.keys(templates)).toEqual(['escalated', 'confirmed_product_issue', 'action_plan_created', 'action_plan_executed', 'fix_in_production', 'closed_without_change']);
    expect(templates.escalated).toMatch(/escalated your request to our Sustained Engineering Team/);
    expect(templates.fix_in_production).toMatch(/latest production version/);
    const versioned = (await agent.api.get('/api/v2/escalations/templates?fix_version=10.4.0')).body.templates;
    expect(versioned.fix_in_production).toMatch(/released in Mattermost 10\.4\.0/);
  });
});
