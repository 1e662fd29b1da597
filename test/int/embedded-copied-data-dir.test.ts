import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/embedded-postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'sundial-copied-dir-'));
const bystander = spawn('sleep', ['120']);
afterAll(() => {
  bystander.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('starts on a copied DATA_DIR whose pid file names another directory, leaving that process alone', async () => {
  const first = await startEmbeddedPostgres(dir);
  await first.stop();
  // What a copy of a running deployment's DATA_DIR holds: the original's pid file, naming the original
  // directory and a live process (here a bystander standing in for the original's postmaster).
  writeFileSync(join(dir, 'postgres', 'postmaster.pid'), `${bystander.pid}\n/srv/original/data/postgres\n`);
  const copy = await startEmbeddedPostgres(dir);
  try {
    const client = new pg.Client({ connectionString: copy.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
    await client.end();
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
  } finally {
    await copy.stop();
  }
});
