import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, logIn } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { digest } from '../../src/platform/secrets.js';
import { Authenticator, cookieOf, enroll, logInWithCode } from './two-factor-helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

async function staffWithTwoFactor(o: { admin?: boolean } = {}) {
  const agent = await createAgent(env, o);
  const session = await logIn(env, agent.user.email, agent.password);
  const { auth, recoveryCodes } = await enroll(session);
  return { ...agent, session, auth, recoveryCodes };
}

const passwordStep = (email: string, password: string, api = new Api(env.app)) => api.post('/api/portal/login', { email, password });

/** The account's own two-factor entries in the audit log, oldest first. */
const selfServiceEntries = (userId: number) =>
  env.ctx.db
    .selectFrom('admin_audit_logs')
    .select(['action', 'actor_id', 'source_type', 'after'])
    .where('source_id', '=', userId)
    .where('action', 'in', ['two_factor_on', 'two_factor_off', 'recovery_codes_replaced'])
    .orderBy('id')
    .execute();

describe('two-factor enrollment', () => {
  it('shows the secret as an otpauth URI and base32 once, turns on only with a correct first code, and stores nothing in the clear', async () => {
    const agent = await createAgent(env);
    const api = await logIn(env, agent.user.email, agent.password);
    expect((await api.get('/api/portal/two_factor')).body.two_factor).toEqual({ enabled: false, enabled_at: null, recovery_codes_remaining: 0, required: false });

    const start = await api.post('/api/portal/two_factor/enrollment');
    expect(start.status).toBe(200);
    const { secret, otpauth_uri: uri } = start.body.enrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Sundial:${encodeURIComponent(agent.user.email)}\\?`));
    expect(new URLSearchParams(uri.split('?')[1]).get('secret')).toBe(secret);

    const auth = new Authenticator(secret);
    const wrong = await api.post('/api/portal/two_factor/enrollment/confirm', { code: auth.wrong() });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.code[0].error).toBe('InvalidCode');
    expect((await api.get('/api/portal/two_factor')).body.two_factor.enabled).toBe(false);

    const done = await api.post('/api/portal/two_factor/enrollment/confirm', { code: await auth.code() });
    expect(done.status).toBe(200);
    expect(done.body.two_factor).toMatchObject({ enabled: true, recovery_codes_remaining: 10 });
    const codes: string[] = done.body.recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);

    // Never shown again: the status has no secret, and a new enrollment is refused while on.
    const status = await api.get('/api/portal/two_factor');
    expect(JSON.stringify(status.body)).not.toContain(secret);
    expect((await api.post('/api/portal/two_factor/enrollment')).status).toBe(409);

    // At rest: the secret is sealed (neither base32 nor hex appears), recovery codes are SHA-256 digests.
    const row = await env.ctx.db.selectFrom('user_two_factor').selectAll().where('user_id', '=', agent.user.id).executeTakeFirstOrThrow();
    expect(row.secret_encrypted).toMatch(/^v1\./);
    expect(row.secret_encrypted).not.toContain(secret);
    expect(row.secret_encrypted).not.toContain(auth.key.toString('hex'));
    expect(row.secret_encrypted).not.toContain(auth.key.toString('base64url'));
    const stored = await env.ctx.db.selectFrom('two_factor_recovery_codes').select('code_hash').where('user_id', '=', agent.user.id).execute();
    expect(stored.map((r) => r.code_hash.toString('hex')).sort()).toEqual(codes.map((c) => digest(c.replace(/-/g, '')).toString('hex')).sort());
  });

  it('is for agents and admins only', async () => {
    const customer = await createCustomer(env, null);
    expect((await customer.api.post('/api/portal/two_factor/enrollment')).status).toBe(403);
    expect((await new Api(env.app).post('/api/portal/two_factor/enrollment')).status).toBe(401);
    // Turning off and new recovery codes answer end users as enrollment does.
    const reconfirm = { password: customer.password, code: '123456' };
    expect((await customer.api.post('/api/portal/two_factor/disable', reconfirm)).status).toBe(403);
    expect((await customer.api.post('/api/portal/two_factor/recovery_codes', reconfirm)).status).toBe(403);
    expect((await new Api(env.app).post('/api/portal/two_factor/recovery_codes', reconfirm)).status).toBe(401);
  });

  it('ends the other sessions of the account when two-factor is turned on', async () => {
    const agent = await createAgent(env);
    const other = await logIn(env, agent.user.email, agent.password);
    const api = await logIn(env, agent.user.email, agent.password);
    await enroll(api);
    expect((await api.get('/api/portal/session')).status).toBe(200);
    expect((await other.get('/api/portal/session')).status).toBe(401);
  });
});

describe('two-step sign-in', () => {
  it('trades the password for a short-lived hashed challenge, then a code for a new session', async () => {
    const s = await staffWithTwoFactor();
    const api = new Api(env.app);
    const first = await passwordStep(s.user.email, s.password, api);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ two_factor_required: true, purpose: 'verify', expires_in: 300 });
    expect(first.body.csrf_token).toBeUndefined();
    expect(first.headers['set-cookie']).toBeUndefined();
    const challenge = first.body.challenge_token as string;
    const row = await env.ctx.db.selectFrom('login_challenges').selectAll().where('token_hash', '=', digest(challenge)).executeTakeFirstOrThrow();
    expect(row.user_id).toBe(s.user.id);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(300_000);

    const bad = await api.post('/api/portal/login/two_factor', { challenge_token: challenge, code: s.auth.wrong() });
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();

    const code = await s.auth.code();
    const ok = await api.post('/api/portal/login/two_factor', { challenge_token: challenge, code });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(s.user.id);
    const session = new Api(env.app).withSession(cookieOf(ok), ok.body.csrf_token);
    expect((await session.get('/api/portal/session')).body.user.id).toBe(s.user.id);
    expect((await session.post('/api/v2/api_tokens', { token: { description: 'after 2fa' } })).status).toBe(201);

    // The challenge is single use (an unused recovery code is refused on it); the same TOTP code cannot
    // open a second session through a new challenge.
    expect((await api.post('/api/portal/login/two_factor', { challenge_token: challenge, recovery_code: s.recoveryCodes[0] })).status).toBe(401);
    const again = await passwordStep(s.user.email, s.password);
    const replay = await api.post('/api/portal/login/two_factor', { challenge_token: again.body.challenge_token, code });
    expect(replay.status).toBe(401);
  });

  it('accepts each recovery code once', async () => {
    const s = await staffWithTwoFactor();
    const [code] = s.recoveryCodes;
    const first = await passwordStep(s.user.email, s.password);
    const ok = await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, recovery_code: code.toLowerCase().replace(/-/g, ' ') });
    expect(ok.status).toBe(200);
    const session = new Api(env.app).withSession(cookieOf(ok), ok.body.csrf_token);
    expect((await session.get('/api/portal/two_factor')).body.two_factor.recovery_codes_remaining).toBe(9);
    const second = await passwordStep(s.user.email, s.password);
    expect((await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: second.body.challenge_token, recovery_code: code })).status).toBe(401);
  });

  it('spends a challenge after five wrong codes and refuses an expired one', async () => {
    const s = await staffWithTwoFactor();
    const api = new Api(env.app);
    const first = await passwordStep(s.user.email, s.password);
    for (let i = 0; i < 5; i++) expect((await api.post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, code: s.auth.wrong() })).status).toBe(401);
    const right = await s.auth.code();
    const spent = await api.post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, code: right });
    expect(spent.status).toBe(401);
    expect(spent.headers['set-cookie']).toBeUndefined();

    const second = await passwordStep(s.user.email, s.password);
    await env.ctx.db.updateTable('login_challenges').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', digest(second.body.challenge_token)).execute();
    // `right` was never checked against the spent challenge, so it is still unused here.
    expect((await api.post('/api/portal/login/two_factor', { challenge_token: second.body.challenge_token, code: right })).status).toBe(401);
    // And it still works on a live challenge: the refusals above were the challenges', not the code's.
    const third = await passwordStep(s.user.email, s.password);
    expect((await api.post('/api/portal/login/two_factor', { challenge_token: third.body.challenge_token, code: right })).status).toBe(200);
  });

  it('rate-limits the code step per account across challenges (429 with Retry-After)', async () => {
    const s = await staffWithTwoFactor();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const challenge = (await passwordStep(s.user.email, s.password)).body.challenge_token;
      for (let j = 0; j < 4; j++) {
        // A new client (address) each time: the per-account budget still runs out.
        const res = await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: challenge, code: s.auth.wrong() });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
  });

  it('refuses Basic email:password for a two-factor account; API tokens keep working', async () => {
    const s = await staffWithTwoFactor();
    expect((await Api.basicPassword(env.app, s.user.email, s.password).get('/api/v2/tickets')).status).toBe(401);
    expect((await s.api.get('/api/v2/tickets')).status).toBe(200);
  });
});

describe('turning two-factor off', () => {
  it('needs the password and a code, and then sign-in is one step again', async () => {
    const s = await staffWithTwoFactor();
    const code = await s.auth.code();
    const wrongPassword = await s.session.post('/api/portal/two_factor/disable', { password: 'not-the-password', code });
    expect(wrongPassword.status).toBe(422);
    expect(wrongPassword.body.details.password).toBeDefined();
    const wrongCode = await s.session.post('/api/portal/two_factor/disable', { password: s.password, code: s.auth.wrong() });
    expect(wrongCode.status).toBe(422);
    expect(wrongCode.body.details.code).toBeDefined();
    const ok = await s.session.post('/api/portal/two_factor/disable', { password: s.password, code });
    expect(ok.status).toBe(200);
    expect(ok.body.two_factor.enabled).toBe(false);
    expect(await env.ctx.db.selectFrom('two_factor_recovery_codes').select('id').where('user_id', '=', s.user.id).execute()).toHaveLength(0);
    const login = await passwordStep(s.user.email, s.password);
    expect(login.body.csrf_token).toBeTruthy();
    expect(login.body.two_factor_required).toBeUndefined();
    // Turning it on and off are in the audit log, by the account holder; the refused attempts are not.
    expect(await selfServiceEntries(s.user.id)).toEqual([
      { action: 'two_factor_on', actor_id: s.user.id, source_type: 'user', after: { two_factor: 'on' } },
      { action: 'two_factor_off', actor_id: s.user.id, source_type: 'user', after: { two_factor: 'off' } },
    ]);
  });
});

describe('new recovery codes', () => {
  const storedDigests = async (userId: number) =>
    (await env.ctx.db.selectFrom('two_factor_recovery_codes').select('code_hash').where('user_id', '=', userId).execute()).map((r) => r.code_hash.toString('hex')).sort();

  it('replace all the old ones at once, after the password and a current code; sessions stay', async () => {
    const s = await staffWithTwoFactor();
    const [spent] = s.recoveryCodes;
    const first = await passwordStep(s.user.email, s.password);
    expect((await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, recovery_code: spent })).status).toBe(200);
    expect((await s.session.get('/api/portal/two_factor')).body.two_factor.recovery_codes_remaining).toBe(9);

    const res = await s.session.post('/api/portal/two_factor/recovery_codes', { password: s.password, code: await s.auth.code() });
    expect(res.status).toBe(200);
    expect(res.body.two_factor).toMatchObject({ enabled: true, recovery_codes_remaining: 10 });
    const fresh: string[] = res.body.recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    for (const c of fresh) expect(c).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    expect(fresh.filter((c) => s.recoveryCodes.includes(c))).toEqual([]);
    // Kept as SHA-256 digests only, like the codes made at enrollment.
    expect(await storedDigests(s.user.id)).toEqual(fresh.map((c) => digest(c.replace(/-/g, '')).toString('hex')).sort());

    // An old, unused code no longer signs in; a new one does. The session that asked is still open.
    const second = await passwordStep(s.user.email, s.password);
    expect((await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: second.body.challenge_token, recovery_code: s.recoveryCodes[1] })).status).toBe(401);
    const third = await passwordStep(s.user.email, s.password);
    expect((await new Api(env.app).post('/api/portal/login/two_factor', { challenge_token: third.body.challenge_token, recovery_code: fresh[0] })).status).toBe(200);
    expect((await s.session.get('/api/portal/session')).status).toBe(200);
    expect((await selfServiceEntries(s.user.id)).map((e) => e.action)).toEqual(['two_factor_on', 'recovery_codes_replaced']);
  });

  it('take a recovery code instead of a code, which is spent with the rest', async () => {
    const s = await staffWithTwoFactor();
    const res = await s.session.post('/api/portal/two_factor/recovery_codes', { password: s.password, recovery_code: s.recoveryCodes[0] });
    expect(res.status).toBe(200);
    expect(res.body.recovery_codes).not.toContain(s.recoveryCodes[0]);
    expect((await s.session.post('/api/portal/two_factor/recovery_codes', { password: s.password, recovery_code: s.recoveryCodes[1] })).status).toBe(422);
  });

  it('are refused without the password and a valid code, and without two-factor on; nothing changes', async () => {
    const s = await staffWithTwoFactor();
    const before = await storedDigests(s.user.id);
    const wrongPassword = await s.session.post('/api/portal/two_factor/recovery_codes', { password: 'not-the-password', code: await s.auth.code() });
    expect(wrongPassword.status).toBe(422);
    expect(wrongPassword.body.details.password).toBeDefined();
    const wrongCode = await s.session.post('/api/portal/two_factor/recovery_codes', { password: s.password, code: s.auth.wrong() });
    expect(wrongCode.status).toBe(422);
    expect(wrongCode.body.details.code[0].error).toBe('InvalidCode');
    expect((await s.session.post('/api/portal/two_factor/recovery_codes', { password: s.password })).status).toBe(422);
    expect(await storedDigests(s.user.id)).toEqual(before);

    const agent = await createAgent(env);
    const api = await logIn(env, agent.user.email, agent.password);
    expect((await api.post('/api/portal/two_factor/recovery_codes', { password: agent.password, code: '123456' })).status).toBe(409);
  });
});

describe('administrators', () => {
  it('reset a user\'s two-factor: sessions end, sign-in is one step, the action is in the audit log', async () => {
    const admin = await createAgent(env, { admin: true });
    const s = await staffWithTwoFactor();
    expect((await admin.api.get(`/api/v2/users/${s.user.id}/two_factor`)).body.two_factor.enabled).toBe(true);
    expect((await s.api.delete(`/api/v2/users/${s.user.id}/two_factor`)).status).toBe(403);

    const res = await admin.api.request('DELETE', `/api/v2/users/${s.user.id}/two_factor`, undefined, { 'user-agent': 'reset-test/1.0' });
    expect(res.status).toBe(204);
    expect((await s.session.get('/api/portal/session')).status).toBe(401);
    expect((await admin.api.get(`/api/v2/users/${s.user.id}/two_factor`)).body.two_factor.enabled).toBe(false);
    expect((await passwordStep(s.user.email, s.password)).body.csrf_token).toBeTruthy();
    expect((await admin.api.delete(`/api/v2/users/${s.user.id}/two_factor`)).status).toBe(409);

    const entry = await env.ctx.db.selectFrom('admin_audit_logs').selectAll().where('action', '=', 'two_factor_reset').where('source_id', '=', s.user.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: admin.user.id, source_type: 'user', source_label: s.user.email, ip_address: admin.api.ip, user_agent: 'reset-test/1.0' });
  });

  it('require two-factor for staff: existing sessions stop, sign-in leads through enrollment, API tokens are unaffected', async () => {
    const admin = await createAgent(env, { admin: true });
    const adminSession = await logIn(env, admin.user.email, admin.password);
    // The admin must use two-factor before requiring it of others.
    const refused = await adminSession.put('/api/v2/security_settings', { security_settings: { require_two_factor_for_staff: true } });
    expect(refused.status).toBe(422);
    await enroll(adminSession);
    const agent = await createAgent(env);
    const agentSession = await logIn(env, agent.user.email, agent.password);
    const customer = await createCustomer(env, null);

    expect((await agent.api.put('/api/v2/security_settings', { security_settings: { require_two_factor_for_staff: true } })).status).toBe(403);
    const on = await adminSession.put('/api/v2/security_settings', { security_settings: { require_two_factor_for_staff: true } });
    expect(on.status).toBe(200);
    try {
      expect((await adminSession.get('/api/v2/security_settings')).body).toEqual({ security_settings: { require_two_factor_for_staff: true } });
      // The agent's password-only session no longer counts; the admin's (with two-factor) and customers' do.
      expect((await agentSession.get('/api/v2/tickets')).status).toBe(401);
      expect((await adminSession.get('/api/v2/tickets')).status).toBe(200);
      expect((await customer.api.get('/api/portal/session')).status).toBe(200);
      // API tokens are unaffected; Basic email:password is not enough for staff any more.
      expect((await agent.api.get('/api/v2/tickets')).status).toBe(200);
      expect((await Api.basicPassword(env.app, agent.user.email, agent.password).get('/api/v2/tickets')).status).toBe(401);

      // Sign-in: password → enrollment with the challenge → first code → session and recovery codes.
      const first = await passwordStep(agent.user.email, agent.password);
      expect(first.body).toMatchObject({ two_factor_required: true, purpose: 'enroll' });
      const anon = new Api(env.app);
      expect((await anon.post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, code: '123456' })).status).toBe(401);
      const start = await anon.post('/api/portal/login/two_factor/enrollment', { challenge_token: first.body.challenge_token });
      expect(start.status).toBe(200);
      const auth = new Authenticator(start.body.enrollment.secret);
      expect((await anon.post('/api/portal/login/two_factor/enrollment/confirm', { challenge_token: first.body.challenge_token, code: auth.wrong() })).status).toBe(422);
      const done = await anon.post('/api/portal/login/two_factor/enrollment/confirm', { challenge_token: first.body.challenge_token, code: await auth.code() });
      expect(done.status).toBe(200);
      expect(done.body.recovery_codes).toHaveLength(10);
      const enrolled = new Api(env.app).withSession(cookieOf(done), done.body.csrf_token);
      expect((await enrolled.get('/api/v2/tickets')).status).toBe(200);
      expect((await anon.post('/api/portal/login/two_factor/enrollment', { challenge_token: first.body.challenge_token })).status).toBe(401);
      // Enrolled while signing in, before any session: the entry still names the agent.
      expect(await selfServiceEntries(agent.user.id)).toEqual([{ action: 'two_factor_on', actor_id: agent.user.id, source_type: 'user', after: { two_factor: 'on' } }]);

      // While required, staff cannot turn it off.
      const next = await auth.code();
      expect((await enrolled.post('/api/portal/two_factor/disable', { password: agent.password, code: next })).status).toBe(403);
      // The next sign-in asks for a code (the one the refused request did not spend).
      await logInWithCode(env, agent.user.email, agent.password, auth, next);
    } finally {
      expect((await adminSession.put('/api/v2/security_settings', { security_settings: { require_two_factor_for_staff: false } })).status).toBe(200);
    }
    const actions = await env.ctx.db.selectFrom('admin_audit_logs').select(['action', 'actor_id']).where('source_type', '=', 'security_settings').orderBy('id').execute();
    expect(actions.slice(-2)).toEqual([
      { action: 'two_factor_enforcement_on', actor_id: admin.user.id },
      { action: 'two_factor_enforcement_off', actor_id: admin.user.id },
    ]);
  });
});
