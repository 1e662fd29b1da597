import { join } from 'node:path';
import type { Config } from '../../config.js';
import { FileBlobStore } from '../../platform/blob-store.js';
import { systemClock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import { JobQueue } from '../../platform/jobs.js';
import { LiveHub } from '../../platform/live.js';
import { openDatabase } from '../../server.js';
import { progressBar } from './import-report.js';
import { exportZendesk } from './zendesk-export.js';
import { commandLineSource } from '../audit-log/audit-context.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { importZendesk } from './zendesk-import.js';

/**
 * The `sundial import zendesk` and `sundial export zendesk` commands: a context like a server node's
 * (database, job queue to schedule SLA checks on, attachment store under DATA_DIR), no HTTP, no workers.
 */
async function withCliContext<T>(config: Config, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const database = await openDatabase(config, { attachToRunning: true });
  let jobs: JobQueue | null = null;
  try {
    jobs = await JobQueue.start(database.url, config.jobPollSeconds);
    const ctx: AppContext = { config, db: database.db, jobs, live: new LiveHub(database.url), clock: systemClock, blobs: new FileBlobStore(join(config.dataDir, 'attachments')) };
    return await fn(ctx);
  } finally {
    await jobs?.stop();
    await database.close();
  }
}

/** Runs an import with a progress bar on stderr; returns the summary to print. */
export async function runZendeskImport(config: Config, dir: string, reportPath?: string): Promise<string> {
  // Load every module as a server node does, so the hooks they register (report figures kept on each
  // SLA refresh) run for imported tickets too.
  await import('../../routes.js');
  const bar = progressBar((s) => process.stderr.write(s));
  try {
    const { report, reportPath: written } = await withCliContext(config, (ctx) => importZendesk(ctx, { dir, reportPath, progress: (phase, done, total) => bar.update(phase, done, total) }));
    bar.end();
    return report.summary(written);
  } finally {
    bar.end();
  }
}

export async function runZendeskExport(config: Config, dir: string): Promise<string> {
  const bar = progressBar((s) => process.stderr.write(s));
  const database = await openDatabase(config, { attachToRunning: true });
  try {
    const counts = await exportZendesk({ config, db: database.db, blobs: new FileBlobStore(join(config.dataDir, 'attachments')) }, { dir, progress: (phase, done, total) => bar.update(phase, done, total) });
    await recordAdminAction(
      database.db,
      { action: 'export', sourceType: 'export', sourceLabel: 'Zendesk export', change: `Exported to ${dir}`, after: counts },
      commandLineSource('sundial export zendesk'),
    );
    bar.end();
    return `Exported to ${dir}: ${Object.entries(counts).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ')}.`;
  } finally {
    bar.end();
    await database.close();
  }
}
