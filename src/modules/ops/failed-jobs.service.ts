import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';

export interface FailedJob {
  id: string;
  queue: string;
  data: unknown;
  /** The handler's error message of the last try. */
  reason: string;
  tries: number;
  retryLimit: number;
  createdAt: Date;
  startedAt: Date | null;
  failedAt: Date | null;
}

/**
 * Background jobs that exhausted their retries (pg-boss state `failed`), newest first, from the live
 * table and the archive pg-boss moves them to. Read-only: handlers are idempotent, so an operator who
 * fixed the cause re-runs the work by the API call that caused it.
 */
export async function listFailedJobs(db: Db, options: { queue?: string; limit: number }): Promise<FailedJob[]> {
  const queue = options.queue ?? null;
  const { rows } = await sql<{ id: string; name: string; data: unknown; output: unknown; retry_count: number; retry_limit: number; created_on: Date; started_on: Date | null; completed_on: Date | null }>`
    SELECT id, name, data, output, retry_count, retry_limit, created_on, started_on, completed_on FROM (
      SELECT id, name, data, output, retry_count, retry_limit, created_on, started_on, completed_on FROM pgboss.job WHERE state = 'failed'
      UNION ALL
      SELECT id, name, data, output, retry_count, retry_limit, created_on, started_on, completed_on FROM pgboss.archive WHERE state = 'failed'
    ) failed
    WHERE ${queue}::text IS NULL OR name = ${queue}
    ORDER BY completed_on DESC NULLS LAST, id
    LIMIT ${options.limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    queue: r.name,
    data: r.data,
    reason: reasonOf(r.output),
    // retry_count counts the retries; the first try is one more.
    tries: r.retry_count + 1,
    retryLimit: r.retry_limit,
    createdAt: r.created_on,
    startedAt: r.started_on,
    failedAt: r.completed_on,
  }));
}

/** pg-boss stores the thrown error serialized; an AggregateError (a failed batch) keeps its parts. */
function reasonOf(output: unknown): string {
  if (!output || typeof output !== 'object') return output == null ? 'unknown' : String(output);
  const o = output as { message?: unknown; errors?: { message?: unknown }[]; value?: unknown };
  const parts = Array.isArray(o.errors) ? o.errors.map((e) => String(e?.message ?? e)).filter(Boolean) : [];
  const message = typeof o.message === 'string' ? o.message : o.value !== undefined ? String(o.value) : JSON.stringify(output);
  return parts.length ? `${message}: ${parts.join('; ')}` : message;
}
