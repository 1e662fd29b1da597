import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { digest } from '../../src/platform/secrets.js';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, logIn, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

const REDIRECT = 'https://chat.example.test/oauth/complete';

let env: TestEnv;
let clock: ManualClock;
let admin: Actor & { token: string };
let adminSession: Api;
let anon: Api;

beforeAll(async () => {
  clock = new ManualClock(new Date());
  env = await startTestApp({}, { listen: true, clock });
  admin = await createAgent(env, { admin: true });
  adminSession = await logIn(env, admin.user.email, admin.password);
  anon = new Api(env.app);
});
afterAll(() => env?.close());

interface Client {
  id: number;
  identifier: string;
  secret: string;
}

async function registerClient(extra: Record<string, unknown> = {}): Promise<Client> {
  const res = await admin.api.post('/api/v2/oauth/clients', { client: { name: 'Chat Integration', identifier: uniq('chat_'), redirect_uri: [REDIRECT], ...extra } });
  expect(res.status).toBe(201);
  return res.body.client;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of the consent form, as a browser would submit them. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unescape(m[2]);
  return fields;
}

const authorizeUrl = (client: Client, params: Record<string, string> = {}) =>
  `/oauth/authorizations/new?${new URLSearchParams({ response_type: 'code', client_id: client.identifier, redirect_uri: REDIRECT, scope: 'read write', state: 'st-42', ...params })}`;

const postForm = (api: Api, fields: Record<string, string>) =>
  api.request('POST', '/oauth/authorizations', new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });

/** Walks the consent page as the signed-in user of `session` and returns the code from the redirect. */
async function authorize(session: Api, client: Client, params: Record<string, string> = {}): Promise<string> {
  const page = await session.get(authorizeUrl(client, params));
  expect(page.status).toBe(200);
  const res = await postForm(session, { ...hiddenFields(page.body), decision: 'allow' });
  expect(res.status).toBe(302);
  const to = new URL(String(res.headers.location));
  expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
  expect(to.searchParams.get('state')).toBe(params.state ?? 'st-42');
  return to.searchParams.get('code')!;
}

const exchange = (body: Record<string, unknown>, headers: Record<string, string> = {}) => anon.post('/oauth/tokens', body, headers);

async function tokenFor(session: Api, client: Client, scope = 'read write'): Promise<string> {
  const code = await authorize(session, client, { scope });
  const res = await exchange({ grant_type: 'authorization_code', code, client_id: client.identifier, client_secret: client.secret, redirect_uri: REDIRECT });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

const bearer = (token: string) => new Api(env.app, { authorization: `Bearer ${token}` });

describe('OAuth clients (admins)', () => {
  it('creates, shows, lists, updates, regenerates the secret of and deletes a client', async () => {
    const identifier = uniq('mm_');
    const res = await admin.api.post('/api/v2/oauth/clients.json', { client: { name: 'Mattermost', identifier, company: 'Mattermost Inc.', redirect_uri: [REDIRECT] } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toMatch(new RegExp(`^https?://[^/]+/api/v2/oauth/clients/${res.body.client.id}\\.json$`));
    expect(res.body.client).toMatchObject({ name: 'Mattermost', identifier, company: 'Mattermost Inc.', redirect_uri: [REDIRECT], kind: 'confidential', user_id: admin.user.id });
    expect(res.body.client.secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const id = res.body.client.id;
    // Only the digest is stored.
    const row = await env.ctx.db.selectFrom('oauth_clients').select('secret_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret_hash.equals(digest(res.body.client.secret))).toBe(true);

    const shown = await admin.api.get(`/api/v2/oauth/clients/${id}.json`);
    expect(shown.body.client).toMatchObject({ id, identifier });
    expect(shown.body.client.secret).toBeUndefined();
    expect((await admin.api.get('/api/v2/oauth/clients.json')).body.clients.map((c: { id: number }) => c.id)).toContain(id);

    const updated = await admin.api.put(`/api/v2/oauth/clients/${id}.json`, { client: { name: 'Mattermost Chat', redirect_uri: [REDIRECT, 'http://localhost:4000/complete'] } });
    expect(updated.status).toBe(200);
    expect(updated.body.client).toMatchObject({ name: 'Mattermost Chat', redirect_uri: [REDIRECT, 'http://localhost:4000/complete'] });

    const regenerated = await admin.api.request('PUT', `/api/v2/oauth/clients/${id}/generate_secret.json`);
    expect(regenerated.body.client.secret).toBeTruthy();
    expect(regenerated.body.client.secret).not.toBe(res.body.client.secret);

    expect((await admin.api.delete(`/api/v2/oauth/clients/${id}.json`)).status).toBe(204);
    expect((await admin.api.get(`/api/v2/oauth/clients/${id}.json`)).status).toBe(404);
  });

  it('validates clients and keeps them to admins', async () => {
    const taken = await registerClient();
    const dup = await admin.api.post('/api/v2/oauth/clients', { client: { name: 'Again', identifier: taken.identifier, redirect_uri: [REDIRECT] } });
    expect(dup.status).toBe(422);
    expect(dup.body.details.identifier[0].error).toBe('DuplicateValue');
    const bad = await admin.api.post('/api/v2/oauth/clients', { client: { name: '', identifier: 'has space', redirect_uri: ['javascript:alert(1)'] } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details).sort()).toEqual(['identifier', 'name', 'redirect_uri.0']);
    const agent = await createAgent(env);
    expect((await agent.api.get('/api/v2/oauth/clients')).status).toBe(403);
    expect((await agent.api.post('/api/v2/oauth/clients', { client: { name: 'x', identifier: uniq('x'), redirect_uri: [REDIRECT] } })).status).toBe(403);
  });
});

describe('authorization-code flow', () => {
  it('runs through the consent page with a session and gives a bearer token that works', async () => {
    const client = await registerClient();
    const page = await adminSession.get(authorizeUrl(client));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Chat Integration');
    expect(page.body).toContain(admin.user.email);
    expect(String(page.headers['content-security-policy'])).toContain("form-action 'self' https://chat.example.test");
    const fields = hiddenFields(page.body);
    expect(fields).toMatchObject({ client_id: client.identifier, redirect_uri: REDIRECT, scope: 'read write', state: 'st-42' });

    const approved = await postForm(adminSession, { ...fields, decision: 'allow' });
    expect(approved.status).toBe(302);
    const to = new URL(String(approved.headers.location));
    expect(to.searchParams.get('state')).toBe('st-42');
    const code = to.searchParams.get('code')!;
    // Codes are kept as digests and expire 120 s after issue, as Zendesk's do.
    const stored = await env.ctx.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', digest(code)).executeTakeFirstOrThrow();
    expect(stored.expires_at.getTime() - clock.now().getTime()).toBeLessThanOrEqual(120_000);
    expect(stored.expires_at.getTime() - clock.now().getTime()).toBeGreaterThan(110_000);

    const res = await exchange({ grant_type: 'authorization_code', code, client_id: client.identifier, client_secret: client.secret, redirect_uri: REDIRECT, scope: 'read write' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', scope: 'read write' });
    const token = res.body.access_token;
    expect(await env.ctx.db.selectFrom('oauth_tokens').select('id').where('token_hash', '=', digest(token)).executeTakeFirst()).toBeTruthy();

    const api = bearer(token);
    expect((await api.get('/api/v2/users/me.json')).body.user).toMatchObject({ id: admin.user.id, role: 'admin' });
    const org = await createOrganization(env);
    const ticket = await api.post('/api/v2/tickets.json', { ticket: { subject: 'Via OAuth', comment: { body: 'Opened with a bearer token' }, requester: { email: `oauth@${org.domain}` } } });
    expect(ticket.status).toBe(201);
    const current = await api.get('/api/v2/oauth/tokens/current.json');
    expect(current.body.token).toMatchObject({ user_id: admin.user.id, scopes: ['read', 'write'], client_id: client.id, expires_at: null });
    expect(current.body.token.full_token).toBeUndefined();
  });

  it('sends a signed-out user to the portal sign-in and back to the consent page', async () => {
    const client = await registerClient();
    const url = authorizeUrl(client);
    const res = await anon.get(url);
    expect(res.status).toBe(302);
    const login = new URL(String(res.headers.location), 'http://sundial.test');
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('next')).toBe(url);
    // After signing in, the same URL shows the consent page.
    const customer = await createCustomer(env, await createOrganization(env));
    const page = await customer.api.get(login.searchParams.get('next')!);
    expect(page.status).toBe(200);
    expect(page.body).toContain(customer.user.email);
    // An end user can authorize too; the token acts with their permissions.
    const token = await tokenFor(customer.api, client, 'read');
    expect((await bearer(token).get('/api/v2/users/me')).body.user.id).toBe(customer.user.id);
    expect((await bearer(token).get('/api/v2/tickets')).status).toBe(403);
  });

  it('protects the consent form with the session CSRF token and reports a denial to the client', async () => {
    const client = await registerClient();
    const fields = hiddenFields((await adminSession.get(authorizeUrl(client))).body);
    expect(fields.authenticity_token).toBeTruthy();
    const forged = await postForm(adminSession, { ...fields, authenticity_token: 'forged', decision: 'allow' });
    expect(forged.status).toBe(403);
    expect(forged.headers.location).toBeUndefined();
    const { authenticity_token: _omit, ...withoutToken } = fields;
    expect((await postForm(adminSession, { ...withoutToken, decision: 'allow' })).status).toBe(403);
    // Without a session the form sends the user to sign in, never issues a code.
    const signedOut = await postForm(anon, { ...fields, decision: 'allow' });
    expect(signedOut.status).toBe(303);
    expect(String(signedOut.headers.location)).toMatch(/^\/login\?next=/);

    const denied = await postForm(adminSession, { ...fields, decision: 'deny' });
    expect(denied.status).toBe(302);
    const to = new URL(String(denied.headers.location));
    expect(to.searchParams.get('error')).toBe('access_denied');
    expect(to.searchParams.get('state')).toBe('st-42');
    expect(to.searchParams.get('code')).toBeNull();
  });

  it('never redirects to an unregistered redirect_uri; other errors go back to the client', async () => {
    const client = await registerClient();
    const wrongRedirect = await adminSession.get(authorizeUrl(client, { redirect_uri: 'https://evil.example.test/steal' }));
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.location).toBeUndefined();
    expect(wrongRedirect.body).toContain('redirect_uri');
    const unknownClient = await adminSession.get(authorizeUrl({ ...client, identifier: 'no-such-client' }));
    expect(unknownClient.status).toBe(400);

    const badScope = await adminSession.get(authorizeUrl(client, { scope: 'read everything' }));
    expect(badScope.status).toBe(302);
    const to = new URL(String(badScope.headers.location));
    expect(to.searchParams.get('error')).toBe('invalid_scope');
    expect(to.searchParams.get('state')).toBe('st-42');
    const badType = new URL(String((await adminSession.get(authorizeUrl(client, { response_type: 'token' }))).headers.location));
    expect(badType.searchParams.get('error')).toBe('unsupported_response_type');
  });
});

describe('token endpoint errors (RFC 6749 §5.2, as Zendesk answers them)', () => {
  let client: Client;
  beforeAll(async () => {
    client = await registerClient();
  });
  const body = (code: string, extra: Record<string, unknown> = {}) => ({ grant_type: 'authorization_code', code, client_id: client.identifier, client_secret: client.secret, redirect_uri: REDIRECT, ...extra });

  it('refuses a wrong redirect_uri, a wrong secret and an unknown grant type', async () => {
    const code = await authorize(adminSession, client);
    const wrongRedirect = await exchange(body(code, { redirect_uri: 'https://chat.example.test/other' }));
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('does not match the redirection URI') });
    const wrongSecret = await exchange(body(code, { client_secret: 'not-the-secret' }));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe('invalid_client');
    expect((await exchange(body(code, { client_secret: undefined }))).body.error).toBe('invalid_client');
    expect((await exchange(body(code, { client_id: 'nobody' }))).status).toBe(401);
    const password = await exchange({ grant_type: 'password', username: admin.user.email, password: admin.password, client_id: client.identifier, client_secret: client.secret });
    expect(password.status).toBe(400);
    expect(password.body.error).toBe('unsupported_grant_type');
    expect((await exchange({ code })).body.error).toBe('invalid_request');
    // Failed attempts did not use the code up: the real client still gets its token.
    expect((await exchange(body(code))).status).toBe(200);
  });

  it('accepts a form-encoded request with HTTP Basic client authentication', async () => {
    const code = await authorize(adminSession, client);
    const basic = `Basic ${Buffer.from(`${client.identifier}:${client.secret}`).toString('base64')}`;
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString();
    const res = await anon.request('POST', '/oauth/tokens', form, { 'content-type': 'application/x-www-form-urlencoded', authorization: basic });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('bearer');
    const wrong = await anon.request('POST', '/oauth/tokens', form, { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.identifier}:nope`).toString('base64')}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Basic');
  });

  it('uses a code once; replaying it revokes the token it gave', async () => {
    const code = await authorize(adminSession, client);
    const first = await exchange(body(code));
    expect(first.status).toBe(200);
    const api = bearer(first.body.access_token);
    expect((await api.get('/api/v2/users/me')).body.user.id).toBe(admin.user.id);
    const again = await exchange(body(code));
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await api.get('/api/v2/tickets')).status).toBe(401);
  });

  it('lets exactly one of two simultaneous exchanges of a code win', async () => {
    const code = await authorize(adminSession, client);
    const results = await Promise.all([exchange(body(code)), exchange(body(code)), exchange(body(code))]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('lets a code expire after 120 seconds', async () => {
    const code = await authorize(adminSession, client);
    clock.advance(121_000);
    const res = await exchange(body(code));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a code issued to another client and a scope beyond the grant', async () => {
    const other = await registerClient();
    const code = await authorize(adminSession, client, { scope: 'read' });
    const stolen = await exchange({ grant_type: 'authorization_code', code, client_id: other.identifier, client_secret: other.secret, redirect_uri: REDIRECT });
    expect(stolen.body.error).toBe('invalid_grant');
    const wider = await exchange(body(code, { scope: 'read write' }));
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('supports PKCE (S256), which public clients must use', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = await authorize(adminSession, client, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await exchange(body(code))).body.error).toBe('invalid_grant');
    const code2 = await authorize(adminSession, client, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await exchange(body(code2, { code_verifier: 'x'.repeat(43) }))).body.error).toBe('invalid_grant');
    const code3 = await authorize(adminSession, client, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect((await exchange(body(code3, { code_verifier: verifier }))).status).toBe(200);

    const pub = await registerClient({ kind: 'public' });
    const noPkce = await adminSession.get(authorizeUrl(pub));
    expect(new URL(String(noPkce.headers.location)).searchParams.get('error')).toBe('invalid_request');
    const plain = await adminSession.get(authorizeUrl(client, { code_challenge: challenge, code_challenge_method: 'plain' }));
    expect(new URL(String(plain.headers.location)).searchParams.get('error')).toBe('invalid_request');
    const pubCode = await authorize(adminSession, pub, { code_challenge: challenge, code_challenge_method: 'S256' });
    const pubToken = await exchange({ grant_type: 'authorization_code', code: pubCode, client_id: pub.identifier, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(pubToken.status).toBe(200);
  });
});

describe('scopes, tokens and revocation', () => {
  it('gives a read-only token 403 on writes and a write-only token 403 on reads', async () => {
    const client = await registerClient();
    const reader = bearer(await tokenFor(adminSession, client, 'read'));
    expect((await reader.get('/api/v2/tickets')).status).toBe(200);
    const write = await reader.post('/api/v2/organizations', { organization: { name: uniq('Org ') } });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: 'Forbidden', description: expect.stringContaining('write') });
    expect((await reader.delete('/api/v2/oauth/tokens/current')).status).toBe(403);
    const writer = bearer(await tokenFor(adminSession, client, 'write'));
    expect((await writer.get('/api/v2/tickets')).status).toBe(403);
    expect((await writer.post('/api/v2/organizations', { organization: { name: uniq('Org ') } })).status).toBe(201);
  });

  it('lists every token for admins and only their own for others; revoking gives 401', async () => {
    const client = await registerClient();
    const agent = await createAgent(env);
    const agentSession = await logIn(env, agent.user.email, agent.password);
    const agentToken = await tokenFor(agentSession, client);
    const adminToken = await tokenFor(adminSession, client);
    const agentApi = bearer(agentToken);

    const own = (await agentApi.get('/api/v2/oauth/tokens.json')).body.tokens as { id: number; user_id: number }[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((t) => t.user_id === agent.user.id)).toBe(true);
    const all = (await bearer(adminToken).get(`/api/v2/oauth/tokens.json?client_id=${client.id}`)).body.tokens as { user_id: number }[];
    expect(new Set(all.map((t) => t.user_id))).toEqual(new Set([agent.user.id, admin.user.id]));
    // Cursor pagination, as node-zendesk asks for it.
    const paged = await bearer(adminToken).get(`/api/v2/oauth/tokens.json?client_id=${client.id}&page[size]=1`);
    expect(paged.body.tokens).toHaveLength(1);
    expect(paged.body.meta.has_more).toBe(true);

    const adminTokenId = (await bearer(adminToken).get('/api/v2/oauth/tokens/current')).body.token.id;
    expect((await agentApi.delete(`/api/v2/oauth/tokens/${adminTokenId}.json`)).status).toBe(404);
    const agentTokenId = (await agentApi.get('/api/v2/oauth/tokens/current')).body.token.id;
    expect((await admin.api.delete(`/api/v2/oauth/tokens/${agentTokenId}.json`)).status).toBe(204);
    const after = await agentApi.get('/api/v2/tickets');
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: "Couldn't authenticate you" });
    // An API token is not an OAuth token: there is no "current" one.
    expect((await admin.api.get('/api/v2/oauth/tokens/current')).status).toBe(404);
  });

  it('lets an admin create a token for a client directly (shown once)', async () => {
    const client = await registerClient();
    const res = await admin.api.post('/api/v2/oauth/tokens.json', { token: { client_id: client.id, scopes: ['read'] } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatchObject({ client_id: client.id, user_id: admin.user.id, scopes: ['read'] });
    expect((await bearer(res.body.token.full_token).get('/api/v2/users/me')).body.user.id).toBe(admin.user.id);
    const agent = await createAgent(env);
    expect((await agent.api.post('/api/v2/oauth/tokens.json', { token: { client_id: client.id, scopes: ['read'] } })).status).toBe(403);
  });

  it('stops every token of a deleted client', async () => {
    const client = await registerClient();
    const api = bearer(await tokenFor(adminSession, client));
    expect((await api.get('/api/v2/users/me')).body.user.id).toBe(admin.user.id);
    await admin.api.delete(`/api/v2/oauth/clients/${client.id}`);
    expect((await api.get('/api/v2/tickets')).status).toBe(401);
  });
});

describe('X-On-Behalf-Of', () => {
  let client: Client;
  let customer: Actor;
  beforeAll(async () => {
    client = await registerClient();
    customer = await createCustomer(env, await createOrganization(env));
  });

  it('makes an admin token with the impersonate scope act as the end user', async () => {
    const token = await tokenFor(adminSession, client, 'read write impersonate');
    const asCustomer = new Api(env.app, { authorization: `Bearer ${token}` });
    const me = await asCustomer.request('GET', '/api/v2/users/me', undefined, { 'x-on-behalf-of': customer.user.email.toUpperCase() });
    expect(me.body.user).toMatchObject({ id: customer.user.id, role: 'end-user' });
    // With the customer's permissions: the agent ticket list is forbidden, their own requests work.
    expect((await asCustomer.request('GET', '/api/v2/tickets', undefined, { 'x-on-behalf-of': customer.user.email })).status).toBe(403);
    const body = await technicalRequest(customer.api);
    const created = await asCustomer.request('POST', '/api/v2/requests', body, { 'x-on-behalf-of': customer.user.email });
    expect(created.status).toBe(201);
    expect(created.body.request.requester_id).toBe(customer.user.id);
    // Without the header the same token is the admin.
    expect((await asCustomer.get('/api/v2/users/me')).body.user.id).toBe(admin.user.id);
  });

  it('refuses the header without the impersonate scope, for non-admins, with other credentials or for staff', async () => {
    const on = { 'x-on-behalf-of': customer.user.email };
    const plain = bearer(await tokenFor(adminSession, client, 'read write'));
    const noScope = await plain.request('GET', '/api/v2/users/me', undefined, on);
    expect(noScope.status).toBe(403);
    expect(noScope.body.description).toContain('impersonate');

    const agent = await createAgent(env);
    const agentToken = bearer(await tokenFor(await logIn(env, agent.user.email, agent.password), client, 'read impersonate'));
    expect((await agentToken.request('GET', '/api/v2/users/me', undefined, on)).status).toBe(403);

    expect((await admin.api.request('GET', '/api/v2/users/me', undefined, on)).status).toBe(403);

    const imp = bearer(await tokenFor(adminSession, client, 'read impersonate'));
    expect((await imp.request('GET', '/api/v2/users/me', undefined, { 'x-on-behalf-of': agent.user.email })).status).toBe(403);
    expect((await imp.request('GET', '/api/v2/users/me', undefined, { 'x-on-behalf-of': 'nobody@nowhere.test' })).status).toBe(403);
    expect((await imp.request('GET', '/api/v2/users/me', undefined, { 'x-on-behalf-of': 'not an email' })).status).toBe(400);
    // Impersonation keeps the token's scopes: no write scope, no writes.
    expect((await imp.request('POST', '/api/v2/requests', await technicalRequest(customer.api), on)).status).toBe(403);
  });
});

describe('node-zendesk 6 with an OAuth token, unchanged', () => {
  it('authenticates, impersonates with asUser, shows and revokes its current token', async () => {
    const client = await registerClient();
    const token = await tokenFor(adminSession, client, 'read write impersonate');
    const zd = createClient({ token, useOAuth: true, endpointUri: `${env.url}/api/v2` });
    const { result: me } = await zd.users.me();
    expect(me).toMatchObject({ id: admin.user.id, role: 'admin' });
    const org = await createOrganization(env);
    const { result: ticket } = await zd.tickets.create({ ticket: { subject: 'node-zendesk over OAuth', comment: { body: 'hello' }, requester: { email: `zdo@${org.domain}` } } });
    expect(ticket.subject).toBe('node-zendesk over OAuth');
    // node-zendesk looks for an "oauthtokens"/"token" key, so for Zendesk's {"tokens":[…]} pages it hands back the pages.
    const pages = (await zd.oauthtokens.list()) as { tokens?: { client_id: number }[] }[];
    expect(pages.flatMap((p) => p.tokens ?? []).map((t) => t.client_id)).toContain(client.id);

    const customer = await createCustomer(env, org);
    const asUser = createClient({ token, useOAuth: true, asUser: customer.user.email, endpointUri: `${env.url}/api/v2` });
    expect((await asUser.users.me()).result.id).toBe(customer.user.id);

    const current = await zd.oauthtokens.current();
    const id = current.result?.id ?? current.token?.id ?? current.id;
    expect(id).toBeTypeOf('number');
    await zd.oauthtokens.revoke(id);
    await expect(zd.tickets.show(ticket.id)).rejects.toThrow();
  });
});
