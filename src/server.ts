import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { FileBlobStore } from './platform/blob-store.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { AppContext } from './platform/context.js';
import { createDb, type Db } from './platform/db.js';
import { pidAlive, startEmbeddedPostgres, type EmbeddedDatabase } from './platform/embedded-postgres.js';
import { JobQueue } from './platform/jobs.js';
import { LiveHub } from './platform/live.js';
import { startInboundSmtp } from './modules/mail/inbound/smtp-server.js';
import { createMailTransport } from './platform/mail-transport.js';
import { migrateToLatest } from './platform/migrate.js';
import { startWorkers } from './modules/jobs.js';

export interface Database {
  url: string;
  db: Db;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

const runningFile = (dataDir: string) => join(dataDir, 'embedded-postgres.json');

/**
 * DATABASE_URL when set. Otherwise the embedded PostgreSQL under DATA_DIR: started here, or, for
 * one-off commands (`attachToRunning`), reached through the URL a running server published, so that
 * create-admin works next to a running server.
 */
export async function openDatabase(
  config: Config,
  options: { log?: (m: string) => void; attachToRunning?: boolean; serving?: boolean } = {},
): Promise<Database> {
  const log = options.log ?? (() => {});
  let url = config.databaseUrl;
  let embedded: EmbeddedDatabase | null = null;
  if (!url) {
    const published = existsSync(runningFile(config.dataDir)) ? (JSON.parse(readFileSync(runningFile(config.dataDir), 'utf8')) as { url: string; pid: number }) : null;
    // Only one-off commands attach; a second server on the same DATA_DIR must fail on the lock instead.
    if (options.attachToRunning && published && published.pid !== process.pid && pidAlive(published.pid)) {
      url = published.url;
    } else {
      embedded = await startEmbeddedPostgres(config.dataDir, log);
      url = embedded.url;
      writeFileSync(runningFile(config.dataDir), JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });
    }
  }
  // Migrations may rebuild a large table for minutes: they run without the serving statement timeout.
  const migrator = createDb(url, { max: 1, connectTimeoutMs: config.databaseConnectTimeoutMs });
  try {
    await migrateToLatest(migrator.db);
  } finally {
    await migrator.db.destroy();
  }
  const { db } = createDb(url, {
    max: config.databasePoolSize,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: options.serving ? config.databaseStatementTimeoutMs : undefined,
  });
  return {
    url,
    db,
    embedded,
    async close() {
      await db.destroy();
      if (embedded) {
        rmSync(runningFile(config.dataDir), { force: true });
        await embedded.stop();
      }
    },
  };
}

export interface RunningSundial {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  /** Port of the built-in inbound SMTP server, or null when it is off. */
  smtpPort: number | null;
  close(): Promise<void>;
}

/** Boots one stateless node: database, migrations, job queue, workers, HTTP. */
export async function startSundial(config: Config, options: { logger?: boolean; listen?: boolean; workers?: boolean; clock?: Clock } = {}): Promise<RunningSundial> {
  const log = (m: string) => options.logger !== false && console.log(m);
  const database = await openDatabase(config, { log, serving: true });
  let jobs: JobQueue | null = null;
  const live = new LiveHub(database.url);
  let app: FastifyInstance | null = null;
  let ctx: AppContext;
  let url = '';
  let smtp: Awaited<ReturnType<typeof startInboundSmtp>> = null;
  try {
    jobs = await JobQueue.start(database.url, config.jobPollSeconds);
    await live.start();
    ctx = { config, db: database.db, jobs, live, clock: options.clock ?? systemClock, blobs: new FileBlobStore(join(config.dataDir, 'attachments')) };
    if (options.workers !== false) await startWorkers(ctx, createMailTransport(config.smtpUrl, config.dataDir));
    app = await buildApp(ctx, { logger: options.logger === false ? false : { level: config.logLevel }, trustProxy: config.trustProxy });
    smtp = await startInboundSmtp(ctx);
    // Listening comes last: once HTTP answers, the node is fully up.
    if (options.listen !== false) url = await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    // A node that cannot serve (port taken, database refused) must not leave its database running.
    await app?.close().catch(() => {});
    await smtp?.close().catch(() => {});
    await jobs?.stop().catch(() => {});
    await live.stop();
    await database.close().catch(() => {});
    throw e;
  }
  if (!config.smtpUrl) log(`Mail is written to ${join(config.dataDir, 'mail')} (set SMTP_URL to send it).`);
  let closing: Promise<void> | null = null;
  const running = { app: app!, jobs: jobs! };
  return {
    app: running.app,
    ctx,
    url,
    smtpPort: smtp?.port ?? null,
    close: () =>
      (closing ??= (async () => {
        // Idle keep-alive sockets would hold close() for the keep-alive timeout; in-flight requests get a grace period.
        const force = setTimeout(() => running.app.server.closeAllConnections(), 10_000).unref();
        running.app.server.closeIdleConnections();
        await running.app.close();
        clearTimeout(force);
        await smtp?.close();
        await running.jobs.stop();
        await live.stop();
        await database.close();
      })()),
  };
}
