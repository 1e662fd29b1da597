import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { matchingIds, planSearch, searchTickets } from '../../src/modules/search/search.service.js';
import { nextWindow } from '../../src/modules/search/windows.js';

let env: TestEnv;
let agent: Actor;
let other: Actor;

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

// Every behaviour holds whichever side drives a query: the words' full-text index, or the field
// filters with each ticket they leave checked for the words (SEARCH_FILTER_FIRST_ROWS decides).
describe.each([
  ["the words' index", '0'],
  ['the field filters', '1000000000'],
])('search driven by %s', (_driver, filterFirstRows) => {
  beforeAll(async () => {
    env = await startTestApp({ SEARCH_FILTER_FIRST_ROWS: filterFirstRows });
    agent = await createAgent(env, { groups: ['technical'], name: 'Sam Searcher' });
    other = await createAgent(env, { groups: ['technical'] });
  });
  afterAll(() => env?.close());

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

  it('orders matches by relevance (how often the words occur), the newest first among equals', async () => {
    const word = uniq('rel');
    const customer = await createCustomer(env, await createOrganization(env));
    const once = await ticket(customer, 'Mail stuck', `Seen ${word} on one node.`);
    const thrice = await ticket(customer, `${word} crash`, `The ${word} process restarts; ${word} logs attached.`);
    const twice = await ticket(customer, `${word} slow`, `Only ${word} here.`);
    const alsoOnce = await ticket(customer, 'Mail stuck again', `Seen ${word} on another node.`);
    for (const query of [word, `${word} status<solved`, `${word} priority>=low`]) {
      const got = (await search(query)).results.map((r: { id: number }) => r.id);
      expect(got, query).toEqual([thrice, twice, alsoOnce, once]);
    }
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

describe('search over tickets whose ids are far apart', () => {
  beforeAll(async () => {
    env = await startTestApp();
    agent = await createAgent(env, { groups: ['technical'] });
  });
  afterAll(() => env?.close());

  it('finds the newest matches through id windows without losing older ones, and exports across windows', async () => {
    const word = uniq('win');
    const customer = await createCustomer(env, await createOrganization(env));
    const made: number[] = [];
    // Gaps of 70,000 ids put the tickets in different windows at every window size (4,096 to 262,144).
    for (const [i, gap] of [0, 70_000, 300_000, 700_000].entries()) {
      await env.ctx.db.executeQuery(sql`SELECT setval('tickets_id_seq', nextval('tickets_id_seq') + ${gap})`.compile(env.ctx.db));
      made.push(await ticket(customer, i === 2 ? `Other ${i}` : `${word} ${i}`, i === 2 ? `only in a comment below` : 'body'));
    }
    await agent.api.put(`/api/v2/tickets/${made[2]}`, { ticket: { comment: { body: `note with ${word}`, public: false } } });
    const stored = await env.ctx.db.executeQuery<{ vector: string }>(sql`SELECT vector::text FROM ticket_search WHERE ticket_id = ${made[2]}`.compile(env.ctx.db));
    expect(stored.rows[0].vector).toContain(`'~12.${made[2] >> 12}'`);
    expect(stored.rows[0].vector).toContain(`'${word}'`); // the internal note is part of the ticket's document
    // Every window the search builds selects exactly the stored vectors of the tickets inside it.
    for (const edge of made) {
      for (const span of [1, 5_000, 100_000, 500_000]) {
        const w = nextWindow(edge, 'desc', span, { min: 0, max: 2 ** 40 })!;
        const inside = await env.ctx.db.executeQuery<{ ticket_id: number }>(
          sql`SELECT ticket_id FROM ticket_search WHERE ${w.query ? sql`vector @@ ${w.query} AND` : sql``} ticket_id BETWEEN ${w.from} AND ${w.to} ORDER BY ticket_id`.compile(env.ctx.db),
        );
        expect(inside.rows.map((r) => r.ticket_id)).toEqual(made.filter((id) => id >= w.from && id <= w.to));
        expect(inside.rows.map((r) => r.ticket_id)).toContain(edge);
      }
    }

    const byRelevance = await search(word);
    expect(byRelevance.count).toBe(4);
    expect(byRelevance.results.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual(made);
    // Two words, one in the subject and one only in an internal note: both in the ticket's one document.
    expect((await search(`${word} Other`)).results.map((r: { id: number }) => r.id)).toEqual([made[2]]);
    expect((await search(`Other ${word}`)).results.map((r: { id: number }) => r.id)).toEqual([made[2]]);
    const newestFirst = await search(`${word} order_by:created sort:desc`);
    expect(newestFirst.results.map((r: { id: number }) => r.id)).toEqual([...made].reverse());
    const oldestFirst = await search(`${word} order_by:created sort:asc`, '&per_page=2');
    expect(oldestFirst.results.map((r: { id: number }) => r.id)).toEqual(made.slice(0, 2));

    // Asking for fewer matches than exist stops at the newest ones.
    const actor = { user: agent.user, via: 'token' } as never;
    const plan = planSearch(word, {});
    expect((await searchTickets(env.ctx, actor, plan, { offset: 0, limit: 10 })).matched).toBe(4);
    expect(await matchingIds(env.ctx, actor, plan, 'desc', 1)).toEqual([made[3]]);
    expect(await matchingIds(env.ctx, actor, plan, 'desc', 2)).toEqual([made[3], made[2]]);
    expect(await matchingIds(env.ctx, actor, plan, 'asc', 2, made[0])).toEqual([made[1], made[2]]);
    // With statistics the word drives consecutive windows sized from its share, widening across the gaps.
    await env.ctx.db.executeQuery(sql`ANALYZE ticket_search`.compile(env.ctx.db));
    for (const want of [1, 2, 3, 4, 10]) expect(await matchingIds(env.ctx, actor, plan, 'desc', want)).toEqual([...made].reverse().slice(0, want));
    expect(await matchingIds(env.ctx, actor, plan, 'desc', 2, made[3])).toEqual([made[2], made[1]]);
    expect(await matchingIds(env.ctx, actor, plan, 'asc', 2, made[0])).toEqual([made[1], made[2]]);
    expect(await matchingIds(env.ctx, actor, planSearch(`${word} Other`, {}), 'desc', 5)).toEqual([made[2]]);

    const exported: number[] = [];
    let url: string | null = `/api/v2/search/export?query=${word}&filter[type]=ticket&page[size]=1`;
    while (url) {
      const page: { body: { results: { id: number }[]; meta: { has_more: boolean }; links: { next: string | null } } } = await agent.api.get(url);
      exported.push(...page.body.results.map((r) => r.id));
      url = page.body.meta.has_more ? page.body.links.next!.replace(/^https?:\/\/[^/]+/, '') : null;
    }
    expect(exported).toEqual(made);

    // Comments rewrite vectors all day: the index merges its pending entries every 512 kB (0034).
    const options = await env.ctx.db.executeQuery<{ reloptions: string[] }>(sql`SELECT reloptions FROM pg_class WHERE relname = 'ticket_search_idx'`.compile(env.ctx.db));
    expect(options.rows[0].reloptions).toContain('gin_pending_list_limit=512');

    // A deleted ticket leaves the index with its document, and search never shows it.
    expect((await agent.api.delete(`/api/v2/tickets/${made[1]}`)).status).toBe(204);
    const left = await env.ctx.db.executeQuery<{ n: number }>(sql`SELECT count(*)::int AS n FROM ticket_search WHERE ticket_id = ${made[1]}`.compile(env.ctx.db));
    expect(left.rows[0].n).toBe(0);
    expect((await search(word)).results.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual([made[0], made[2], made[3]]);
    expect((await search(`${word} -Other`)).results.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b)).toEqual([made[0], made[3]]);

    // Editing a comment (a redaction, say) rebuilds its ticket's document: the old words are gone.
    await env.ctx.db.updateTable('ticket_comments').set({ body: 'redacted' }).where('ticket_id', '=', made[2]).where('body', 'like', `note with%`).execute();
    expect((await search(word)).results.map((r: { id: number }) => r.id)).not.toContain(made[2]);
    expect((await search(`${word} Other`)).results).toEqual([]);
    expect((await search('redacted Other')).results.map((r: { id: number }) => r.id)).toEqual([made[2]]);
  });
});
