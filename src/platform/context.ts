import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import type { Clock } from './clock.js';
import type { Db } from './db.js';
import type { JobQueue } from './jobs.js';
import type { LiveHub } from './live.js';

/** What use cases need from the outside world; built once per process and passed down. */
export interface AppContext {
  config: Config;
  db: Db;
  jobs: JobQueue;
  blobs: BlobStore;
  live: LiveHub;
  clock: Clock;
}

/** Host used in Message-IDs and mail links. */
export const mailDomain = (ctx: AppContext) => new URL(ctx.config.publicUrl).hostname;
export const mailContext = (ctx: AppContext) => ({ jobs: ctx.jobs, domain: mailDomain(ctx) });
