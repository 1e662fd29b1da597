import { createHmac, hkdfSync } from 'node:crypto';
import { cachedConfig } from './config-cache.js';
import type { Executor } from './db.js';
import { newSecret, sameSecret } from './secrets.js';

const readSigningKey = async (db: Executor) => (await db.selectFrom('settings').select('value').where('key', '=', 'signing_key').executeTakeFirst()) ?? null;

/**
 * The deployment's signing key, created once in the database so every node signs alike and links
 * survive restarts. Stored in settings; never leaves the server.
 */
async function signingKey(db: Executor): Promise<string> {
  let row = await cachedConfig(db, 'signing-key', readSigningKey);
  if (!row) {
    await db
      .insertInto('settings')
      .values({ key: 'signing_key', value: JSON.stringify(newSecret()) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    row = await db.selectFrom('settings').select('value').where('key', '=', 'signing_key').executeTakeFirstOrThrow();
  }
  return row.value as string;
}

/** A URL-safe signature of `purpose:id`, for links that act without a session (acknowledge a page). */
export async function signId(db: Executor, purpose: string, id: number): Promise<string> {
  return createHmac('sha256', await signingKey(db)).update(`${purpose}:${id}`).digest('base64url');
}

export async function validSignedId(db: Executor, purpose: string, id: number, signature: unknown): Promise<boolean> {
  return typeof signature === 'string' && sameSecret(await signId(db, purpose, id), signature);
}

/**
 * A 256-bit key for one purpose (e.g. encrypting two-factor secrets), derived from the signing key
 * with HKDF so purposes never share key material.
 */
export async function derivedKey(db: Executor, purpose: string): Promise<Buffer> {
  return Buffer.from(hkdfSync('sha256', await signingKey(db), Buffer.alloc(0), `sundial:${purpose}`, 32));
}
