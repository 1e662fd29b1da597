import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from './db-url.js';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import { startSundial, type RunningSundial } from '../src/server.js';
import { MailCatcher } from './mail-catcher.js';
import type { Clock } from '../src/platform/clock.js';

export interface TestEnv extends RunningSundial {
  mail: MailCatcher;
  config: Config;
  databaseUrl: string;
  dataDir: string;
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const server = inject('pgServerUrl');
  const template = inject('templateDb');
  const name = `${template.replace('sundial_tpl_', 'sundial_t_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return withDatabase(server, name);
}

/**
 * A complete Sundial node for one test file: its own database, data directory and SMTP catcher,
 * real job workers. `env` overrides configuration (for example AUTO_CLOSE_AFTER).
 */
export async function startTestApp(env: Record<string, string> = {}, options: { listen?: boolean; databaseUrl?: string; clock?: Clock; workers?: boolean } = {}): Promise<TestEnv> {
  // Passing another node's databaseUrl makes a second node of the same deployment.
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const mail = await new MailCatcher().start();
  const dataDir = mkdtempSync(join(tmpdir(), 'sundial-test-data-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SMTP_URL: mail.url,
    PUBLIC_URL: 'http://sundial.test',
    JOB_POLL_SECONDS: '0.5',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    // The built-in SMTP server stays off unless a test asks for it (nodes would share port 2525).
    SMTP_INBOUND_PORT: '0',
    // Tests fire many requests as one user; rate-limit tests set small limits themselves.
    API_RATE_LIMIT: '1000000',
    API_RATE_LIMIT_INCREMENTAL: '1000000',
    API_RATE_LIMIT_SEARCH_EXPORT: '1000000',
    API_RATE_LIMIT_TICKET_UPDATES: '1000000',
    API_RATE_LIMIT_TICKET_DELETES: '1000000',
    ...env,
  });
  const node = await startSundial(config, { logger: false, listen: options.listen ?? false, clock: options.clock, workers: options.workers });
  return {
    ...node,
    mail,
    config,
    databaseUrl,
    dataDir,
    async close() {
      await node.close();
      await mail.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
