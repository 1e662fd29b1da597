import type { Db } from '../../platform/db.js';

/** Placeholder replaced below by the real generator. */
export async function seedDemo(_db: Db): Promise<string> {
  throw new Error('seed-demo is being written');
}
