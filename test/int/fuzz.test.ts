import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let customer: Actor;
let agent: Actor;
beforeAll(async () => {
  env = await startTestApp();
  customer = await createCustomer(env, await createOrganization(env));
  agent = await createAgent(env, { admin: true });
});
afterAll(() => env?.close());

/** Deterministic PRNG so a failure reproduces with the printed seed. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY: unknown[] = [null, true, -1, 0, 1.5, 2 ** 63, '', ' ', 'x'.repeat(70_000), '\u0000', '<script>alert(1)</script>', '😀'.repeat(100), '../../etc/passwd', [], [1, 'a'], {}, { $ne: 1 }, '9'.repeat(40), 'null', '1e309'];

/** Replaces one random leaf (or adds a random key) of a valid body with a hostile value. */
function mutate(body: unknown, rnd: () => number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  if (body === null || typeof body !== 'object') return pick(NASTY);
  const copy: any = Array.isArray(body) ? [...body] : { ...body };
  const keys = Object.keys(copy);
  if (!keys.length || rnd() < 0.15) {
    copy[pick(['id', 'status', 'role', '__proto__', 'constructor', 'x'.repeat(300)])] = pick(NASTY);
    return copy;
  }
  const key = pick(keys);
  copy[key] = rnd() < 0.5 ? mutate(copy[key], rnd) : pick(NASTY);
  return copy;
}

describe('hostile input never causes a 5xx', () => {
  it('survives mutated bodies on every write endpoint', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20261126);
    const rnd = mulberry32(seed);
    const request = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body.request;
    const ticket = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'fuzz', comment: { body: 'x' } } })).body.ticket;
    const org = (await agent.api.post('/api/v2/organizations', { organization: { name: `Fuzz ${seed}` } })).body.organization;
    const targets: { api: Actor['api']; method: string; url: string; body: unknown }[] = [
      { api: customer.api, method: 'POST', url: '/api/v2/requests', body: await technicalRequest(customer.api) },
      { api: customer.api, method: 'PUT', url: `/api/v2/requests/${request.id}`, body: { request: { comment: { body: 'more' }, email_ccs: ['a@example.com'] } } },
      { api: agent.api, method: 'POST', url: '/api/v2/tickets', body: { ticket: { subject: 's', comment: { body: 'b', public: false }, priority: 'high', tags: ['a'], custom_fields: [{ id: 1, value: 'x' }] } } },
      { api: agent.api, method: 'PUT', url: `/api/v2/tickets/${ticket.id}`, body: { ticket: { status: 'open', assignee_id: agent.user.id, comment: { body: 'c' }, safe_update: true, updated_stamp: ticket.updated_at } } },
      { api: agent.api, method: 'PUT', url: `/api/v2/organizations/${org.id}`, body: { organization: { name: 'n', support_plan: 'premier', domain_names: ['x.test'], time_zone: 'UTC' } } },
      { api: agent.api, method: 'PUT', url: `/api/v2/users/${customer.user.id}`, body: { user: { name: 'n', role: 'end-user', organization_id: org.id, tags: ['t'] } } },
      { api: agent.api, method: 'POST', url: '/api/v2/users', body: { user: { name: 'n', email: 'fuzz@example.com', role: 'agent' } } },
      { api: agent.api, method: 'POST', url: '/api/v2/group_memberships', body: { group_membership: { user_id: agent.user.id, group_id: 2 } } },
      { api: customer.api, method: 'POST', url: '/api/portal/password-reset', body: { email: 'someone@example.com' } },
    ];
    const failures: string[] = [];
    let count = 0;
    for (let round = 0; round < 40; round++) {
      for (const t of targets) {
        const body = mutate(t.body, rnd);
        const res = await t.api.request(t.method, t.url, body);
        count++;
        if (res.status >= 500) failures.push(`${t.method} ${t.url} ${JSON.stringify(body).slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    // Hostile query strings and path segments on reads.
    for (let i = 0; i < 60; i++) {
      const v = encodeURIComponent(String(NASTY[Math.floor(rnd() * NASTY.length)]).slice(0, 500));
      for (const url of [`/api/v2/tickets?page=${v}&per_page=${v}`, `/api/v2/tickets?page[size]=${v}&page[after]=${v}`, `/api/v2/tickets/show_many?ids=${v}`, `/api/v2/tickets/${v}`, `/api/v2/requests?status=${v}&sort_order=${v}`, `/api/v2/tickets?external_id=${v}&include=${v}`]) {
        const res = await agent.api.get(url);
        count++;
        if (res.status >= 500) failures.push(`GET ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(count).toBeGreaterThan(700);
  });
});
