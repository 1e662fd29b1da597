import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db.js';
import { digest } from '../../platform/secrets.js';
import { base32Encode } from './two-factor-totp.js';

/**
 * Recovery codes: single-use stand-ins for a code from the authenticator app. Only their SHA-256
 * digests are stored; the codes themselves are shown once, when they are made.
 */

export const RECOVERY_CODE_COUNT = 10;

/** 16 base32 characters (80 random bits) in four groups, e.g. `K7QF-2M4X-PA9R-T3BC`. */
function newRecoveryCode(): string {
  return base32Encode(randomBytes(10)).match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when a code is typed back. */
const normalizeRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/**
 * Replaces all of a user's recovery codes with a fresh set and returns it. Run it in the caller's
 * transaction: the old codes stop working when that commits, not before.
 */
export async function replaceRecoveryCodes(tx: Executor, userId: number): Promise<string[]> {
  await tx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx
    .insertInto('two_factor_recovery_codes')
    .values(codes.map((c) => ({ user_id: userId, code_hash: digest(normalizeRecoveryCode(c)) })))
    .execute();
  return codes;
}

/** Spends one unused recovery code; compare-and-set, so a concurrent second use of it fails. */
export async function spendRecoveryCode(tx: Executor, userId: number, code: string): Promise<boolean> {
  const used = await tx
    .updateTable('two_factor_recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', digest(normalizeRecoveryCode(code)))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}
