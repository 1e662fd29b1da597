import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from './db-url.js';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/platform/db.js';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.js';
import { JobQueue } from '../src/platform/jobs.js';
import { migrateToLatest } from '../src/platform/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL server (any database on it); tests create their databases from the template. */
    pgServerUrl: string;
    templateDb: string;
  }
}

/**
 * One PostgreSQL for the run: the machine's (TEST_DATABASE_URL) or an embedded one. The schema and the
 * job queue's tables are built once in a template database; every test file clones it in milliseconds.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let tmp: string | null = null;
  if (!serverUrl) {
    tmp = mkdtempSync(join(tmpdir(), 'sundial-test-pg-'));
    const embedded = await startEmbeddedPostgres(tmp);
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const version = (await admin.query('SHOW server_version')).rows[0].server_version;
  const template = `sundial_tpl_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const { db } = createDb(withDatabase(serverUrl, template));
  await migrateToLatest(db);
  await db.destroy();
  const jobs = await JobQueue.start(withDatabase(serverUrl, template), 1);
  await jobs.stop();
  console.log(`Tests run on PostgreSQL ${version} (${stopEmbedded ? 'embedded' : 'TEST_DATABASE_URL'})`);

  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDb', template);

  return async () => {
    const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`sundial_t_${process.pid}_%`, template]);
    for (const row of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await admin.end();
    if (stopEmbedded) await stopEmbedded();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
}
