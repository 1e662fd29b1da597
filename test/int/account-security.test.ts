import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Pass-through spies on argon2, to check which code path a request took (not how long it took).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify), hash: vi.fn(real.hash) };
});
import * as argon2 from '@node-rs/argon2';
import { Api } from '../api.js';
import { createAgent, createCustomer, logIn, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { linkIn } from '../mail-catcher.js';
import { digest } from '../../src/platform/secrets.js';
import { cookieOf } from './two-factor-helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

const verifySpy = vi.mocked(argon2.verify);
const hashSpy = vi.mocked(argon2.hash);
const ghost = () => `ghost.${uniq()}@example.com`;
const login = (email: string, password: string, api = new Api(env.app)) => api.post('/api/portal/login', { email, password });
const sessionCookie = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie'] ?? '');

describe('brute force', () => {
  it('limits sign-in attempts per account, whatever the address they come from', async () => {
    const c = await createCustomer(env, null);
    const statuses: number[] = [];
    // The customer factory signed in once already: 9 more attempts fit in the account's budget of 10.
    for (let i = 0; i < 10; i++) statuses.push((await login(c.user.email, `wrong-${i}`)).status);
    expect(statuses).toEqual([...Array(9).fill(401), 429]);
    const right = await login(c.user.email, c.password);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is not affected.
    const other = await createCustomer(env, null);
    expect((await login(other.user.email, other.password)).status).toBe(200);
  });

  it('limits sign-in attempts per address, whatever the accounts tried', async () => {
    const api = new Api(env.app);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login(ghost(), 'password-guess', api)).status);
    expect(statuses).toEqual([...Array(30).fill(401), 429]);
    // Someone else, from another address, still signs in.
    const c = await createCustomer(env, null);
    expect(c.api.ip).not.toBe(api.ip);
  });

  it('limits password reset requests and sign-ups per address and per email', async () => {
    const api = new Api(env.app);
    const email = ghost();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.post('/api/portal/password-reset', { email })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('sessions', () => {
  it('gets a new random session id at sign-in and never adopts one the browser brings (no fixation)', async () => {
    const c = await createCustomer(env, null);
    const planted = 'sundial_session=attacker-chosen-value-0123456789abcdef';
    const res = await new Api(env.app).post('/api/portal/login', { email: c.user.email, password: c.password }, { cookie: planted });
    expect(res.status).toBe(200);
    const fresh = cookieOf(res);
    expect(fresh).toMatch(/^sundial_session=[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(planted);
    expect(sessionCookie(res)).toMatch(/HttpOnly/);
    expect(sessionCookie(res)).toMatch(/SameSite=Lax/);
    // The planted value is still nobody's session.
    expect((await new Api(env.app, { cookie: planted }).get('/api/portal/session')).status).toBe(401);
    // Only the digest of the id is stored.
    const token = fresh.split('=')[1];
    const row = await env.ctx.db.selectFrom('sessions').selectAll().where('token_hash', '=', digest(token)).executeTakeFirstOrThrow();
    expect(row.user_id).toBe(c.user.id);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('ends the session the browser had when it signs in again', async () => {
    const c = await createCustomer(env, null);
    const again = await c.api.post('/api/portal/login', { email: c.user.email, password: c.password });
    expect(again.status).toBe(200);
    const next = new Api(env.app).withSession(cookieOf(again), again.body.csrf_token);
    expect((await next.get('/api/portal/session')).status).toBe(200);
    expect((await c.api.get('/api/portal/session')).status).toBe(401);
  });

  it('ends the session at logout', async () => {
    const c = await createCustomer(env, null);
    const other = await logIn(env, c.user.email, c.password);
    expect((await c.api.post('/api/portal/logout')).status).toBe(204);
    expect((await c.api.get('/api/portal/session')).status).toBe(401);
    expect((await c.api.get('/api/v2/requests')).status).toBe(401);
    // Logging out ends this session only.
    expect((await other.get('/api/portal/session')).status).toBe(200);
  });

  it('ends every other session on password change and keeps the one that changed it', async () => {
    const a = await createAgent(env);
    const current = await logIn(env, a.user.email, a.password);
    const other = await logIn(env, a.user.email, a.password);
    const res = await current.post('/api/portal/password', { current_password: a.password, password: 'a-brand-new-password' });
    expect(res.status).toBe(200);
    expect((await current.get('/api/portal/session')).status).toBe(200);
    expect((await other.get('/api/portal/session')).status).toBe(401);
    expect((await login(a.user.email, a.password)).status).toBe(401);
    expect((await login(a.user.email, 'a-brand-new-password')).status).toBe(200);
  });
});

describe('link tokens', () => {
  it('keeps only the SHA-256 digest of a reset token, and a token works once', async () => {
    const c = await createCustomer(env, null);
    const anon = new Api(env.app);
    await anon.post('/api/portal/password-reset', { email: c.user.email });
    const mail = await env.mail.waitFor((m) => m.to.includes(c.user.email) && /Reset/.test(m.subject));
    const token = new URL(linkIn(mail, 'http://sundial.test/reset-password')).searchParams.get('token')!;
    const row = await env.ctx.db.selectFrom('user_tokens').selectAll().where('user_id', '=', c.user.id).where('purpose', '=', 'reset').where('used_at', 'is', null).executeTakeFirstOrThrow();
    expect(row.token_hash.equals(digest(token))).toBe(true);
    expect(JSON.stringify(row)).not.toContain(token);
    // A near miss (last character changed) is not the token: lookups are by digest, not by prefix.
    const nearMiss = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await anon.post('/api/portal/password-reset/confirm', { token: nearMiss, password: 'another-password-1' })).status).toBe(422);
    expect((await anon.post('/api/portal/password-reset/confirm', { token, password: 'another-password-1' })).status).toBe(200);
    const replay = await anon.post('/api/portal/password-reset/confirm', { token, password: 'another-password-2' });
    expect(replay.status).toBe(422);
    expect((await login(c.user.email, 'another-password-1')).status).toBe(200);
  });

  it('accepts a verification link once', async () => {
    const email = `verify.${uniq()}@example.com`;
    await new Api(env.app).post('/api/portal/signup', { name: 'Verify Me', email, password: 'long-password-1' });
    const mail = await env.mail.waitFor((m) => m.to.includes(email));
    const link = linkIn(mail, 'http://sundial.test/api/portal/verify');
    const token = new URL(link).searchParams.get('token')!;
    const stored = await env.ctx.db.selectFrom('user_tokens').select('token_hash').where('purpose', '=', 'verify').where('token_hash', '=', digest(token)).executeTakeFirst();
    expect(stored).toBeDefined();
    const path = `/api/portal/verify?token=${encodeURIComponent(token)}`;
    expect((await new Api(env.app).get(path)).headers.location).toBe('/login?verified=1');
    expect((await new Api(env.app).get(path)).headers.location).toBe('/login?verify_error=used');
  });
});

describe('account enumeration', () => {
  it('answers an unknown email exactly like a wrong password, after an argon2 verification against a dummy hash', async () => {
    const c = await createCustomer(env, null);
    await login(ghost(), 'warm-up'); // the dummy hash is made once per process
    verifySpy.mockClear();
    hashSpy.mockClear();
    const unknown = await login(ghost(), 'some-password');
    expect(verifySpy).toHaveBeenCalledTimes(1);
    const [dummyHash] = verifySpy.mock.calls[0];
    expect(hashSpy).not.toHaveBeenCalled();

    verifySpy.mockClear();
    const wrong = await login(c.user.email, 'some-password');
    expect(verifySpy).toHaveBeenCalledTimes(1);
    const [realHash] = verifySpy.mock.calls[0];
    expect(hashSpy).not.toHaveBeenCalled();

    // Same work on both paths: argon2id with the same parameters (the part before the salt).
    const params = (h: unknown) => String(h).split('$').slice(0, 4).join('$');
    expect(String(dummyHash)).toMatch(/^\$argon2id\$/);
    expect(params(dummyHash)).toBe(params(realHash));
    expect(String(dummyHash)).not.toBe(String(realHash));
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers sign-up for a known address after the same password hash as a new one', async () => {
    const c = await createCustomer(env, null);
    hashSpy.mockClear();
    const known = await new Api(env.app).post('/api/portal/signup', { name: 'X', email: c.user.email, password: 'long-password-1' });
    expect(hashSpy).toHaveBeenCalledTimes(1);
    hashSpy.mockClear();
    const fresh = await new Api(env.app).post('/api/portal/signup', { name: 'X', email: ghost(), password: 'long-password-1' });
    expect(hashSpy).toHaveBeenCalledTimes(1);
    expect(known.status).toBe(fresh.status);
    expect(known.body).toEqual(fresh.body);
  });

  it('answers a password reset the same for known and unknown addresses', async () => {
    const c = await createCustomer(env, null);
    const known = await new Api(env.app).post('/api/portal/password-reset', { email: c.user.email });
    const unknown = await new Api(env.app).post('/api/portal/password-reset', { email: ghost() });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated writes without this session\'s X-CSRF-Token', async () => {
    const c = await createCustomer(env, null);
    const other = await createCustomer(env, null);
    const cookie = (c.api as unknown as { auth: { cookie: string; csrf: string } }).auth;
    const path = `/api/v2/users/${c.user.id}`;
    const body = { user: { name: 'Renamed' } };
    const bare = new Api(env.app, { cookie: cookie.cookie });
    const missing = await bare.put(path, body);
    expect(missing.status).toBe(403);
    expect(missing.body.description).toMatch(/X-CSRF-Token/);
    expect((await bare.request('PUT', path, body, { 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    const othersToken = (other.api as unknown as { auth: { csrf: string } }).auth.csrf;
    expect((await bare.request('PUT', path, body, { 'x-csrf-token': othersToken })).status).toBe(403);
    expect((await env.ctx.db.selectFrom('users').select('name').where('id', '=', c.user.id).executeTakeFirstOrThrow()).name).not.toBe('Renamed');
    // Reads need no token; the right token lets the write through.
    expect((await bare.get('/api/portal/session')).status).toBe(200);
    expect((await bare.request('PUT', path, body, { 'x-csrf-token': cookie.csrf })).status).toBe(200);
    // Logout is a write too: a cross-site form cannot sign the user out.
    expect((await bare.post('/api/portal/logout')).status).toBe(403);
  });

  it('does not apply to API tokens, which a browser never sends on its own', async () => {
    const a = await createAgent(env);
    const res = await a.api.post('/api/v2/api_tokens', { token: { description: 'no csrf needed' } });
    expect(res.status).toBe(201);
  });
});
