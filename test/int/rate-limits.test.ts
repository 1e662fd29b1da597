import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

const LIMIT = 5;
// Windows are fixed minutes of the clock: start each test at the beginning of a fresh minute.
const clock = new ManualClock(new Date('2031-03-04T10:00:00Z'));
const nextMinute = () => clock.set(new Date((Math.floor(clock.now().getTime() / 60_000) + 1) * 60_000 + 1000));

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  a = await startTestApp({ API_RATE_LIMIT: String(LIMIT) }, { clock, listen: true });
  // A second node of the same deployment: same database, same budget.
  b = await startTestApp({ API_RATE_LIMIT: String(LIMIT) }, { clock, databaseUrl: a.databaseUrl });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const remaining = (res: { headers: Record<string, unknown> }) => Number(res.headers['x-rate-limit-remaining']);

describe('per-user API rate limits', () => {
  it('sends Zendesk’s rate-limit headers on every API response, and Retry-After only with 429', async () => {
    nextMinute();
    const agent = await createAgent(a);
    const res = await agent.api.get('/api/v2/tickets.json');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'x-rate-limit': '5',
      'x-rate-limit-remaining': '4',
      'rate-limit': '5',
      'rate-limit-remaining': '4',
      'ratelimit-limit': '5',
      'ratelimit-remaining': '4',
    });
    expect(Number(res.headers['ratelimit-reset'])).toBe(59);
    expect(res.headers['rate-limit-reset']).toBe(res.headers['ratelimit-reset']);
    expect(res.headers['retry-after']).toBeUndefined();
    // Errors carry them too.
    const missing = await agent.api.get('/api/v2/tickets/99999999.json');
    expect(missing.status).toBe(404);
    expect(remaining(missing)).toBe(3);
    expect(missing.headers['retry-after']).toBeUndefined();
  });

  it('counts down and answers 429 with Retry-After once the budget is spent, then resets with the window', async () => {
    nextMinute();
    const agent = await createAgent(a);
    const seen: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await agent.api.get('/api/v2/users/me');
      expect(res.status).toBe(200);
      seen.push(remaining(res));
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);
    clock.advance(20_000);
    const refused = await agent.api.get('/api/v2/users/me');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('39');
    expect(remaining(refused)).toBe(0);
    // Writes are refused before they do anything.
    const org = await createOrganization(a);
    const write = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'x', comment: { body: 'y' }, requester: { email: `r@${org.domain}` } } });
    expect(write.status).toBe(429);
    expect(await a.ctx.db.selectFrom('tickets').select('id').where('subject', '=', 'x').where('submitter_id', '=', agent.user.id).executeTakeFirst()).toBeUndefined();

    clock.advance(40_000);
    const again = await agent.api.get('/api/v2/users/me');
    expect(again.status).toBe(200);
    expect(remaining(again)).toBe(LIMIT - 1);
    expect(again.headers['retry-after']).toBeUndefined();
  });

  it('keeps a separate budget for each user, and for each address when anonymous', async () => {
    nextMinute();
    const first = await createAgent(a);
    const second = await createAgent(a);
    for (let i = 0; i < LIMIT; i++) await first.api.get('/api/v2/users/me');
    expect((await first.api.get('/api/v2/users/me')).status).toBe(429);
    const other = await second.api.get('/api/v2/users/me');
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe(LIMIT - 1);
    // Sessions count against the same per-user budget as tokens.
    const customer = await createCustomer(a, await createOrganization(a));
    const viaSession = await customer.api.get('/api/v2/users/me');
    expect(viaSession.status).toBe(200);
    expect(Number(viaSession.headers['x-rate-limit-remaining'])).toBeLessThan(LIMIT);
    // Anonymous callers are counted by address.
    const anon = new Api(a.app);
    const anonymous = await anon.get('/api/v2/users/me');
    expect(anonymous.body.user.name).toBe('Anonymous user');
    expect(remaining(anonymous)).toBe(LIMIT - 1);
  });

  it('counts what the authentication statement counted once, and nothing for a token sent with another email', async () => {
    nextMinute();
    const agent = await createAgent(a);
    const suspended = await createAgent(a);
    const basic = (email: string, token: string) => ({ authorization: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` });
    const wrongEmail = new Api(a.app, basic('someone-else@example.com', agent.token));
    for (let i = 0; i < LIMIT; i++) expect((await wrongEmail.get('/api/v2/tickets')).status).toBe(401);
    // Counted by address, never against the token's owner.
    expect(remaining(await agent.api.get('/api/v2/users/me'))).toBe(LIMIT - 1);
    expect(remaining(await agent.api.get('/api/v2/users/me'))).toBe(LIMIT - 2);
    const rows = await a.ctx.db.selectFrom('rate_limit_hits').select(['key', 'hits']).where('key', '=', `api:user:${agent.user.id}`).execute();
    expect(rows.map((r) => r.hits)).toEqual([2]);
    // A suspended user's token authenticates nobody, and counts against nobody's budget.
    await a.ctx.db.updateTable('users').set({ suspended: true }).where('id', '=', suspended.user.id).execute();
    expect((await suspended.api.get('/api/v2/tickets')).status).toBe(401);
    expect(await a.ctx.db.selectFrom('rate_limit_hits').select('hits').where('key', '=', `api:user:${suspended.user.id}`).execute()).toEqual([]);
  });

  it('shares one budget between the nodes of a deployment', async () => {
    nextMinute();
    const agent = await createAgent(a);
    const onB = new Api(b.app, { authorization: `Basic ${Buffer.from(`${agent.user.email}/token:${agent.token}`).toString('base64')}` });
    expect(remaining(await agent.api.get('/api/v2/users/me'))).toBe(4);
    expect(remaining(await onB.get('/api/v2/users/me'))).toBe(3);
    expect(remaining(await agent.api.get('/api/v2/users/me'))).toBe(2);
    expect(remaining(await onB.get('/api/v2/users/me'))).toBe(1);
    expect(remaining(await onB.get('/api/v2/users/me'))).toBe(0);
    expect((await agent.api.get('/api/v2/users/me')).status).toBe(429);
    expect((await onB.get('/api/v2/users/me')).status).toBe(429);
  });

  it('is what node-zendesk sees as a rate-limit error', async () => {
    nextMinute();
    const agent = await createAgent(a);
    const client = createClient({ username: agent.user.email, token: agent.token, endpointUri: `${a.url}/api/v2` });
    for (let i = 0; i < LIMIT; i++) await client.users.me();
    // node-zendesk 6 hands a throttled call back with an Error result carrying the status.
    const out = await client.users.me().catch((e: unknown) => e);
    const error = out instanceof Error ? out : out.result;
    expect(error).toBeInstanceOf(Error);
    expect(error.statusCode).toBe(429);
  });

  it('leaves pages outside /api alone', async () => {
    nextMinute();
    const res = await a.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-rate-limit']).toBeUndefined();
  });
});

describe('endpoint limits', () => {
  let c: TestEnv;
  beforeAll(async () => {
    c = await startTestApp({ API_RATE_LIMIT: '1000', API_RATE_LIMIT_TICKET_UPDATES: '2', API_RATE_LIMIT_INCREMENTAL: '1' }, { clock });
  });
  afterAll(() => c?.close());

  it('limits updates of one ticket per user per 10 minutes, and incremental exports per minute', async () => {
    nextMinute();
    const agent = await createAgent(c, { admin: true });
    const org = await createOrganization(c);
    const ticket = async () =>
      (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'limits', comment: { body: 'b' }, requester: { email: `q${Date.now()}@${org.domain}` } } })).body.ticket.id as number;
    const [t1, t2] = [await ticket(), await ticket()];
    const update = (id: number, n: number) => agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: `note ${n}`, public: false } } });
    expect((await update(t1, 1)).status).toBe(200);
    expect((await update(t1, 2)).status).toBe(200);
    const third = await update(t1, 3);
    expect(third.status).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(600);
    // Another ticket has its own budget; the general budget is untouched by the refusal.
    expect((await update(t2, 1)).status).toBe(200);
    expect(Number(third.headers['x-rate-limit-remaining'])).toBeGreaterThan(900);

    const start = Math.floor(clock.now().getTime() / 1000) - 3600;
    expect((await agent.api.get(`/api/v2/incremental/tickets.json?start_time=${start}`)).status).not.toBe(429);
    expect((await agent.api.get(`/api/v2/incremental/tickets.json?start_time=${start}`)).status).toBe(429);
    clock.advance(60_000);
    expect((await agent.api.get(`/api/v2/incremental/tickets.json?start_time=${start}`)).status).not.toBe(429);
  });
});
