import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { AppContext } from '../../platform/context.js';
import type { Db, Executor } from '../../platform/db.js';
import type { ImportReport } from './import-report.js';
import { readRecords, type Json, type SourceRecord } from './zendesk-files.js';

/** What every step of one import run shares. */
export interface ImportRun {
  ctx: AppContext;
  dir: string;
  report: ImportReport;
  /** Source id → Sundial id of what this or an earlier run brought in (or matched). */
  maps: { organization: Map<number, number>; group: Map<number, number>; user: Map<number, number> };
  /** Source ids of tickets already imported. */
  tickets: Set<number>;
  progress: (phase: string, done: number, total: number) => void;
  /** Tickets (and SLA builds) handled at once, each in its own transaction. */
  concurrency: number;
}

export type MappedKind = 'organization' | 'group' | 'user';

/** A positive integer id (Zendesk's run to about 2^44), or null. */
export function idOf(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

export const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** A timestamp of the source (ISO 8601, or Unix seconds as Zendesk's `timestamp` fields are). */
export function dateOf(v: unknown): Date | null {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000);
  if (typeof v !== 'string' || !v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const isIanaZone = (tz: unknown): tz is string => typeof tz === 'string' && tz.includes('/') && DateTime.local().setZone(tz).isValid;

/**
 * The records of one kind that should be imported: a time-based incremental export repeats records
 * (a ticket updated twice appears twice), so only the newest copy of each id counts — by
 * `updated_at`, then by position. Records without an id are reported once, here.
 */
export async function newestCopies(run: ImportRun, file: string, kind: 'organization' | 'group' | 'user' | 'ticket'): Promise<Map<number, number>> {
  const best = new Map<number, { seq: number; at: number }>();
  for await (const rec of readRecords(run.dir, file, (b) => run.report.skip('file', null, b.where, b.reason))) {
    const id = idOf(rec.value.id);
    if (id === null) {
      run.report.skip(kind, null, rec.where, 'the record has no valid id');
      continue;
    }
    const at = dateOf(rec.value.updated_at)?.getTime() ?? 0;
    const seen = best.get(id);
    if (!seen || at >= seen.at) best.set(id, { seq: rec.seq, at });
  }
  return new Map([...best].map(([id, v]) => [id, v.seq]));
}

/**
 * Runs tasks with at most `limit` at a time. The first failure stops new tasks and is thrown (by
 * `run` or `drain`); tasks already started finish, each committing or rolling back on its own.
 */
export function limiter(limit: number) {
  const running = new Set<Promise<void>>();
  let failed: { error: unknown } | null = null;
  const check = () => {
    if (failed) throw failed.error;
  };
  return {
    async run(task: () => Promise<void>) {
      check();
      while (running.size >= limit) await Promise.race(running);
      check();
      const p: Promise<void> = task()
        .catch((error) => void (failed ??= { error }))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async drain() {
      await Promise.all(running);
      check();
    },
  };
}

/** Walks the newest copy of each record of `file`, `concurrency` at a time, reporting progress as `phase`. */
export async function forEachNewest(run: ImportRun, file: string, newest: Map<number, number>, phase: string, fn: (rec: SourceRecord, id: number) => Promise<void>, concurrency = 1) {
  let done = 0;
  const pool = limiter(concurrency);
  run.progress(phase, 0, newest.size);
  for await (const rec of readRecords(run.dir, file, () => undefined)) {
    const id = idOf(rec.value.id);
    if (id === null || newest.get(id) !== rec.seq) continue;
    await pool.run(async () => {
      await fn(rec, id);
      run.progress(phase, ++done, newest.size);
    });
  }
  await pool.drain();
}

/** Records what a run brought in, in the transaction that inserted it. */
export async function remember(tx: Executor, kind: MappedKind | 'ticket', sourceId: number, sundialId: number, outcome: 'created' | 'matched', slaPending = false) {
  await tx.insertInto('zendesk_import_items').values({ kind, source_id: sourceId, sundial_id: sundialId, outcome, sla_pending: slaPending }).onConflict((oc) => oc.columns(['kind', 'source_id']).doNothing()).execute();
}

/**
 * Moves a table's id sequence past `min` and past its largest id, so rows inserted with explicit ids
 * (the source's) never collide with ids the sequence hands out later.
 */
export async function advanceSequence(db: Db, table: 'organizations' | 'groups' | 'users' | 'tickets' | 'ticket_comments' | 'ticket_audits' | 'attachments' | 'satisfaction_ratings', min: number) {
  const seq = sql`pg_get_serial_sequence(${table}, 'id')::regclass`;
  await sql`SELECT setval(${seq}, GREATEST(${min}::bigint, (SELECT COALESCE(MAX(id), 0) FROM ${sql.table(table)}), COALESCE(pg_sequence_last_value(${seq}), 0), 1))`.execute(db);
}

/** The largest key of a map (without spreading millions of arguments). */
export function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}

export type { Json };
