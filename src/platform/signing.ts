import { createHmac } from 'node:crypto';
import type { Executor } from './db.js';
import { newSecret, sameSecret } from './secrets.js';

let cached: { db: Executor; key: string } | null = null;

/**
 * The deployment's signing key, created once in the database so every node signs alike and links
 * survive restarts. Stored in settings; never leaves the server.
 */
async function signingKey(db: Executor): Promise<string> {
  if (cached?.db === db) return cached.key;
  await db
    .insertInto('settings')
    .values({ key: 'signing_key', value: JSON.stringify(newSecret()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'signing_key').executeTakeFirstOrThrow();
  cached = { db, key: row.value as string };
  return cached.key;
}

/** A URL-safe signature of `purpose:id`, for links that act without a session (acknowledge a page). */
export async function signId(db: Executor, purpose: string, id: number): Promise<string> {
  return createHmac('sha256', await signingKey(db)).update(`${purpose}:${id}`).digest('base64url');
}

export async function validSignedId(db: Executor, purpose: string, id: number, signature: unknown): Promise<boolean> {
  return typeof signature === 'string' && sameSecret(await signId(db, purpose, id), signature);
}
