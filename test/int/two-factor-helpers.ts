import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { Api } from '../api.js';
import { base32Decode, hotp, totpStep } from '../../src/modules/accounts/two-factor-totp.js';
import type { TestEnv } from '../harness.js';

/**
 * An authenticator app for tests: computes RFC 6238 codes from the enrolled secret. Each code is for
 * a time step after the last one used (the server refuses a step twice), waiting for the clock when
 * both allowed future steps are spent.
 */
export class Authenticator {
  private lastStep = -1;
  readonly key: Buffer;
  constructor(readonly secret: string) {
    this.key = base32Decode(secret);
  }
  async code(): Promise<string> {
    for (;;) {
      const now = totpStep(Date.now());
      const step = Math.max(now, this.lastStep + 1);
      // The server accepts one step ahead; leave a second of margin before a step boundary.
      if (step <= now + 1 && !(step === now + 1 && Date.now() % 30_000 > 29_000)) {
        this.lastStep = step;
        return hotp(this.key, step);
      }
      await sleep(30_000 - (Date.now() % 30_000) + 50);
    }
  }
  /** A code that is well-formed but wrong. */
  wrong(): string {
    const right = hotp(this.key, totpStep(Date.now()));
    const next = hotp(this.key, totpStep(Date.now()) + 1);
    const prev = hotp(this.key, totpStep(Date.now()) - 1);
    for (let i = 0; ; i++) {
      const c = String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
      if (c !== next && c !== prev) return c;
    }
  }
}

export const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie'] ?? '').split(';')[0];

/** Signs in with the password and then the code; returns a session-bound client. */
export async function logInWithCode(env: TestEnv, email: string, password: string, auth: Authenticator, code?: string): Promise<Api> {
  const api = new Api(env.app);
  const first = await api.post('/api/portal/login', { email, password });
  expect(first.status).toBe(200);
  expect(first.body.two_factor_required).toBe(true);
  const second = await api.post('/api/portal/login/two_factor', { challenge_token: first.body.challenge_token, code: code ?? (await auth.code()) });
  expect(second.status).toBe(200);
  return api.withSession(cookieOf(second), second.body.csrf_token);
}

/** Enrolls a signed-in staff client; returns its authenticator and recovery codes. */
export async function enroll(api: Api): Promise<{ auth: Authenticator; recoveryCodes: string[] }> {
  const start = await api.post('/api/portal/two_factor/enrollment');
  expect(start.status).toBe(200);
  const auth = new Authenticator(start.body.enrollment.secret);
  const done = await api.post('/api/portal/two_factor/enrollment/confirm', { code: await auth.code() });
  expect(done.status).toBe(200);
  return { auth, recoveryCodes: done.body.recovery_codes };
}
