import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db.js';

/*
 * An in-memory, column-oriented copy of ticket_facts, one per node, kept current before every report.
 *
 * Why not aggregate in SQL: the reports filter and group by eight dimensions at once (plan, priority,
 * form, category, group, region, agent, organization) and need medians and 90th percentiles. Measured on
 * this 2-core machine with 1M facts, PostgreSQL needs ~0.18 s for one parallel pass of plain counts,
 * ~0.28 s per metric for a bucketed histogram, and 3.4 s for exact percentiles (percentile_cont sorts
 * and does not run in parallel); a summary needs four percentile metrics, so ≥ 1 s. A rollup keyed by
 * (day, dimensions) does not help: at ~2,700 tickets a day spread over agents × organizations ×
 * categories almost every rollup row holds one ticket, and percentile histograms do not compress at all.
 * Scanning typed arrays in the process instead takes tens of milliseconds for 1M tickets and gives
 * exact percentiles (selection, not sorting).
 *
 * Staying current: every fact row carries the xid of the transaction that wrote it. A sync reads, in one
 * snapshot (one statement), the oldest transaction still running (pg_snapshot_xmin) and the rows written
 * by transactions at or after the previous sync's value of it. A transaction older than that had ended
 * before the previous snapshot, so its rows were already read; rows of transactions still running then
 * are read again now. The feed therefore misses nothing and costs one indexed query per report. Deleted
 * tickets stay as rows flagged `deleted` (facts are never removed while their ticket exists).
 */

export const PLANS = ['free', 'professional', 'enterprise', 'premier'] as const;
/** Codes are index + 1; 0 is "no priority". */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const FORM_KINDS = ['technical', 'sales'] as const;
export const ACHIEVED = 1;
export const BREACHED = 2;
export const GOOD = 1;
export const BAD = 2;

type Typed = Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array;
function grown<T extends Typed>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a.length > size ? a.subarray(0, size) : a);
  return b;
}

/** Whether an id can be kept in a Uint32Array column, where 0 stands for "none". */
const fitsUint32 = (v: number) => v >>> 0 === v && v !== 0;

/** Values coded by their first appearance (code = position in `values`); null codes as -1. */
export class Codes<T> {
  readonly values: T[] = [];
  private readonly code = new Map<T, number>();

  add(value: T | null): number {
    if (value === null) return -1;
    let c = this.code.get(value);
    if (c === undefined) {
      c = this.values.push(value) - 1;
      this.code.set(value, c);
    }
    return c;
  }

  /** The code of a value, or -2 when no ticket has it (matches nothing, not even "none"). */
  find(value: T): number {
    return this.code.get(value) ?? -2;
  }
}

/**
 * Ticket id → slot. Ticket ids come from a sequence (imports keep their source ids, from Zendesk's own
 * per-account sequence), so they are dense: an Int32Array indexed by id (-1: no slot) costs 4 bytes a
 * ticket where a Map of a million entries costs tens of MB. Ids too far apart for that (more than
 * 4 per ticket plus some, negative or fractional) switch it to a Map for good.
 */
export class SlotIndex {
  private dense: Int32Array | null = new Int32Array(0);
  private sparse: Map<number, number> | null = null;
  private count = 0;

  /** The slot of a ticket id, or -1. */
  get(id: number): number {
    if (this.dense) return this.dense[id] ?? -1;
    return this.sparse!.get(id) ?? -1;
  }

  /** Makes room for ids up to `maxId` when a dense index would hold `count` tickets. */
  reserve(maxId: number, count: number) {
    if (this.dense && Number.isSafeInteger(maxId) && maxId >= this.dense.length && this.denseFits(maxId, count)) this.resize(maxId + 1 + (maxId >> 6));
  }

  /** Records the slot of an id that has none. */
  add(id: number, slot: number) {
    this.count++;
    if (this.dense && !(Number.isSafeInteger(id) && id >= 0 && (id < this.dense.length || this.denseFits(id, this.count)))) this.toSparse();
    if (this.sparse) {
      this.sparse.set(id, slot);
      return;
    }
    const dense = this.dense!;
    if (id >= dense.length) this.resize(Math.max(id + 1, Math.min(dense.length + (dense.length >> 2), this.limit(this.count))));
    this.dense![id] = slot;
  }

  private limit(count: number) {
    return 4 * count + 65_536;
  }

  private denseFits(id: number, count: number) {
    return id < this.limit(count) && id < 2 ** 30;
  }

  /** Bytes of the index. */
  bytes(): number {
    return this.dense ? this.dense.byteLength : 0;
  }

  private resize(length: number) {
    const next = new Int32Array(length).fill(-1);
    next.set(this.dense!);
    this.dense = next;
  }

  private toSparse() {
    const map = new Map<number, number>();
    const dense = this.dense!;
    for (let id = 0; id < dense.length; id++) if (dense[id] >= 0) map.set(id, dense[id]);
    this.sparse = map;
    this.dense = null;
  }
}

const textArray = (list: readonly string[]) => sql`ARRAY[${sql.join(list.map((v) => sql.lit(v)))}]::text[]`;

/**
 * The columns a sync reads, shaped for a cheap client-side parse (loading dominates a node's start):
 * times as float epoch milliseconds (date_part, no Date per row), the small enumerations and flags
 * packed into one integer (bit layout in apply), next-reply minutes as ';'-separated text.
 */
const SELECT = sql`
  ticket_id,
  date_part('epoch', created_at) * 1000 AS created_ms,
  date_part('epoch', solved_at) * 1000 AS solved_ms,
  (array_position(${textArray(STATUSES)}, status) - 1)
    | (deleted::int << 3)
    | ((array_position(${textArray(PLANS)}, plan) - 1) << 4)
    | (coalesce(array_position(${textArray(PRIORITIES)}, priority), 0) << 6)
    | ((array_position(${textArray(FORM_KINDS)}, form_kind) - 1) << 9)
    | (CASE first_reply_sla WHEN 'achieved' THEN ${sql.lit(ACHIEVED)} WHEN 'breached' THEN ${sql.lit(BREACHED)} ELSE 0 END << 11)
    | (CASE csat_score WHEN 'good' THEN ${sql.lit(GOOD)} WHEN 'bad' THEN ${sql.lit(BAD)} ELSE 0 END << 13)
    | (csat_has_comment::int << 15) AS codes,
  category, group_id, assignee_id, organization_id, first_reply_minutes,
  CASE WHEN cardinality(next_reply_minutes) > 0 THEN array_to_string(next_reply_minutes, ';') END AS next_reply,
  next_reply_achieved, next_reply_breached, updates_achieved, updates_breached,
  requester_wait_minutes, resolution_minutes, date_part('epoch', csat_rated_at) * 1000 AS csat_ms, csat_rating_id`;

interface Row {
  ticket_id: number | string | null;
  created_ms: number;
  solved_ms: number | null;
  codes: number;
  category: string | null;
  group_id: number | null;
  assignee_id: number | null;
  organization_id: number | null;
  first_reply_minutes: number | null;
  next_reply: string | null;
  next_reply_achieved: number;
  next_reply_breached: number;
  updates_achieved: number;
  updates_breached: number;
  requester_wait_minutes: number | null;
  resolution_minutes: number | null;
  csat_ms: number | null;
  csat_rating_id: number | null;
}

const nan = (v: number | string | null | undefined) => (v === null || v === undefined ? NaN : Number(v));

/** The columns growing with the number of tickets (capacity). */
const COLUMNS = [
  'ticketId', 'created', 'solved', 'status', 'deleted', 'plan', 'priority', 'form', 'category', 'groupCode', 'assigneeCode', 'organizationCode',
  'frt', 'frtSla', 'nrtOffset', 'nrtCount', 'nrtAchieved', 'nrtBreached', 'updAchieved', 'updBreached', 'wait', 'resolution', 'csat', 'csatAt',
  'csatRating', 'csatComment',
] as const;

const COUNTERS = ['nrtCount', 'nrtAchieved', 'nrtBreached', 'updAchieved', 'updBreached'] as const;

/**
 * Facts of every ticket as typed-array columns; slot i is one ticket. Absent numbers are NaN. Group,
 * assignee and organization are codes into their Codes (-1: none; groupOf etc. give the id or NaN).
 * Bytes per ticket: times and minutes are exact doubles (6 × 8), ticket and rating ids Uint32 until one
 * does not fit (then doubles), id and category codes and the reply-pool offset 4 each, SLA counters 2
 * each (4 once a ticket counts past 65,535), enumerations 1 each: 94, plus about 4 for the slot index
 * and 8 per next-reply value in the pool.
 * The first load sizes the columns from a count of the rows it reads, so they hold little slack.
 */
export class FactStore {
  size = 0;
  private capacity = 0;
  private readonly slots = new SlotIndex();
  /** Category option values, coded by position. */
  private readonly categoryCodes = new Codes<string>();
  readonly categories = this.categoryCodes.values;
  readonly groups = new Codes<number>();
  readonly assignees = new Codes<number>();
  readonly organizations = new Codes<number>();

  /** Uint32Array while every id fits (they are never 0 there), else Float64Array. */
  ticketId: Uint32Array | Float64Array = new Uint32Array(0);
  created = new Float64Array(0);
  solved = new Float64Array(0);
  status = new Uint8Array(0);
  deleted = new Uint8Array(0);
  plan = new Uint8Array(0);
  /** 0 none, else PRIORITIES index + 1. */
  priority = new Uint8Array(0);
  form = new Uint8Array(0);
  /** -1 none. */
  category = new Int32Array(0);
  /** Codes into `groups`, `assignees`, `organizations`; -1 none. */
  groupCode = new Int32Array(0);
  assigneeCode = new Int32Array(0);
  organizationCode = new Int32Array(0);
  frt = new Float64Array(0);
  frtSla = new Uint8Array(0);
  nrtOffset = new Int32Array(0);
  /** SLA counters: Uint16Array until a ticket counts past 65,535 (then Uint32Array), as they would wrap. */
  nrtCount: Uint16Array | Uint32Array = new Uint16Array(0);
  nrtAchieved: Uint16Array | Uint32Array = new Uint16Array(0);
  nrtBreached: Uint16Array | Uint32Array = new Uint16Array(0);
  updAchieved: Uint16Array | Uint32Array = new Uint16Array(0);
  updBreached: Uint16Array | Uint32Array = new Uint16Array(0);
  wait = new Float64Array(0);
  resolution = new Float64Array(0);
  csat = new Uint8Array(0);
  csatAt = new Float64Array(0);
  /** Uint32Array with 0 for none while every id fits, else Float64Array with NaN; read it with csatRatingOf. */
  private csatRating: Uint32Array | Float64Array = new Uint32Array(0);
  csatComment = new Uint8Array(0);
  /** Next-reply minutes of all tickets, slot i at [nrtOffset[i], nrtOffset[i] + nrtCount[i]). */
  nrtPool = new Float64Array(1024);
  private nrtUsed = 0;
  private nrtLive = 0;

  /** xid8 (text) of the oldest transaction running at the last sync; null before the first load. */
  private horizon: string | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Rows applied by the last sync (for tests and the bench). */
  lastSyncRows = 0;

  constructor(private readonly db: Db) {}

  /** The slot of a ticket, or -1. */
  slotOf(ticketId: number): number {
    return this.slots.get(ticketId);
  }

  /** Bytes held in typed arrays (columns, next-reply pool, slot index; a sparse index's Map is not counted). */
  bytes(): number {
    let bytes = this.nrtPool.byteLength + this.slots.bytes();
    for (const key of COLUMNS) bytes += this[key].byteLength;
    return bytes;
  }

  /** Ids of a slot's group, assignee, organization and satisfaction rating; NaN for none. */
  groupOf(i: number): number {
    const c = this.groupCode[i];
    return c < 0 ? NaN : this.groups.values[c];
  }

  assigneeOf(i: number): number {
    const c = this.assigneeCode[i];
    return c < 0 ? NaN : this.assignees.values[c];
  }

  organizationOf(i: number): number {
    const c = this.organizationCode[i];
    return c < 0 ? NaN : this.organizations.values[c];
  }

  csatRatingOf(i: number): number {
    const v = this.csatRating[i];
    return v === 0 && this.csatRating instanceof Uint32Array ? NaN : v;
  }

  private resize(size: number) {
    for (const key of COLUMNS) (this as Record<string, unknown>)[key] = grown(this[key] as Typed, size);
    this.capacity = size;
  }

  /** Room for n tickets: a quarter more at a time, so a large store grows by copies of bounded cost and keeps little slack. */
  private ensure(n: number) {
    if (n > this.capacity) this.resize(Math.max(1024, this.capacity + (this.capacity >> 2), n));
  }

  /** Category code of a value, or -2 when no ticket has it (matches nothing). */
  categoryCodeOf(value: string): number {
    return this.categoryCodes.find(value);
  }

  private setReplies(i: number, values: number[] | null, fresh: boolean) {
    const list = values ?? [];
    const old = fresh ? 0 : this.nrtCount[i];
    this.nrtLive += list.length - old;
    if (!fresh && list.length <= old) {
      this.nrtPool.set(list, this.nrtOffset[i]);
    } else {
      if (this.nrtUsed + list.length > this.nrtPool.length) this.nrtPool = grown(this.nrtPool, Math.max(this.nrtPool.length * 2, this.nrtUsed + list.length));
      this.nrtOffset[i] = this.nrtUsed;
      this.nrtPool.set(list, this.nrtUsed);
      this.nrtUsed += list.length;
    }
    this.nrtCount[i] = list.length;
  }

  /** Rewrites the pool without the space of replaced lists once they take more than half of it. */
  private compactReplies() {
    if (this.nrtUsed < 4096 || this.nrtUsed < this.nrtLive * 2) return;
    const pool = new Float64Array(Math.max(1024, this.nrtLive * 2));
    let used = 0;
    for (let i = 0; i < this.size; i++) {
      const n = this.nrtCount[i];
      pool.set(this.nrtPool.subarray(this.nrtOffset[i], this.nrtOffset[i] + n), used);
      this.nrtOffset[i] = used;
      used += n;
    }
    this.nrtPool = pool;
    this.nrtUsed = used;
  }

  /** Stores ticket and rating ids as doubles from now on (one did not fit a Uint32; NaN then means none). */
  private widenIds() {
    if (this.ticketId instanceof Uint32Array) this.ticketId = Float64Array.from(this.ticketId);
    if (this.csatRating instanceof Uint32Array) this.csatRating = Float64Array.from(this.csatRating, (v) => (v === 0 ? NaN : v));
  }

  private widenCounters() {
    for (const key of COUNTERS) if (this[key] instanceof Uint16Array) this[key] = Uint32Array.from(this[key]);
  }

  private apply(r: Row) {
    const id = Number(r.ticket_id);
    let i = this.slots.get(id);
    const fresh = i < 0;
    if (fresh) {
      this.ensure(this.size + 1);
      i = this.size++;
      this.slots.add(id, i);
    }
    const rating = nan(r.csat_rating_id);
    if (this.ticketId instanceof Uint32Array && !(fitsUint32(id) && (Number.isNaN(rating) || fitsUint32(rating)))) this.widenIds();
    this.ticketId[i] = id;
    this.created[i] = r.created_ms;
    this.solved[i] = nan(r.solved_ms);
    const c = r.codes;
    this.status[i] = c & 7;
    this.deleted[i] = (c >> 3) & 1;
    this.plan[i] = (c >> 4) & 3;
    this.priority[i] = (c >> 6) & 7;
    this.form[i] = (c >> 9) & 3;
    this.frtSla[i] = (c >> 11) & 3;
    this.csat[i] = (c >> 13) & 3;
    this.csatComment[i] = (c >> 15) & 1;
    this.category[i] = this.categoryCodes.add(r.category);
    this.groupCode[i] = this.groups.add(r.group_id === null ? null : Number(r.group_id));
    this.assigneeCode[i] = this.assignees.add(r.assignee_id === null ? null : Number(r.assignee_id));
    this.organizationCode[i] = this.organizations.add(r.organization_id === null ? null : Number(r.organization_id));
    this.frt[i] = nan(r.first_reply_minutes);
    const replies = r.next_reply === null ? null : r.next_reply.split(';').map(Number);
    if (this.nrtCount instanceof Uint16Array && Math.max(replies?.length ?? 0, r.next_reply_achieved, r.next_reply_breached, r.updates_achieved, r.updates_breached) > 0xffff) this.widenCounters();
    this.setReplies(i, replies, fresh);
    this.nrtAchieved[i] = r.next_reply_achieved;
    this.nrtBreached[i] = r.next_reply_breached;
    this.updAchieved[i] = r.updates_achieved;
    this.updBreached[i] = r.updates_breached;
    this.wait[i] = nan(r.requester_wait_minutes);
    this.resolution[i] = nan(r.resolution_minutes);
    this.csatAt[i] = nan(r.csat_ms);
    this.csatRating[i] = this.csatRating instanceof Uint32Array && Number.isNaN(rating) ? 0 : rating;
  }

  /**
   * Brings the copy up to date with every fact committed before this call (the first call loads all).
   * Calls during a sync wait for it and then share one more, so each caller sees its own writes.
   */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.sync();
      });
    return this.queued;
  }

  private async run(): Promise<void> {
    if (this.horizon === null) await this.load();
    else {
      // One statement, so one snapshot: the horizon and the rows it returns belong together.
      const { rows } = await sql<Row & { xmin: string }>`
        SELECT h.xmin, f.* FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin) h
        LEFT JOIN LATERAL (SELECT ${SELECT} FROM ticket_facts WHERE txid >= ${this.horizon}::xid8) f ON true`.execute(this.db);
      let applied = 0;
      for (const r of rows) {
        if (r.ticket_id === null) continue;
        this.apply(r);
        applied++;
      }
      this.horizon = rows[0].xmin;
      this.lastSyncRows = applied;
    }
    this.compactReplies();
  }

  /** First load, in keyset pages over one REPEATABLE READ snapshot. */
  private async load(): Promise<void> {
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        const { rows } = await sql<{ xmin: string; n: number; max_id: number | null }>`
          SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, count(*)::int AS n, max(ticket_id) AS max_id FROM ticket_facts`.execute(tx);
        // Columns sized once from the count of this snapshot (plus a little room for new tickets), not by doubling.
        const { n, max_id: maxId } = rows[0];
        if (n > this.capacity) this.resize(n + (n >> 6) + 1024);
        if (maxId !== null) this.slots.reserve(Number(maxId), n);
        let applied = 0;
        let after = 0;
        for (;;) {
          const page = await sql<Row>`SELECT ${SELECT} FROM ticket_facts WHERE ticket_id > ${after} ORDER BY ticket_id LIMIT 20000`.execute(tx);
          for (const r of page.rows) this.apply(r);
          applied += page.rows.length;
          if (page.rows.length < 20000) break;
          after = Number(page.rows[page.rows.length - 1].ticket_id);
        }
        this.horizon = rows[0].xmin;
        this.lastSyncRows = applied;
      });
    // The pool grew by doubling: keep what it holds and a little room.
    if (this.nrtPool.length > this.nrtUsed + (this.nrtUsed >> 4) + 1024) this.nrtPool = grown(this.nrtPool, this.nrtUsed + (this.nrtUsed >> 6) + 1024);
  }
}

const stores = new WeakMap<Executor, FactStore>();

/** This node's copy of the facts of the database behind `db`, current as of the returned promise. */
export async function currentFacts(db: Db): Promise<FactStore> {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = new FactStore(db)));
  await store.sync();
  return store;
}
