import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, logIn, technicalRequest, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { linkIn } from '../mail-catcher.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe('portal accounts', () => {
  it('answers sign-up the same for new and existing emails, and never overwrites an existing password', async () => {
    const existing = await createCustomer(env, await createOrganization(env));
    const anon = new Api(env.app);
    const fresh = await anon.post('/api/portal/signup', { name: 'New', email: `new.${uniq()}@example.com`, password: 'long-password-1' });
    const dup = await anon.post('/api/portal/signup', { name: 'Intruder', email: existing.user.email.toUpperCase(), password: 'attacker-password' });
    expect(dup.status).toBe(fresh.status);
    expect(dup.body).toEqual(fresh.body);
    await env.mail.waitFor((m) => m.to.includes(existing.user.email) && /already have/.test(m.subject));
    // The attacker's password does not work; the owner's still does.
    expect((await anon.post('/api/portal/login', { email: existing.user.email, password: 'attacker-password' })).status).toBe(401);
    expect((await anon.post('/api/portal/login', { email: existing.user.email, password: existing.password })).status).toBe(200);
  });

  it('joins the organization of the email domain', async () => {
    const org = await createOrganization(env);
    const email = `${uniq()}@${org.domain}`;
    await new Api(env.app).post('/api/portal/signup', { name: 'Dom', email, password: 'long-password-1' });
    const user = await env.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ organization_id: org.id, role: 'end-user', verified: false });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('resets a password with a single-use link; a newer link voids the older; all sessions end', async () => {
    const c = await createCustomer(env, null);
    const other = await logIn(env, c.user.email, c.password);
    const anon = new Api(env.app);
    expect((await anon.post('/api/portal/password-reset', { email: c.user.email })).status).toBe(202);
    const unknown = await anon.post('/api/portal/password-reset', { email: `ghost.${uniq()}@example.com` });
    expect(unknown.status).toBe(202);
    const first = tokenOf(linkIn(await env.mail.waitFor((m) => m.to.includes(c.user.email) && /Reset/.test(m.subject)), 'http://sundial.test/reset-password'));
    await anon.post('/api/portal/password-reset', { email: c.user.email });
    await env.mail.waitFor((m) => m.to.includes(c.user.email) && /Reset/.test(m.subject) && !m.text.includes(first), 15_000);
    const second = tokenOf(linkIn(env.mail.to(c.user.email).filter((m) => /Reset/.test(m.subject)).find((m) => !m.text.includes(first))!, 'http://sundial.test/reset-password'));

    const voided = await anon.post('/api/portal/password-reset/confirm', { token: first, password: 'brand-new-password' });
    expect(voided.status).toBe(422);
    expect(voided.body.details.token[0].description).toMatch(/already been used or was replaced/);
    expect((await anon.post('/api/portal/password-reset/confirm', { token: second, password: 'brand-new-password' })).status).toBe(200);
    expect((await anon.post('/api/portal/password-reset/confirm', { token: second, password: 'another-password-2' })).status).toBe(422);

    expect((await c.api.get('/api/portal/session')).status).toBe(401);
    expect((await other.get('/api/portal/session')).status).toBe(401);
    expect((await anon.post('/api/portal/login', { email: c.user.email, password: c.password })).status).toBe(401);
    expect((await anon.post('/api/portal/login', { email: c.user.email, password: 'brand-new-password' })).status).toBe(200);
  });

  it('rejects an expired verification link with a clear redirect', async () => {
    const email = `late.${uniq()}@example.com`;
    await new Api(env.app).post('/api/portal/signup', { name: 'Late', email, password: 'long-password-1' });
    const link = linkIn(await env.mail.waitFor((m) => m.to.includes(email)), 'http://sundial.test/api/portal/verify');
    await env.ctx.db.updateTable('user_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('purpose', '=', 'verify').execute();
    const res = await new Api(env.app).get(link.replace('http://sundial.test', ''));
    expect(res.headers.location).toBe('/login?verify_error=expired');
    expect((await env.ctx.db.selectFrom('users').select('verified').where('email', '=', email).executeTakeFirstOrThrow()).verified).toBe(false);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const org = await createOrganization(env);
    const c = await createCustomer(env, org);
    const body = await technicalRequest(c.api);
    const cookieOnly = await env.app.inject({ method: 'POST', url: '/api/v2/requests', headers: { cookie: (c.api as any).auth.cookie, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(cookieOnly.statusCode).toBe(403);
    expect((await c.api.post('/api/v2/requests', body)).status).toBe(201);
  });

  it('sets an HttpOnly SameSite=Lax session cookie', async () => {
    const c = await createCustomer(env, null);
    const res = await new Api(env.app).post('/api/portal/login', { email: c.user.email, password: c.password });
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Lax/);
    expect(res.body.user.email).toBe(c.user.email);
    expect(JSON.stringify(res.body)).not.toMatch(/argon2/);
  });

  it('rate-limits login per email with Retry-After', async () => {
    const c = await createCustomer(env, null);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 12; i++) {
      const res = await new Api(env.app).post('/api/portal/login', { email: c.user.email, password: 'wrong-password' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = String(res.headers['retry-after']);
    }
    // The factory's own sign-in was attempt 1 of 10 for this address.
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('rate-limits sign-up per IP', async () => {
    const api = new Api(env.app);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await api.post('/api/portal/signup', { name: 'Bulk', email: `bulk${i}.${uniq()}@example.com`, password: 'long-password-1' })).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe('API authentication and user administration', () => {
  it('accepts Zendesk credentials and answers anything wrong with 401', async () => {
    const agent = await createAgent(env);
    expect((await agent.api.get('/api/v2/users/me.json')).body.user.email).toBe(agent.user.email);
    expect((await Api.basicPassword(env.app, agent.user.email, agent.password).get('/api/v2/tickets.json')).status).toBe(200);
    const bearer = new Api(env.app, { authorization: `Bearer ${agent.token}` });
    expect((await bearer.get('/api/v2/tickets.json')).status).toBe(200);
    const wrong = Api.basicToken(env.app, agent.user.email, 'not-the-token');
    const res = await wrong.get('/api/v2/tickets.json');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: "Couldn't authenticate you" });
    expect((await Api.basicToken(env.app, `someone.else@example.com`, agent.token).get('/api/v2/tickets')).status).toBe(401);
    expect((await new Api(env.app).get('/api/v2/tickets')).status).toBe(401);
    const anonMe = await wrong.get('/api/v2/users/me.json');
    expect(anonMe.status).toBe(200);
    expect(anonMe.body.user.name).toBe('Anonymous user');
  });

  it('creates, lists and revokes API tokens; the value is shown once and stored hashed', async () => {
    const agent = await createAgent(env);
    const created = await agent.api.post('/api/v2/api_tokens.json', { token: { description: 'CI' } });
    expect(created.status).toBe(201);
    const { id, value } = created.body.token;
    expect(value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stored = await env.ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash.toString('hex')).not.toContain(Buffer.from(value).toString('hex'));
    const listed = await agent.api.get('/api/v2/api_tokens');
    expect(listed.body.api_tokens.find((t: { id: number }) => t.id === id)).not.toHaveProperty('value');
    const api = Api.basicToken(env.app, agent.user.email, value);
    expect((await api.get('/api/v2/tickets')).status).toBe(200);
    expect((await agent.api.delete(`/api/v2/api_tokens/${id}`)).status).toBe(204);
    expect((await api.get('/api/v2/tickets')).status).toBe(401);
  });

  it('lets admins manage users; deactivation ends sessions and tokens at once', async () => {
    const admin = await createAgent(env, { admin: true });
    const agent = await createAgent(env);
    const org = await createOrganization(env);
    const customer = await createCustomer(env, null);

    expect((await agent.api.put(`/api/v2/users/${customer.user.id}`, { user: { role: 'admin' } })).status).toBe(403);
    const moved = await admin.api.put(`/api/v2/users/${customer.user.id}.json`, { user: { organization_id: org.id } });
    expect(moved.body.user.organization_id).toBe(org.id);
    const promoted = await admin.api.put(`/api/v2/users/${customer.user.id}`, { user: { role: 'agent' } });
    expect(promoted.body.user.role).toBe('agent');
    const memberships = await admin.api.get(`/api/v2/users/${customer.user.id}/group_memberships`);
    expect(memberships.body.group_memberships).toHaveLength(1);

    expect((await admin.api.post(`/api/v2/users/${agent.user.id}/password`, { password: 'admin-set-password' })).status).toBe(200);
    expect((await Api.basicPassword(env.app, agent.user.email, 'admin-set-password').get('/api/v2/users/me')).body.user.id).toBe(agent.user.id);

    const emea = await env.ctx.db.selectFrom('regions').select('id').where('name', '=', 'EMEA').executeTakeFirstOrThrow();
    const staff = await admin.api.post('/api/v2/users.json', { user: { name: 'New Agent', email: `na.${uniq()}@sundial-staff.test`, role: 'agent', region_id: emea.id } });
    expect(staff.status).toBe(201);
    expect(staff.body.user).toMatchObject({ role: 'agent', region_id: emea.id, away: false });
    const noRegion = await admin.api.post('/api/v2/users.json', { user: { name: 'Lost Agent', email: `la.${uniq()}@sundial-staff.test`, role: 'agent', region_id: 999999 } });
    expect(noRegion.status).toBe(422);
    expect(noRegion.body.details.region_id[0].description).toBe('Region: 999999 does not exist');
    const dup = await admin.api.post('/api/v2/users.json', { user: { name: 'Again', email: staff.body.user.email.toUpperCase() } });
    expect(dup.status).toBe(422);
    expect(dup.body.details.email[0].error).toBe('DuplicateValue');

    const deactivated = await admin.api.delete(`/api/v2/users/${customer.user.id}`);
    expect(deactivated.body.user.active).toBe(false);
    expect((await customer.api.get('/api/portal/session')).status).toBe(401);
    expect((await agent.api.get('/api/v2/users/me')).status).toBe(200);
    await admin.api.delete(`/api/v2/users/${agent.user.id}`);
    expect((await agent.api.get('/api/v2/tickets')).status).toBe(401);
  });

  it('manages organizations and groups with Zendesk shapes', async () => {
    const admin = await createAgent(env, { admin: true });
    const name = `Globex ${uniq()}`;
    const created = await admin.api.post('/api/v2/organizations', { organization: { name, support_plan: 'enterprise', time_zone: 'Asia/Tokyo', shared_tickets: true } });
    expect(created.status).toBe(201);
    expect(created.body.organization).toMatchObject({ name, support_plan: 'enterprise', time_zone: 'Asia/Tokyo', shared_tickets: true, shared_comments: false, domain_names: [] });
    const badZone = await admin.api.put(`/api/v2/organizations/${created.body.organization.id}`, { organization: { time_zone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(422);
    // An offset is not a zone: UTC+99 used to pass.
    for (const time_zone of ['UTC+99', 'UTC+3', '+01:00']) {
      const offset = await admin.api.put(`/api/v2/organizations/${created.body.organization.id}`, { organization: { time_zone } });
      expect(offset.status, time_zone).toBe(422);
      expect(JSON.stringify(offset.body)).toContain('IANA time zone');
    }
    expect((await admin.api.put(`/api/v2/organizations/${created.body.organization.id}`, { organization: { time_zone: 'UTC' } })).status).toBe(200);
    expect((await admin.api.post('/api/v2/organizations', { organization: { name: name.toLowerCase() } })).status).toBe(422);
    const groups = (await admin.api.get('/api/v2/groups')).body.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['Technical Support', 'Sales', 'Sustained Engineering']));
    expect((await admin.api.delete(`/api/v2/organizations/${created.body.organization.id}`)).status).toBe(204);
    expect((await admin.api.get(`/api/v2/organizations/${created.body.organization.id}`)).status).toBe(404);
  });
});
