import type { AppContext } from '../../platform/context.js';
import { AppError, errorTable } from '../../platform/errors.js';
import { actorFor } from '../accounts/authenticate.js';
import type { Actor } from '../accounts/actor.js';
import { recordKinds } from './bulk-items.js';
import type { BulkJobType, BulkKind } from './bulk-kind.js';
import { completedMessage } from './job-status.presenter.js';
import { claimJobStatus, finishedIndexes, finishJobStatus, insertJobStatus, recordResult, setJobMessage, type ItemResult, type JobStatus } from './job-status.repository.js';
import { mergeKind } from './merge-tickets.js';

const kinds: Record<BulkJobType, BulkKind> = { ...recordKinds, merge_tickets: mergeKind };

/** Runs of one job: the first and pg-boss's retries ('bulk.run' retryLimit 5 in platform/jobs.ts). */
export const BULK_RUNS = 6;

/**
 * Accepts a bulk request: the job row and its queue entry commit together, so an accepted job always
 * runs (on whichever node picks it up) and a failed request leaves nothing behind.
 */
export async function startBulkJob(ctx: AppContext, job: { actor: Actor; jobType: BulkJobType; total: number; payload: unknown }): Promise<JobStatus> {
  return ctx.db.transaction().execute(async (tx) => {
    const row = await insertJobStatus(tx, { userId: job.actor.user.id, actorVia: job.actor.via, jobType: job.jobType, total: job.total, payload: job.payload });
    await ctx.jobs.send('bulk.run', { jobStatusId: row.id }, { tx });
    return row;
  });
}

/** Zendesk's per-item error: `error` is the API's error name, `details` what went wrong in words. */
function itemError(e: unknown, lastRun: boolean): { error: string; details: string } | null {
  if (e instanceof AppError) {
    const details = e.details ? Object.values(e.details).flat().map((d) => d.description).join('; ') : e.description;
    return { error: errorTable[e.code].error, details };
  }
  // Integrity and format errors are the item's data, not a passing fault: retrying cannot help.
  const pgCode = (e as { code?: unknown }).code;
  if (typeof pgCode === 'string' && /^2[23]/.test(pgCode)) return { error: 'RecordInvalid', details: 'The database rejected a value of this record' };
  return lastRun ? { error: 'InternalError', details: 'Something went wrong on our side; this record was not changed' } : null;
}

/**
 * Worker for 'bulk.run': runs a job's items in order, each through the same service as the one-record
 * API (validation, audits, SLA, notifications). A failing item is recorded and the rest go on. Items
 * already recorded are skipped, so a job retried after a crash or a database fault resumes where it
 * stopped; an unexpected error aborts the run for pg-boss to retry, until the last run records it.
 */
export async function runBulkJob(ctx: AppContext, jobStatusId: string): Promise<void> {
  const job = await claimJobStatus(ctx.db, jobStatusId);
  if (!job) return;
  const kind = kinds[job.job_type as BulkJobType];
  const actor = await actorFor(ctx.db, job.user_id, job.actor_via as Actor['via']);
  if (!kind || !actor) {
    await finishJobStatus(ctx.db, job.id, 'failed', kind ? 'The user who started this job is no longer active' : `Unknown job type ${job.job_type}`);
    return;
  }
  const done = await finishedIndexes(ctx.db, job.id);
  const lastRun = job.attempts >= BULK_RUNS;
  for (let index = 0; index < job.total; index++) {
    if (done.has(index)) continue;
    await setJobMessage(ctx.db, job.id, kind.progress(job, index));
    const record = (result: ItemResult, tx = ctx.db as Parameters<typeof recordResult>[0]) => recordResult(tx, job.id, index, result);
    try {
      await kind.run({ ctx, actor, job, index, record });
    } catch (e) {
      const problem = itemError(e, lastRun);
      if (!problem) throw e;
      const result = { ...kind.failure(job, index), success: false, status: 'Failed', ...problem };
      if (kind.critical?.(index)) {
        await ctx.db.transaction().execute(async (tx) => {
          await record(result, tx);
          await finishJobStatus(tx, job.id, 'failed', problem.details);
        });
        return;
      }
      await record(result);
    }
  }
  await finishJobStatus(ctx.db, job.id, 'completed', completedMessage(new Date()));
}
