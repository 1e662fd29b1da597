import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Actor } from '../accounts/actor.js';
import type { ItemResult, JobStatus } from './job-status.repository.js';

/** The job types Sundial runs, as `job_type` shows them. */
export type BulkJobType = 'create_many_tickets' | 'update_many_tickets' | 'destroy_many_tickets' | 'create_many_users' | 'merge_tickets';

export interface ItemRun {
  ctx: AppContext;
  actor: Actor;
  job: JobStatus;
  index: number;
  /**
   * Stores this item's result. Pass the item's own transaction where there is one, so the change and
   * "done" commit together and a retried job cannot apply the item twice.
   */
  record(result: ItemResult, tx?: Executor): Promise<void>;
}

/** How one job type runs its items: in order, each through the same service the single-record API uses. */
export interface BulkKind {
  /** The `message` while item `index` runs, e.g. "Creating ticket 3 of 10". */
  progress(job: JobStatus, index: number): string;
  /** What a failed item's result says besides the error: `{index}` for creates, `{id}` for updates. */
  failure(job: JobStatus, index: number): ItemResult;
  /** Applies item `index` and records its result; throws when it cannot (an AppError is the item's error). */
  run(item: ItemRun): Promise<void>;
  /** A failure of this item fails the whole job (the merge's target). */
  critical?(index: number): boolean;
}
