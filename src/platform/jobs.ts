import PgBoss from 'pg-boss';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Executor } from './db.js';
import { PREPARED } from './prepared-statements.js';

/** Every job Sundial runs; payloads carry ids only and handlers reload and re-check. */
export interface JobPayloads {
  'mail.send': { mailId: number };
  'tickets.auto-close': { ticketId: number };
  'tickets.auto-close-sweep': Record<string, never>;
  'sla.breach-check': { ticketId: number };
  'paging.deliver': { deliveryId: number };
  'paging.tick': Record<string, never>;
  'routing.route': { ticketId: number };
  'routing.tick': Record<string, never>;
  'csat.offer': { ticketId: number };
  'tickets.pending-sweep': Record<string, never>;
  'reports.facts-sweep': Record<string, never>;
  'bulk.run': { jobStatusId: string };
  'triggers.run': { auditId: number };
  'webhooks.deliver': { invocationId: string };
}
export type JobName = keyof JobPayloads;

export interface SendJobOptions {
  /** Enqueue inside this transaction: the job exists if and only if the change commits. */
  tx?: Executor;
  startAfter?: Date;
  singletonKey?: string;
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N]) => Promise<void>;

const queues: Record<JobName, PgBoss.Queue> = {
  'mail.send': { name: 'mail.send', retryLimit: 12, retryDelay: 5, retryBackoff: true },
  'tickets.auto-close': { name: 'tickets.auto-close', retryLimit: 5, retryDelay: 10, retryBackoff: true },
  'tickets.auto-close-sweep': { name: 'tickets.auto-close-sweep', policy: 'singleton', retryLimit: 0 },
  'sla.breach-check': { name: 'sla.breach-check', retryLimit: 10, retryDelay: 5, retryBackoff: true },
  // A page that cannot be delivered keeps trying for about an hour (5 s doubling), then fails visibly.
  'paging.deliver': { name: 'paging.deliver', retryLimit: 10, retryDelay: 5, retryBackoff: true },
  'paging.tick': { name: 'paging.tick', policy: 'singleton', retryLimit: 0 },
  'routing.route': { name: 'routing.route', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  'routing.tick': { name: 'routing.tick', policy: 'singleton', retryLimit: 0 },
  'csat.offer': { name: 'csat.offer', retryLimit: 5, retryDelay: 10, retryBackoff: true },
  'tickets.pending-sweep': { name: 'tickets.pending-sweep', policy: 'singleton', retryLimit: 0 },
  'reports.facts-sweep': { name: 'reports.facts-sweep', policy: 'singleton', retryLimit: 0 },
  // Bulk API jobs resume where they stopped; the last run records what still fails per item (BULK_RUNS).
  'bulk.run': { name: 'bulk.run', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  // Business rules: the trigger cycle of one ticket update (idempotent per audit, trigger_runs).
  'triggers.run': { name: 'triggers.run', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  // Zendesk-style webhook deliveries: 8 retries from ~2 s doubling (about half an hour in all), then failed.
  'webhooks.deliver': { name: 'webhooks.deliver', retryLimit: 8, retryDelay: 2, retryBackoff: true },
};

/** The durable queue (pg-boss on Sundial's own database): exactly one node runs each job. */
export class JobQueue {
  private stopping = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly pollSeconds: number,
    private readonly insertStatement: InsertStatement,
  ) {}

  static async start(connectionString: string, pollSeconds: number): Promise<JobQueue> {
    const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4, application_name: 'sundial-jobs' });
    boss.on('error', () => undefined); // surfaced through job retries; a DB blip must not crash the node
    await boss.start();
    for (const q of Object.values(queues)) await boss.createQueue(q.name, q);
    return new JobQueue(boss, pollSeconds, await captureInsertStatement(boss));
  }

  /**
   * pg-boss's own multi-job insert as a data-modifying statement, for a CTE of the caller's write: the
   * change and its jobs take one round trip, and the jobs exist if and only if the change commits.
   * It marks the statement PREPARED (its `SELECT *` reads pg-boss's own column list, not a table), so
   * the statement that embeds it must name its result columns.
   */
  enqueueSql<N extends JobName>(name: N, jobs: JobSpec<N>[]): RawBuilder<unknown> {
    const rows = jobs.map((j) => ({ name, data: j.data, startAfter: j.startAfter?.toISOString(), singletonKey: j.singletonKey }));
    return this.insertStatement(sql`${JSON.stringify(rows)}::json`);
  }

  /**
   * Like enqueueSql, for jobs whose payloads the same statement produces: `payloads` is an SQL
   * expression yielding their JSON array (say, built from an earlier CTE's RETURNING).
   */
  enqueueEachSql(name: JobName, payloads: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.insertStatement(sql`(SELECT json_agg(json_build_object('name', ${name}::text, 'data', p)) FROM json_array_elements(${payloads}) AS p)`);
  }

  async send<N extends JobName>(name: N, data: JobPayloads[N], options: SendJobOptions = {}): Promise<void> {
    const { tx, ...rest } = options;
    const db = tx
      ? { executeSql: async (text: string, values: unknown[]) => tx.executeQuery(CompiledQuery.raw(text, values)) as Promise<{ rows: any[] }> }
      : undefined;
    await this.boss.send(name, data as object, { ...rest, db });
  }

  /**
   * Runs `handler` for each job, fetched in batches so a burst drains without waiting a poll per job.
   * A job that throws is failed on its own (retried with its queue's backoff, then `failed` with its
   * reason), so the jobs of the batch that succeeded complete and a poison job cannot make them fail too.
   * Outcomes are recorded here, awaited: pg-boss's own follow-up complete()/fail() calls are not awaited,
   * and one that meets a database outage would be an unhandled rejection that ends the process.
   */
  async work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void> {
    await this.boss.work<JobPayloads[N]>(name, { pollingIntervalSeconds: this.pollSeconds, batchSize: 10 }, async (jobs) => {
      const done: string[] = [];
      for (const job of jobs) {
        try {
          await handler(job.data);
          done.push(job.id);
        } catch (e) {
          await this.untilRecorded(() => this.boss.fail(name, job.id, errorOutput(e)));
        }
      }
      if (done.length) await this.untilRecorded(() => this.boss.complete(name, done));
      // Never throws: pg-boss then completes the jobs still active, which are none.
    });
  }

  /**
   * Records a job outcome, waiting out a database outage (1 s doubling to 10 s). When the node stops
   * first, the job stays active until it expires and runs again; handlers are idempotent.
   */
  private async untilRecorded(record: () => Promise<unknown>): Promise<void> {
    for (let delay = 1000; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        await record();
        return;
      } catch {
        if (this.stopping) return;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async schedule(name: JobName, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, {});
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** One job of a batch enqueued within a caller's statement. */
export interface JobSpec<N extends JobName> {
  data: JobPayloads[N];
  startAfter?: Date;
  singletonKey?: string;
}

/** pg-boss's multi-insert with its JSON array of jobs (`{name, data, startAfter, singletonKey}`) supplied as SQL. */
type InsertStatement = (jobs: RawBuilder<unknown>) => RawBuilder<unknown>;

/**
 * Reads the statement `boss.insert` runs (pg-boss's public batch API, handed a database that records
 * instead of executing) and turns it into a builder whose jobs parameter ($1) is any SQL expression and
 * whose other parameters (pg-boss's configured defaults) are bound as captured.
 */
async function captureInsertStatement(boss: PgBoss): Promise<InsertStatement> {
  let captured: { text: string; values: unknown[] } | null = null;
  await boss.insert([], { db: { executeSql: async (text: string, values: unknown[]) => ((captured = { text, values }), { rows: [] }) } } as PgBoss.InsertOptions);
  if (!captured) throw new Error('pg-boss did not hand its insert statement to the supplied database');
  const { text, values } = captured as { text: string; values: unknown[] };
  // Split into literal SQL and parameter numbers: ['INSERT … (', '1', ') …', '2', …].
  const parts = text.split(/\$(\d+)/);
  if (!parts.some((p, i) => i % 2 === 1 && p === '1')) throw new Error('pg-boss insert statement has no jobs parameter');
  return (jobs) => sql.join([PREPARED, ...parts.map((p, i) => (i % 2 === 0 ? sql.raw(p) : p === '1' ? jobs : sql`${values[Number(p) - 1]}`))], sql.raw(''));
}

/** What pg-boss stores as a failed job's output: the message (and an AggregateError's parts) the admin view shows. */
function errorOutput(e: unknown): object {
  if (e instanceof AggregateError) return { name: e.name, message: e.message, errors: e.errors.map((x) => ({ message: String((x as Error)?.message ?? x) })), stack: e.stack };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { message: String(e) };
}
