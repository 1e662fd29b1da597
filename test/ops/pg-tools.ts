import pg from 'pg';
import { run } from './sundial-process.js';

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, name: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one query on a short-lived connection. */
export async function query<R extends pg.QueryResultRow = any>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function serverMajor(url: string): Promise<number> {
  return Math.floor(Number((await query(url, 'SHOW server_version_num'))[0].server_version_num) / 10000);
}

/** Major version of the pg_dump on PATH (the README's command). */
export async function pgDumpMajor(): Promise<number> {
  const { stdout } = await run('pg_dump', ['--version']);
  return Number(/(\d+)\.\d+/.exec(stdout)![1]);
}

/**
 * A server this machine's pg_dump can dump: pg_dump refuses servers newer than itself, and the embedded
 * PostgreSQL (17) ships no pg_dump. The test run's own server when it qualifies (TEST_DATABASE_URL on
 * PostgreSQL 15), otherwise PG_DUMP_SERVER_URL or the local server CI always runs at 127.0.0.1:5432.
 */
export async function dumpableServer(runServerUrl: string): Promise<{ url: string; version: number; dumpVersion: number }> {
  const dumpVersion = await pgDumpMajor();
  const candidates = [runServerUrl, process.env.PG_DUMP_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'];
  const seen: string[] = [];
  for (const url of candidates) {
    const version = await serverMajor(url).catch((e: Error) => (seen.push(`${new URL(url).host}: ${e.message}`), null));
    if (version === null) continue;
    if (version <= dumpVersion) return { url, version, dumpVersion };
    seen.push(`${new URL(url).host}: PostgreSQL ${version}`);
  }
  throw new Error(`pg_dump ${dumpVersion} cannot dump any server it was given (${seen.join('; ')}): set PG_DUMP_SERVER_URL to a PostgreSQL ≤ ${dumpVersion}`);
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await query(serverUrl, `CREATE DATABASE ${name}`);
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await query(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Runs an operator's shell command line with the given variables; throws with its stderr on failure. */
export async function shell(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run('/bin/sh', ['-ec', script], { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Waits until the job queue has nothing due apart from the once-a-minute sweeps, so the state read next
 * does not change under the reader (routing, triggers and mail of the last writes have run).
 */
export async function waitForQuietQueue(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await query(url, `SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now() AND name NOT LIKE '%.tick' AND name NOT LIKE '%-sweep'`);
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`${n} jobs still due after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
