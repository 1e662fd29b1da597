import { resourceUrl } from '../../platform/http.js';
import type { ItemResult, JobStatus } from './job-status.repository.js';

/**
 * Zendesk's job_status: `progress` and `results` are null until the job starts, then grow item by item;
 * `results` holds one entry per item in request order.
 */
export function presentJobStatus(base: string, job: JobStatus, results: ItemResult[]) {
  const started = job.status !== 'queued';
  return {
    id: job.id,
    url: resourceUrl(base, `job_statuses/${job.id}`),
    job_type: job.job_type,
    total: job.total,
    progress: started ? results.length : null,
    status: job.status,
    message: job.message,
    results: started ? results : null,
  };
}

/** Zendesk's "Completed at 2023-10-08 17:22:35 +0000". */
export const completedMessage = (at: Date) => `Completed at ${at.toISOString().slice(0, 19).replace('T', ' ')} +0000`;
