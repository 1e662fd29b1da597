import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import type { HelpDeskManifest } from './fill-help-desk.js';
import { createDatabase } from './pg-tools.js';
import { run } from './sundial-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'upgrade');

/** What scripts/make-upgrade-snapshot.sh recorded beside a snapshot. */
export interface SnapshotInfo {
  commit: string;
  subject: string;
  pg_dump: number;
  migrations: string[];
  counts: Record<string, number>;
  manifest: HelpDeskManifest;
}

/** Every snapshot under test/fixtures/upgrade, oldest release first by its last migration. */
export function snapshotNames(): string[] {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.sql.gz'))
    .map((f) => f.slice(0, -'.sql.gz'.length))
    .sort();
}

export const snapshotInfo = (name: string): SnapshotInfo => JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8'));

/** The migrations of this checkout, by name. */
export const currentMigrations = () =>
  readdirSync(join(root, 'db', 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();

/**
 * Loads a snapshot (plain SQL from pg_dump 15 without owners or meta-commands) into a new database
 * through the pg client, in one transaction; it must load on PostgreSQL 15 and 17 alike.
 */
export async function loadSnapshot(serverUrl: string, name: string, database: string): Promise<string> {
  const sql = gunzipSync(readFileSync(join(fixtures, `${name}.sql.gz`))).toString('utf8');
  const meta = /^\\.*$/m.exec(sql);
  if (meta) throw new Error(`${name}.sql.gz holds the psql meta-command "${meta[0].slice(0, 40)}": remake it with scripts/make-upgrade-snapshot.sh`);
  // pg_dump 17 writes settings PostgreSQL 15 does not know; snapshots must come from pg_dump 15.
  if (/^SET transaction_timeout/m.test(sql)) throw new Error(`${name}.sql.gz was dumped by pg_dump 17+: PostgreSQL 15 cannot load it`);
  const url = await createDatabase(serverUrl, database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`BEGIN; ${sql}; COMMIT;`);
  } finally {
    await client.end();
  }
  return url;
}

/** Unpacks the snapshot's attachment files into DATA_DIR (as the release stored them). */
export async function extractAttachments(name: string, dataDir: string): Promise<void> {
  await run('tar', ['xzf', join(fixtures, `${name}.attachments.tgz`), '-C', dataDir]);
}
