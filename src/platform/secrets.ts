import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** A URL-safe random secret with 256 bits of entropy. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Secrets are stored as SHA-256 digests; they have full entropy, so a fast hash is enough. */
export const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

export const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

// OWASP's argon2id baseline (19 MiB, 2 passes).
// 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const argonOptions = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, argonOptions);

// A real argon2id hash of a random password, made once: unknown accounts are verified against it.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(newSecret()));

/**
 * Verifies a password against its stored hash. An account without one (unknown email, no password
 * set yet) is verified against a dummy hash with the same parameters, so it costs the same time and
 * the answer never tells which accounts exist.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const known = stored !== null;
  try {
    const ok = await verify(known ? stored : await dummy(), password);
    return known && ok;
  } catch {
    return false;
  }
}
