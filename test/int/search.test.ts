import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let agent: Actor;
let other: Actor;
beforeAll(async () => {
  env = await startTestApp();
  agent = await createAgent(env, { groups: ['technical'], name: 'Sam Searcher' });
  other = await createAgent(env, { groups: ['technical'] });
});
afterAll(() => env?.close());

const search = async (query: string, extra = '') => {
  const res = await agent.api.get(`/api/v2/search.json?query=${encodeURIComponent(query)}${extra}`);
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};
const ids = async (query: string, extra = '') => (await search(query, extra)).results.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);

async function ticket(customer: Actor, subject: string, body: string, more: Record<string, unknown> = {}) {
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, comment: { body }, ...more }));
  expect(res.status).toBe(201);
  return res.body.request.id as number;
}

describe('search', () => {
  it('finds words in subjects, descriptions and comments (internal notes for agents), phrases, prefixes and negations', async () => {
    const word = uniq('kw');
    const customer = await createCustomer(env, await createOrganization(env));
    const inSubject = await ticket(customer, `Push ${word} broken`, 'Nothing arrives on iOS.');
    const inBody = await ticket(customer, 'Login loop', `The SAML ${word} redirect loops forever.`);
    const inNote = await ticket(customer, 'Quiet ticket', 'Nothing special here.');
    await agent.api.put(`/api/v2/tickets/${inNote}`, { ticket: { comment: { body: `Internal: related to ${word}`, public: false } } });

    expect(await ids(word)).toEqual([inSubject, inBody, inNote]);
    expect(await ids(`"SAML ${word}"`)).toEqual([inBody]);
    expect(await ids(`"${word} SAML"`)).toEqual([]);
    expect(await ids(`${word.slice(0, 6)}* -Login`)).toEqual(expect.arrayContaining([inSubject, inNote]));
    expect(await ids(`${word.slice(0, 6)}* -Login`)).not.toContain(inBody);
    expect(await ids(`comment:${word}`)).toEqual([inBody, inNote]);
    expect(await ids(`subject:${word}`)).toEqual([inSubject]);
    const body = await search(word);
    expect(body.results[0]).toMatchObject({ result_type: 'ticket' });
    expect(body).toMatchObject({ count: 3, facets: null, next_page: null, previous_page: null });
  });

  it('filters by status and priority scales, people, organization, group, tags, via, dates and custom fields', async () => {
    const word = uniq('flt');
    const org = await createOrganization(env, { plan: 'premier' });
    const customer = await createCustomer(env, org);
    const urgent = await ticket(customer, `Outage ${word}`, 'down', { priority: 'urgent' });
    const normal = await ticket(customer, `Question ${word}`, 'how to', { priority: 'normal' });
    const solved = await ticket(customer, `Fixed ${word}`, 'was broken', { priority: 'high' });
    await agent.api.put(`/api/v2/tickets/${urgent}`, { ticket: { assignee_id: agent.user.id, tags: ['vip', 'cluster'] } });
    await agent.api.put(`/api/v2/tickets/${normal}`, { ticket: { tags: ['docs'] } });
    await agent.api.put(`/api/v2/tickets/${solved}`, { ticket: { assignee_id: other.user.id, status: 'solved', type: 'incident' } });
    const orgName = (await agent.api.get(`/api/v2/organizations/${org.id}`)).body.organization.name;

    expect(await ids(`${word} status<solved`)).toEqual([urgent, normal]);
    expect(await ids(`${word} status:solved`)).toEqual([solved]);
    expect(await ids(`${word} priority>=high`)).toEqual([urgent, solved]);
    expect(await ids(`${word} priority:urgent priority:normal`)).toEqual([urgent, normal]); // a repeated keyword is OR
    expect(await ids(`${word} assignee:me`)).toEqual([urgent]);
    expect(await ids(`${word} assignee:none`)).toEqual([normal]);
    expect(await ids(`${word} assignee:${other.user.email}`)).toEqual([solved]);
    expect(await ids(`${word} assignee:"Sam Searcher"`)).toEqual([urgent]);
    expect(await ids(`${word} requester:${customer.user.email}`)).toEqual([urgent, normal, solved]);
    expect(await ids(`type:ticket organization:"${orgName}"`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} group:"Technical Support"`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} tags:vip tags:docs`)).toEqual([urgent, normal]);
    expect(await ids(`${word} -tags:vip`)).toEqual([normal, solved]);
    expect(await ids(`${word} ticket_type:incident`)).toEqual([solved]);
    expect(await ids(`${word} via:web`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} created>1hours`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} created<2020-01-01`)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids(`${word} created:${today} solved:${today}`)).toEqual([solved]);
    const f = await formsOf(agent.api);
    expect(await ids(`${word} custom_field_${f.field.technical('Environment').id}:production`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} form:"Technical Support"`)).toEqual([urgent, normal, solved]);
    expect(await ids(`${word} has_attachment:true`)).toEqual([]);
  });

  it('sorts, pages with absolute links, counts, and exports by cursor', async () => {
    const word = uniq('pg');
    const customer = await createCustomer(env, await createOrganization(env));
    const made = [];
    for (const p of ['low', 'urgent', 'normal', 'high']) made.push(await ticket(customer, `${word} ${p}`, 'x', { priority: p }));
    const byPriority = await search(`${word} order_by:priority sort:desc`);
    expect(byPriority.results.map((r: { priority: string }) => r.priority)).toEqual(['urgent', 'high', 'normal', 'low']);
    const asc = await search(word, '&sort_by=created_at&sort_order=asc&per_page=2');
    expect(asc.results.map((r: { id: number }) => r.id)).toEqual(made.slice(0, 2));
    expect(asc.count).toBe(4);
    expect(asc.next_page).toMatch(/^http:\/\/localhost(:\d+)?\/api\/v2\/search\.json\?.*page=2/);
    const second = await agent.api.get(asc.next_page.replace(/^https?:\/\/[^/]+/, ''));
    expect(second.body.results.map((r: { id: number }) => r.id)).toEqual(made.slice(2));
    expect(second.body.next_page).toBeNull();
    expect((await agent.api.get(`/api/v2/search/count?query=${word}`)).body).toEqual({ count: 4 });

    const first = await agent.api.get(`/api/v2/search/export?query=${word}&filter[type]=ticket&page[size]=3`);
    expect(first.body.results.map((r: { id: number }) => r.id)).toEqual(made.slice(0, 3));
    expect(first.body.meta.has_more).toBe(true);
    const rest = await agent.api.get(first.body.links.next.replace(/^https?:\/\/[^/]+/, ''));
    expect(rest.body.results.map((r: { id: number }) => r.id)).toEqual(made.slice(3));
    expect(rest.body.meta.has_more).toBe(false);
    expect((await agent.api.get(`/api/v2/search/export?query=type:ticket ${word}&filter[type]=ticket`)).status).toBe(400);
    expect((await agent.api.get(`/api/v2/search/export?query=${word}`)).status).toBe(400);
  });

  it('finds users and organizations, and refuses end users and nonsense', async () => {
    const org = await createOrganization(env);
    const customer = await createCustomer(env, org, { name: `Dana ${uniq('Whit')}` });
    const users = await search(`type:user ${customer.user.name.split(' ')[1]}`);
    expect(users.results).toEqual([expect.objectContaining({ id: customer.user.id, result_type: 'user', email: customer.user.email })]);
    expect((await search(`type:user role:agent email:${agent.user.email}`)).results.map((u: { id: number }) => u.id)).toEqual([agent.user.id]);
    const orgs = await search(`type:organization ${org.domain.split('.')[0]}`);
    expect(orgs.results).toEqual([expect.objectContaining({ id: org.id, result_type: 'organization' })]);

    expect((await customer.api.get('/api/v2/search?query=anything')).status).toBe(403);
    for (const bad of ['status:nonsense', 'bogus:1', 'created>yesterday', 'order_by:name', 'type:planet']) {
      const res = await agent.api.get(`/api/v2/search?query=${encodeURIComponent(bad)}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.description).toBeTruthy();
    }
    expect((await agent.api.get('/api/v2/search?query=')).status).toBe(400);
    expect((await agent.api.get('/api/v2/search?query=x&page=11&per_page=100')).status).toBe(422);
  });
});
