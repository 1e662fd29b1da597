import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { JobStatusesTable, JobStatusState } from '../../platform/db-types.js';
import { applySlice, type Slice } from '../../platform/pagination.js';
import { isAdmin, type Actor } from '../accounts/actor.js';

export type JobStatus = Selectable<JobStatusesTable>;
export type ItemResult = Record<string, unknown>;

/** Job status ids are opaque strings, as Zendesk's are (32 hex digits). */
export const newJobStatusId = () => randomBytes(16).toString('hex');

export async function insertJobStatus(db: Executor, job: { userId: number; actorVia: string; jobType: string; total: number; payload: unknown }): Promise<JobStatus> {
  return db
    .insertInto('job_statuses')
    .values({ id: newJobStatusId(), user_id: job.userId, actor_via: job.actorVia, job_type: job.jobType, total: job.total, payload: JSON.stringify(job.payload), updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks a run of the job as started; null when it already ended (a duplicate or late delivery). */
export function claimJobStatus(db: Executor, id: string): Promise<JobStatus | undefined> {
  return db
    .updateTable('job_statuses')
    .set({ status: 'working', attempts: sql`attempts + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'working'])
    .returningAll()
    .executeTakeFirst();
}

export async function finishedIndexes(db: Executor, id: string): Promise<Set<number>> {
  const rows = await db.selectFrom('job_status_results').select('index').where('job_status_id', '=', id).execute();
  return new Set(rows.map((r) => r.index));
}

/** Stores one item's outcome; the first write wins, so recording twice (a retried run) is harmless. */
export async function recordResult(db: Executor, id: string, index: number, result: ItemResult): Promise<void> {
  await db
    .insertInto('job_status_results')
    .values({ job_status_id: id, index, result: JSON.stringify(result) })
    .onConflict((oc) => oc.columns(['job_status_id', 'index']).doNothing())
    .execute();
}

export async function setJobMessage(db: Executor, id: string, message: string): Promise<void> {
  await db.updateTable('job_statuses').set({ message, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function finishJobStatus(db: Executor, id: string, status: Extract<JobStatusState, 'completed' | 'failed'>, message: string): Promise<void> {
  const now = new Date();
  await db.updateTable('job_statuses').set({ status, message, completed_at: now, updated_at: now }).where('id', '=', id).where('status', 'in', ['queued', 'working']).execute();
}

/** Jobs are private: their creator and admins see them; anyone else gets nothing (a 404). */
const jobsVisibleTo = (db: Executor, actor: Actor) =>
  db.selectFrom('job_statuses').$if(!isAdmin(actor), (qb) => qb.where('job_statuses.user_id', '=', actor.user.id));

export async function findJobStatuses(db: Executor, actor: Actor, ids: string[]): Promise<JobStatus[]> {
  if (!ids.length) return [];
  const rows = await jobsVisibleTo(db, actor).selectAll().where('id', 'in', ids).execute();
  return ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is JobStatus => r !== undefined);
}

/** The caller's jobs (every job for admins), newest first, one page (`seq` is the paging key). */
export function listJobStatuses(db: Executor, actor: Actor, slice: Slice): Promise<JobStatus[]> {
  return applySlice(jobsVisibleTo(db, actor).selectAll(), 'job_statuses.seq', { ...slice, desc: true }).execute();
}

export async function countJobStatuses(db: Executor, actor: Actor): Promise<number> {
  const row = await jobsVisibleTo(db, actor).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Item results of each job, in item order. */
export async function resultsOf(db: Executor, ids: string[]): Promise<Map<string, ItemResult[]>> {
  const out = new Map<string, ItemResult[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await db.selectFrom('job_status_results').select(['job_status_id', 'result']).where('job_status_id', 'in', ids).orderBy('job_status_id').orderBy('index').execute();
  for (const r of rows) out.get(r.job_status_id)!.push(r.result as ItemResult);
  return out;
}
