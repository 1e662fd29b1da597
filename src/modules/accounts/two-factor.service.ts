import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { User } from '../../platform/db-types.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { auditSourceOfSelf } from '../audit-log/audit-context.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { openSecret, sealSecret } from './two-factor-secrets.js';
import { replaceRecoveryCodes, spendRecoveryCode } from './two-factor-recovery-codes.js';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri, totpStep } from './two-factor-totp.js';

/**
 * Two-factor authentication (TOTP) for agents and admins: enrollment confirmed by a first code,
 * ten single-use recovery codes, replay protection, an admin reset, and the desk-wide "require
 * two-factor for staff" setting. Turning it off and new recovery codes: two-factor-reconfirm.ts.
 */

const ISSUER = 'Sundial';

export const isStaffRole = (role: User['role']) => role === 'agent' || role === 'admin';

// ---- desk-wide setting -------------------------------------------------------------------------

export interface SecuritySettings {
  requireTwoFactorForStaff: boolean;
}
const storedSettings = z.object({ require_two_factor_for_staff: z.boolean().catch(false) });

export async function getSecuritySettings(db: Executor): Promise<SecuritySettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'security').executeTakeFirst();
  return { requireTwoFactorForStaff: row ? storedSettings.parse(row.value ?? {}).require_two_factor_for_staff : false };
}

/**
 * Turning enforcement on requires the admin's own account to use two-factor already, so the admin
 * who flips it is never the first one locked into enrollment. Staff sessions without two-factor stop
 * working at once (authenticate.ts): they sign in again and enroll.
 */
export async function saveSecuritySettings(ctx: AppContext, input: { actor: User; requireTwoFactorForStaff: boolean }): Promise<SecuritySettings> {
  return ctx.db.transaction().execute(async (tx) => {
    const before = await getSecuritySettings(tx);
    if (input.requireTwoFactorForStaff && !(await twoFactorStatus(tx, input.actor.id)).enabled) {
      throw invalid('require_two_factor_for_staff', 'Require two-factor for staff: turn on two-factor authentication for your own account first', 'TwoFactorNotEnabled');
    }
    const value = JSON.stringify({ require_two_factor_for_staff: input.requireTwoFactorForStaff });
    await tx
      .insertInto('settings')
      .values({ key: 'security', value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
      .execute();
    if (before.requireTwoFactorForStaff !== input.requireTwoFactorForStaff) {
      await recordAdminAction(tx, {
        action: input.requireTwoFactorForStaff ? 'two_factor_enforcement_on' : 'two_factor_enforcement_off',
        sourceType: 'security_settings',
        sourceLabel: 'Require two-factor authentication for agents and admins',
        change: `Require two-factor for staff: ${before.requireTwoFactorForStaff} → ${input.requireTwoFactorForStaff}`,
        before: { require_two_factor_for_staff: before.requireTwoFactorForStaff },
        after: { require_two_factor_for_staff: input.requireTwoFactorForStaff },
      });
    }
    return { requireTwoFactorForStaff: input.requireTwoFactorForStaff };
  });
}

// ---- status ------------------------------------------------------------------------------------

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesRemaining: number;
}

export async function twoFactorStatus(db: Executor, userId: number): Promise<TwoFactorStatus> {
  const row = await db.selectFrom('user_two_factor').select('enabled_at').where('user_id', '=', userId).executeTakeFirst();
  const enabledAt = row?.enabled_at ?? null;
  if (!enabledAt) return { enabled: false, enabledAt: null, recoveryCodesRemaining: 0 };
  const codes = await db
    .selectFrom('two_factor_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { enabled: true, enabledAt, recoveryCodesRemaining: Number(codes.n) };
}

/**
 * What the sign-in needs after the password: nothing, a code, or enrollment (staff, enforced).
 * One round trip: it also runs on every staff session request (authenticate.ts).
 */
export async function secondFactorNeeded(db: Executor, user: Pick<User, 'id' | 'role'>): Promise<'none' | 'verify' | 'enroll'> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('user_two_factor').select('user_id').where('user_id', '=', user.id).where('enabled_at', 'is not', null)).as('enabled'),
      eb
        .exists(eb.selectFrom('settings').select('key').where('key', '=', 'security').where(sql<boolean>`value->>'require_two_factor_for_staff' = 'true'`))
        .as('required'),
    ])
    .executeTakeFirstOrThrow();
  if (row.enabled) return 'verify';
  if (row.required && isStaffRole(user.role)) return 'enroll';
  return 'none';
}

// ---- enrollment --------------------------------------------------------------------------------

export interface PendingEnrollment {
  secret: string;
  otpauthUri: string;
}

/** Starts (or restarts) enrollment: a new secret, shown now and never again once confirmed. */
export async function startEnrollment(ctx: AppContext, user: User): Promise<PendingEnrollment> {
  if (!isStaffRole(user.role)) throw new AppError('Forbidden', 'Two-factor authentication is for agents and administrators');
  return ctx.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('user_two_factor').select('enabled_at').where('user_id', '=', user.id).forUpdate().executeTakeFirst();
    if (existing?.enabled_at) throw new AppError('Conflict', 'Two-factor authentication is already on; turn it off first to enroll a new authenticator');
    const secret = newTotpSecret();
    const sealed = await sealSecret(tx, user.id, secret);
    await tx
      .insertInto('user_two_factor')
      .values({ user_id: user.id, secret_encrypted: sealed, enabled_at: null, last_used_step: null })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_encrypted: sealed, enabled_at: null, last_used_step: null, updated_at: new Date() }))
      .execute();
    const base32 = base32Encode(secret);
    return { secret: base32, otpauthUri: otpauthUri(base32, user.email, ISSUER) };
  });
}

/**
 * Confirms enrollment with a first code from the app, turns two-factor on and returns the recovery
 * codes (shown once: only their digests are kept). Other sessions of the account end, since they
 * were opened with the password alone.
 */
export async function confirmEnrollment(ctx: AppContext, input: { user: User; code: string; keepSessionId?: number }): Promise<string[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('user_two_factor').selectAll().where('user_id', '=', input.user.id).forUpdate().executeTakeFirst();
    if (!row) throw invalid('code', 'Code: start enrollment first', 'EnrollmentNotStarted');
    if (row.enabled_at) throw new AppError('Conflict', 'Two-factor authentication is already on');
    const step = matchTotp(await openSecret(tx, input.user.id, row.secret_encrypted), input.code.trim(), ctx.clock.now().getTime());
    if (step === null) throw invalid('code', 'Code: is not correct; check the time on your device and enter the current code', 'InvalidCode');
    await tx.updateTable('user_two_factor').set({ enabled_at: new Date(), last_used_step: step, updated_at: new Date() }).where('user_id', '=', input.user.id).execute();
    const codes = await replaceRecoveryCodes(tx, input.user.id);
    await recordSelfService(tx, input.user, 'two_factor_on', 'Two-factor authentication turned on; other sessions ended');
    await tx
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', input.user.id)
      .where('revoked_at', 'is', null)
      .$if(input.keepSessionId !== undefined, (q) => q.where('id', '<>', input.keepSessionId!))
      .execute();
    return codes;
  });
}

/**
 * Staff turning their own two-factor on or off, or replacing recovery codes, is in the audit log like
 * an admin's reset: a security review asks when an account's second factor changed, and who did it.
 */
export function recordSelfService(tx: Executor, user: Pick<User, 'id' | 'email'>, action: 'two_factor_on' | 'two_factor_off' | 'recovery_codes_replaced', change: string) {
  const state = { two_factor_on: ['off', 'on'], two_factor_off: ['on', 'off'], recovery_codes_replaced: ['on', 'on'] }[action];
  return recordAdminAction(tx, { action, sourceType: 'user', sourceId: user.id, sourceLabel: user.email, change, before: { two_factor: state[0] }, after: { two_factor: state[1] } }, auditSourceOfSelf(user));
}

// ---- verification ------------------------------------------------------------------------------

export type SecondFactor = { code: string } | { recoveryCode: string };

/**
 * Checks a TOTP code (each time step works once: the step is stored with compare-and-set, so a
 * replayed or concurrent second use fails) or a recovery code (single use, also compare-and-set).
 */
export async function verifySecondFactor(tx: Executor, ctx: AppContext, userId: number, factor: SecondFactor): Promise<boolean> {
  if ('recoveryCode' in factor) return spendRecoveryCode(tx, userId, factor.recoveryCode);
  const row = await tx.selectFrom('user_two_factor').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row?.enabled_at) return false;
  const now = ctx.clock.now().getTime();
  const step = matchTotp(await openSecret(tx, userId, row.secret_encrypted), factor.code.trim(), now);
  if (step === null) return false;
  const claimed = await tx
    .updateTable('user_two_factor')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** The step a code of `now` falls in; exported for tests that wait for a fresh code. */
export const currentStep = (ctx: AppContext) => totpStep(ctx.clock.now().getTime());

// ---- admin reset -------------------------------------------------------------------------------

/**
 * An admin turns off a user's two-factor (lost phone and recovery codes): the authenticator and
 * codes are deleted and every session ends; the user signs in with the password (and enrolls again
 * where it is required).
 */
export async function resetTwoFactor(ctx: AppContext, input: { userId: number }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('users').select(['id', 'email']).where('id', '=', input.userId).executeTakeFirst();
    if (!user) throw notFound();
    const row = await tx.selectFrom('user_two_factor').select('enabled_at').where('user_id', '=', user.id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('Conflict', 'This user has no two-factor authentication to reset');
    await tx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', user.id).execute();
    await tx.deleteFrom('user_two_factor').where('user_id', '=', user.id).execute();
    await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    await recordAdminAction(tx, {
      action: 'two_factor_reset',
      sourceType: 'user',
      sourceId: user.id,
      sourceLabel: user.email,
      change: 'Two-factor authentication reset; sessions ended',
      before: { two_factor: row.enabled_at ? 'on' : 'enrolling' },
      after: { two_factor: 'off' },
    });
  });
}
