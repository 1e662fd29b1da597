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

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so unknown accounts cannot be told apart by timing.
    await hash(password, argonOptions);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
