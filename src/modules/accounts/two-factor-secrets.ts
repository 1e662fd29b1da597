import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db.js';
import { derivedKey } from '../../platform/signing.js';

/**
 * TOTP secrets are stored sealed with AES-256-GCM under a key derived from the deployment's signing
 * key: a copy of the table alone (a dump of one table, a log of a row) does not give the secrets away.
 * Format: `v1.<iv>.<tag>.<ciphertext>` in base64url; the user id is bound in as associated data, so a
 * sealed secret copied to another account does not open.
 */
const PURPOSE = 'two-factor-secret';

export async function sealSecret(db: Executor, userId: number, secret: Buffer): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await derivedKey(db, PURPOSE), iv);
  cipher.setAAD(Buffer.from(`user:${userId}`));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export async function openSecret(db: Executor, userId: number, sealed: string): Promise<Buffer> {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('Unknown two-factor secret format');
  const decipher = createDecipheriv('aes-256-gcm', await derivedKey(db, PURPOSE), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`user:${userId}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
}
