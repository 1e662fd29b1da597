import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import type { User } from '../../platform/db-types.js';
import { AppError, invalid } from '../../platform/errors.js';
import { verifyPassword } from '../../platform/secrets.js';
import { replaceRecoveryCodes } from './two-factor-recovery-codes.js';
import { getSecuritySettings, isStaffRole, recordSelfService, verifySecondFactor, type SecondFactor } from './two-factor.service.js';

/**
 * Changes to one's own two-factor that a stolen session alone must not make: turning it off and
 * replacing the recovery codes. Both re-confirm the person with the password and a current code
 * (or a recovery code).
 */

export interface Reconfirmation {
  user: User;
  password: string;
  factor: SecondFactor;
}

type Refusal = 'not_staff' | 'off' | 'password' | 'required' | 'code';

/**
 * Runs `work` in the transaction that checked the password and the second factor, under the lock of
 * the account's two-factor row (a concurrent disable or regeneration waits, then sees the result).
 * Refusals are returned out of the transaction rather than thrown in it, so a code spent on a request
 * that fails later stays spent (the compare-and-set commits).
 */
async function withReconfirmation<T>(ctx: AppContext, input: Reconfirmation & { refuseWhileRequired: boolean }, work: (tx: Tx) => Promise<T>): Promise<T> {
  // Argon2 is slow on purpose: verify before the transaction so no row lock is held while it runs.
  const fresh = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', input.user.id).executeTakeFirstOrThrow();
  const passwordOk = await verifyPassword(fresh.password_hash, input.password);
  const outcome = await ctx.db.transaction().execute(async (tx): Promise<{ refusal: Refusal } | { refusal: null; value: T }> => {
    const row = await tx.selectFrom('user_two_factor').select('enabled_at').where('user_id', '=', input.user.id).forUpdate().executeTakeFirst();
    // End users cannot enroll, so for them this is the same refusal as enrollment's. (A demoted agent
    // who still has two-factor on gets through, and can turn it off.)
    if (!row?.enabled_at) return { refusal: isStaffRole(input.user.role) ? 'off' : 'not_staff' };
    if (!passwordOk) return { refusal: 'password' };
    if (input.refuseWhileRequired && isStaffRole(input.user.role) && (await getSecuritySettings(tx)).requireTwoFactorForStaff) return { refusal: 'required' };
    if (!(await verifySecondFactor(tx, ctx, input.user.id, input.factor))) return { refusal: 'code' };
    return { refusal: null, value: await work(tx) };
  });
  if (outcome.refusal === null) return outcome.value;
  throw refusalError(outcome.refusal);
}

function refusalError(refusal: Refusal): AppError {
  switch (refusal) {
    case 'not_staff':
      return new AppError('Forbidden', 'Two-factor authentication is for agents and administrators');
    case 'off':
      return new AppError('Conflict', 'Two-factor authentication is not on');
    case 'password':
      return invalid('password', 'Password: is incorrect');
    case 'required':
      return new AppError('Forbidden', 'An administrator requires two-factor authentication for agents and admins');
    case 'code':
      return invalid('code', 'Code: is not correct or was already used', 'InvalidCode');
  }
}

/** Turning two-factor off takes the password and a code (or recovery code); enforced staff cannot. */
export async function disableTwoFactor(ctx: AppContext, input: Reconfirmation): Promise<void> {
  await withReconfirmation(ctx, { ...input, refuseWhileRequired: true }, async (tx) => {
    await tx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', input.user.id).execute();
    await tx.deleteFrom('user_two_factor').where('user_id', '=', input.user.id).execute();
    await recordSelfService(tx, input.user, 'two_factor_off', 'Two-factor authentication turned off by the account holder');
  });
}

/**
 * A new set of recovery codes (shown once) for an account with two-factor on; the old ones, used or
 * not, stop working in the same transaction. The authenticator and the sessions stay as they are.
 */
export async function regenerateRecoveryCodes(ctx: AppContext, input: Reconfirmation): Promise<string[]> {
  return withReconfirmation(ctx, { ...input, refuseWhileRequired: false }, async (tx) => {
    const codes = await replaceRecoveryCodes(tx, input.user.id);
    await recordSelfService(tx, input.user, 'recovery_codes_replaced', 'New recovery codes; the old ones stopped working');
    return codes;
  });
}
