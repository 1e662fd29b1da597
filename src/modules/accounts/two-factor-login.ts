import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { User } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { enforceRateLimits } from '../../platform/rate-limit.js';
import { digest, newSecret } from '../../platform/secrets.js';
import { confirmEnrollment, startEnrollment, verifySecondFactor, type PendingEnrollment, type SecondFactor } from './two-factor.service.js';
import { assertCanLogin } from './users.service.js';

/**
 * The step between the password and the session: the password step hands out a challenge token
 * (random, 256 bits, stored as its SHA-256 digest, 5 minutes, single use, at most 5 wrong codes),
 * and the code step trades it with a valid code for a session.
 */

const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

export type ChallengePurpose = 'verify' | 'enroll';

export async function issueChallenge(db: Executor, userId: number, purpose: ChallengePurpose): Promise<string> {
  const token = newSecret();
  await db.insertInto('login_challenges').values({ user_id: userId, purpose, token_hash: digest(token), expires_at: new Date(Date.now() + CHALLENGE_TTL_MS) }).execute();
  return token;
}

const badChallenge = () => new AppError('Unauthenticated', 'This sign-in has expired; enter your email and password again');
const badCode = () => new AppError('Unauthenticated', 'The code is not correct');

/**
 * Code-step limits, counted before any check (the same rate-limit table as the password step): per
 * address, and per account over 10 minutes and a day, so new challenges do not reset the budget.
 */
async function limitCodeAttempts(ctx: AppContext, ip: string, userId: number | null): Promise<void> {
  await enforceRateLimits(ctx.db, [
    { key: `two-factor:ip:${ip}`, max: 30, windowSeconds: 600 },
    ...(userId !== null
      ? [
          { key: `two-factor:user:${userId}`, max: 10, windowSeconds: 600 },
          { key: `two-factor:user-day:${userId}`, max: 50, windowSeconds: 86_400 },
        ]
      : []),
  ]);
}

async function challengeUser(db: Executor, token: string): Promise<number | null> {
  const row = await db.selectFrom('login_challenges').select('user_id').where('token_hash', '=', digest(token)).executeTakeFirst();
  return row?.user_id ?? null;
}

/**
 * Locks the challenge and checks it is live; the caller finishes inside the same transaction.
 * Tokens are found by their digest, so no comparison of secrets takes place in application code.
 */
async function lockChallenge(tx: Executor, token: string, purpose: ChallengePurpose) {
  const row = await tx.selectFrom('login_challenges').selectAll().where('token_hash', '=', digest(token)).where('purpose', '=', purpose).forUpdate().executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() < Date.now() || row.attempts >= MAX_ATTEMPTS) return null;
  const user = await tx.selectFrom('users').selectAll().where('id', '=', row.user_id).executeTakeFirst();
  if (!user) return null;
  return { row, user };
}

export interface SecondStepResult {
  user: User;
  /** Set after a forced enrollment: the recovery codes, shown once. */
  recoveryCodes?: string[];
}

/** The code step of a sign-in: a TOTP code or a recovery code. */
export async function completeTwoFactorLogin(ctx: AppContext, input: { token: string; factor: SecondFactor; ip: string }): Promise<SecondStepResult> {
  await limitCodeAttempts(ctx, input.ip, await challengeUser(ctx.db, input.token));
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    const live = await lockChallenge(tx, input.token, 'verify');
    if (!live) return { problem: 'challenge' as const };
    if (!(await verifySecondFactor(tx, ctx, live.user.id, input.factor))) {
      // Committed with the failure, so five wrong codes spend the challenge.
      await tx.updateTable('login_challenges').set({ attempts: live.row.attempts + 1 }).where('id', '=', live.row.id).execute();
      return { problem: 'code' as const };
    }
    await tx.updateTable('login_challenges').set({ used_at: new Date() }).where('id', '=', live.row.id).execute();
    return { user: live.user };
  });
  if ('problem' in outcome) throw outcome.problem === 'code' ? badCode() : badChallenge();
  assertCanLogin(outcome.user);
  return { user: outcome.user };
}

/** Forced enrollment during sign-in (an admin requires two-factor): the secret for the app. */
export async function startLoginEnrollment(ctx: AppContext, input: { token: string; ip: string }): Promise<PendingEnrollment> {
  await limitCodeAttempts(ctx, input.ip, null);
  const live = await ctx.db.transaction().execute((tx) => lockChallenge(tx, input.token, 'enroll'));
  if (!live) throw badChallenge();
  assertCanLogin(live.user);
  return startEnrollment(ctx, live.user);
}

/** Forced enrollment, second half: the first code turns two-factor on and opens the session. */
export async function confirmLoginEnrollment(ctx: AppContext, input: { token: string; code: string; ip: string }): Promise<SecondStepResult> {
  await limitCodeAttempts(ctx, input.ip, await challengeUser(ctx.db, input.token));
  const live = await ctx.db.transaction().execute((tx) => lockChallenge(tx, input.token, 'enroll'));
  if (!live) throw badChallenge();
  assertCanLogin(live.user);
  let recoveryCodes: string[];
  try {
    recoveryCodes = await confirmEnrollment(ctx, { user: live.user, code: input.code });
  } catch (e) {
    await ctx.db.updateTable('login_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id', '=', live.row.id).execute();
    throw e;
  }
  // Single use: a second confirm with the same token finds it spent.
  await ctx.db.updateTable('login_challenges').set({ used_at: new Date() }).where('id', '=', live.row.id).execute();
  return { user: live.user, recoveryCodes };
}

/** Spent and expired challenges are useless; the sweep trims them. */
export async function pruneLoginChallenges(db: Executor): Promise<void> {
  await db.deleteFrom('login_challenges').where('expires_at', '<', new Date(Date.now() - 86_400_000)).execute();
}
