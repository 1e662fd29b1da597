import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { User } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { digest, hashPassword, newSecret, verifyPassword } from '../../platform/secrets.js';
import { queueMail } from '../mail/outbox.js';
import { existingAccountMail, inviteMail, resetMail, verificationMail } from './account-mail.js';
import { assertCanLogin, createUser, findUserByEmail, setPassword } from './users.service.js';
import { issueChallenge, type ChallengePurpose } from './two-factor-login.js';
import { secondFactorNeeded } from './two-factor.service.js';

const LINK_TTL_MS = 24 * 3_600_000;
const SESSION_TTL_MS = 30 * 24 * 3_600_000;

/** Issues a single-use link token; any older unused token of the same purpose stops working. */
async function issueToken(tx: Executor, userId: number, purpose: 'verify' | 'reset'): Promise<string> {
  await tx
    .updateTable('user_tokens')
    .set({ voided_at: new Date() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .execute();
  const token = newSecret();
  await tx.insertInto('user_tokens').values({ user_id: userId, purpose, token_hash: digest(token), expires_at: new Date(Date.now() + LINK_TTL_MS) }).execute();
  return token;
}

export type TokenProblem = 'invalid' | 'expired' | 'used';

/** Consumes a link token under a row lock, so a double click cannot use it twice. */
async function consumeToken(tx: Executor, token: string, purpose: 'verify' | 'reset'): Promise<{ userId: number } | { problem: TokenProblem }> {
  const row = await tx.selectFrom('user_tokens').selectAll().where('token_hash', '=', digest(token)).where('purpose', '=', purpose).forUpdate().executeTakeFirst();
  if (!row) return { problem: 'invalid' };
  if (row.used_at || row.voided_at) return { problem: 'used' };
  if (row.expires_at.getTime() < Date.now()) return { problem: 'expired' };
  await tx.updateTable('user_tokens').set({ used_at: new Date() }).where('id', '=', row.id).execute();
  return { userId: row.user_id };
}

const link = (ctx: AppContext, path: string, token: string) => `${ctx.config.publicUrl}${path}?token=${encodeURIComponent(token)}`;

/**
 * Sign-up answers the same whatever the email: a new address gets a verification link, a known one a
 * mail to its owner with a password link (the password typed here is not applied to someone else's account).
 */
export async function signUp(ctx: AppContext, input: { name: string; email: string; password: string }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const existing = await findUserByEmail(tx, input.email);
    if (existing) {
      // Hash the typed password anyway: a new account costs one argon2 hash, so a known address must too.
      await hashPassword(input.password);
      if (!existing.active) return;
      const token = await issueToken(tx, existing.id, 'reset');
      await queueMail(tx, mailContext(ctx), existingAccountMail(existing, link(ctx, '/reset-password', token)));
      return;
    }
    const user = await createUser(tx, { name: input.name, email: input.email, password: input.password, role: 'end-user' });
    const token = await issueToken(tx, user.id, 'verify');
    await queueMail(tx, mailContext(ctx), verificationMail(user, link(ctx, '/api/portal/verify', token)));
  });
}

export async function verifyEmail(ctx: AppContext, token: string): Promise<{ ok: true } | { problem: TokenProblem }> {
  return ctx.db.transaction().execute(async (tx) => {
    const result = await consumeToken(tx, token, 'verify');
    if ('problem' in result) return result;
    await tx.updateTable('users').set({ verified: true, updated_at: new Date() }).where('id', '=', result.userId).execute();
    return { ok: true as const };
  });
}

export async function resendVerification(ctx: AppContext, user: User): Promise<void> {
  if (user.verified) return;
  await ctx.db.transaction().execute(async (tx) => {
    const token = await issueToken(tx, user.id, 'verify');
    await queueMail(tx, mailContext(ctx), verificationMail(user, link(ctx, '/api/portal/verify', token)));
  });
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: User;
}

/** A password sign-in either opens a session or asks for the second step (code, or enrollment). */
export type LogInResult = { session: NewSession } | { challenge: { token: string; purpose: ChallengePurpose; user: User } };

/**
 * Checks the password (an unknown email costs the same argon2 verification as a known one), then
 * either opens a session or, for two-factor accounts and enforced staff, issues a challenge token.
 */
export async function logIn(ctx: AppContext, input: { email: string; password: string; replacesSessionId?: number }): Promise<LogInResult> {
  const user = await findUserByEmail(ctx.db, input.email);
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok) throw new AppError('Unauthenticated', 'Invalid email or password');
  assertCanLogin(user);
  const needed = await secondFactorNeeded(ctx.db, user);
  if (needed !== 'none') return { challenge: { token: await issueChallenge(ctx.db, user.id, needed), purpose: needed, user } };
  return { session: await openSession(ctx, user, input.replacesSessionId) };
}

/**
 * A new session with a new random id at every sign-in (no session fixation); the session the
 * browser came with, if any, ends.
 */
export async function openSession(ctx: AppContext, user: User, replacesSessionId?: number): Promise<NewSession> {
  const token = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await ctx.db.transaction().execute(async (tx) => {
    if (replacesSessionId !== undefined) await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', replacesSessionId).where('revoked_at', 'is', null).execute();
    await tx.insertInto('sessions').values({ user_id: user.id, token_hash: digest(token), csrf_token: csrfToken, expires_at: expiresAt }).execute();
    await tx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
  });
  return { token, csrfToken, expiresAt, user };
}

export async function logOut(ctx: AppContext, sessionId: number): Promise<void> {
  await ctx.db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute();
}

/** Same answer for unknown addresses; unverified users may use it to verify (owning the mailbox proves it). */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || !user.active) return;
    const token = await issueToken(tx, user.id, 'reset');
    await queueMail(tx, mailContext(ctx), resetMail(user, link(ctx, '/reset-password', token)));
  });
}

/** Sets the new password, verifies the address, and ends every session of the account. */
export async function confirmPasswordReset(ctx: AppContext, input: { token: string; password: string }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const result = await consumeToken(tx, input.token, 'reset');
    if ('problem' in result) {
      const why = { invalid: 'is not valid', expired: 'has expired; ask for a new one', used: 'has already been used or was replaced by a newer one' }[result.problem];
      throw new AppError('RecordInvalid', 'Record validation errors', { token: [{ description: `Token: this reset link ${why}`, error: result.problem === 'expired' ? 'Expired' : 'InvalidValue' }] });
    }
    await setPassword(tx, result.userId, input.password);
    await tx.updateTable('users').set({ verified: true }).where('id', '=', result.userId).execute();
  });
}

export async function changePassword(ctx: AppContext, input: { user: User; sessionId?: number; currentPassword: string; password: string }): Promise<void> {
  const fresh = await findUserByEmail(ctx.db, input.user.email);
  if (!fresh || !(await verifyPassword(fresh.password_hash, input.currentPassword))) {
    throw new AppError('RecordInvalid', 'Record validation errors', { current_password: [{ description: 'Current password: is incorrect', error: 'InvalidValue' }] });
  }
  await ctx.db.transaction().execute((tx) => setPassword(tx, fresh.id, input.password, input.sessionId));
}

/** Mails a new account a single-use link to choose its password (which also verifies the address). */
export async function inviteUser(tx: Executor, ctx: AppContext, user: User): Promise<void> {
  const token = await issueToken(tx, user.id, 'reset');
  await queueMail(tx, mailContext(ctx), inviteMail(user, link(ctx, '/reset-password', token)));
}
