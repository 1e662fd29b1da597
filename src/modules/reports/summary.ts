import { ACHIEVED, BREACHED, GOOD, type FactStore } from './fact-store.js';
import { percentiles } from './percentile.js';
import { DAY_MS, filterOf, keyerOf, mondayOf, WEEK_MINUTES, type GroupBy, type Scope } from './scope.js';

/** Counters of a summary row, as offsets into one Float64Array per group. */
const C = {
  created: 0, solved: 1, frtAchieved: 2, frtBreached: 3, frtOver8h: 4, nrtAchieved: 5, nrtBreached: 6, nrtTickets: 7, nrtTicketsBreached: 8,
  updAchieved: 9, updBreached: 10, updTicketsMissed: 11, waitOver7: 12, waitOver14: 13, resOver7: 14, resOver14: 15, good: 16, bad: 17,
} as const;
const COUNTERS = 18;

/** Values of one measure (reply minutes, wait, resolution) with the group each belongs to. */
class Values {
  group: Int32Array;
  value: Float64Array;
  n = 0;
  constructor(capacity: number) {
    this.group = new Int32Array(Math.max(16, capacity));
    this.value = new Float64Array(Math.max(16, capacity));
  }
  push(g: number, v: number) {
    if (this.n === this.value.length) {
      const size = this.n * 2;
      const group = new Int32Array(size);
      group.set(this.group);
      const value = new Float64Array(size);
      value.set(this.value);
      this.group = group;
      this.value = value;
    }
    this.group[this.n] = g;
    this.value[this.n++] = v;
  }
  /** The values of each group (counting sort by group), and all of them (the same array, whole). */
  byGroup(groups: number): { of: (g: number) => Float64Array; all: Float64Array } {
    const start = new Int32Array(groups + 1);
    for (let k = 0; k < this.n; k++) start[this.group[k] + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1] += start[g];
    const sorted = new Float64Array(this.n);
    const next = start.slice(0, groups);
    for (let k = 0; k < this.n; k++) sorted[next[this.group[k]]++] = this.value[k];
    // `all` is the same array: take the groups' percentiles first (they reorder only their own slice).
    return { of: (g) => sorted.subarray(start[g], start[g + 1]), all: sorted };
  }
}

/** One row's counters and values, ready to be shown. */
interface RowData {
  counters: Float64Array;
  frt: Float64Array;
  nrt: Float64Array;
  wait: Float64Array;
  res: Float64Array;
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
const pct = (n: number, d: number) => (d ? round1((100 * n) / d) : null);
const quantiles = (values: Float64Array) => percentiles(values, [0.5, 0.9]).map(round1);

/** The figures of one row (the shape of the API's Row, without key and label). Reorders the value arrays. */
export function figuresOf(d: RowData) {
  const c = d.counters;
  const [frtMedian, frtP90] = quantiles(d.frt);
  const [nrtMedian, nrtP90] = quantiles(d.nrt);
  const [waitMedian, waitP90] = quantiles(d.wait);
  const [resMedian, resP90] = quantiles(d.res);
  const frtMeasured = c[C.frtAchieved] + c[C.frtBreached];
  const nrtMeasured = c[C.nrtAchieved] + c[C.nrtBreached];
  const updMeasured = c[C.updAchieved] + c[C.updBreached];
  return {
    tickets_created: c[C.created],
    tickets_solved: c[C.solved],
    first_reply: {
      count: d.frt.length,
      median_minutes: frtMedian,
      p90_minutes: frtP90,
      within_sla_pct: pct(c[C.frtAchieved], frtMeasured),
      with_target: frtMeasured,
      achieved: c[C.frtAchieved],
      breached: c[C.frtBreached],
      over_8h: c[C.frtOver8h],
      over_8h_pct: pct(c[C.frtOver8h], d.frt.length),
    },
    next_reply: {
      count: d.nrt.length,
      median_minutes: nrtMedian,
      p90_minutes: nrtP90,
      within_sla_pct: pct(c[C.nrtAchieved], nrtMeasured),
      with_target: nrtMeasured,
      achieved: c[C.nrtAchieved],
      breached: c[C.nrtBreached],
      tickets: c[C.nrtTickets],
      tickets_breached: c[C.nrtTicketsBreached],
    },
    regular_updates: {
      count: updMeasured,
      achieved: c[C.updAchieved],
      missed: c[C.updBreached],
      achieved_pct: pct(c[C.updAchieved], updMeasured),
      tickets_missed: c[C.updTicketsMissed],
    },
    requester_wait: {
      count: d.wait.length,
      median_minutes: waitMedian,
      p90_minutes: waitP90,
      over_7d: c[C.waitOver7],
      over_14d: c[C.waitOver14],
      over_7d_pct: pct(c[C.waitOver7], d.wait.length),
      over_14d_pct: pct(c[C.waitOver14], d.wait.length),
    },
    resolution: {
      count: d.res.length,
      median_minutes: resMedian,
      p90_minutes: resP90,
      over_7d: c[C.resOver7],
      over_14d: c[C.resOver14],
      over_7d_pct: pct(c[C.resOver7], d.res.length),
      over_14d_pct: pct(c[C.resOver14], d.res.length),
    },
    csat: { good: c[C.good], bad: c[C.bad], responses: c[C.good] + c[C.bad], score_pct: pct(c[C.good], c[C.good] + c[C.bad]) },
  };
}
export type Figures = ReturnType<typeof figuresOf>;

/**
 * The summary: figures per group key (first-seen order; every day or week of the period for trends)
 * and in total, in one pass. Counters live in one typed array per group and values in typed arrays
 * tagged with their group, sorted into groups once at the end: no per-ticket allocation, which keeps
 * a year of 1M tickets well under a second. The tests here are DRILL_METRICS' predicates, written out
 * for speed; the integration tests check every drill-down count against its figure.
 */
export function summarize(s: FactStore, scope: Scope, by: GroupBy): { groups: { key: number; figures: Figures }[]; totals: Figures } {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  const keyOf = keyerOf(s, by, scope.regionOf);
  const { from, to } = scope;
  const keys: number[] = [];
  const index = new Map<number, number>();
  let counters = new Float64Array(COUNTERS * 64);
  const groupOf = (key: number): number => {
    let g = index.get(key);
    if (g === undefined) {
      g = keys.length;
      keys.push(key);
      index.set(key, g);
      if ((g + 1) * COUNTERS > counters.length) {
        const grown = new Float64Array(counters.length * 2);
        grown.set(counters);
        counters = grown;
      }
    }
    return g;
  };
  if (by === 'day' || by === 'week') {
    const step = by === 'week' ? 7 : 1;
    const first = by === 'week' ? mondayOf(Math.floor(from / DAY_MS)) : Math.floor(from / DAY_MS);
    for (let d = first; d * DAY_MS < to; d += step) groupOf(d);
  }
  const grouped = by !== 'none';
  if (!grouped) groupOf(0);
  const frt = new Values(1024);
  const nrt = new Values(1024);
  const wait = new Values(1024);
  const res = new Values(1024);
  const { frtSla, nrtOffset, nrtCount, nrtPool } = s;
  for (let i = 0; i < s.size; i++) {
    const created = s.created[i];
    const solved = s.solved[i];
    const rated = s.csatAt[i];
    const c = created >= from && created < to;
    const so = solved >= from && solved < to;
    const r = s.csat[i] !== 0 && rated >= from && rated < to;
    if (!(c || so || r) || !pass(i)) continue;
    if (c) {
      const g = grouped ? groupOf(keyOf(i, created)) : 0;
      const o = g * COUNTERS;
      counters[o + C.created]++;
      const f = s.frt[i];
      if (!Number.isNaN(f)) {
        frt.push(g, f);
        if (f > 480) counters[o + C.frtOver8h]++;
      }
      if (frtSla[i] === ACHIEVED) counters[o + C.frtAchieved]++;
      else if (frtSla[i] === BREACHED) counters[o + C.frtBreached]++;
      const n = nrtCount[i];
      if (n) {
        counters[o + C.nrtTickets]++;
        for (let k = nrtOffset[i], end = k + n; k < end; k++) nrt.push(g, nrtPool[k]);
      }
      counters[o + C.nrtAchieved] += s.nrtAchieved[i];
      counters[o + C.nrtBreached] += s.nrtBreached[i];
      if (s.nrtBreached[i]) counters[o + C.nrtTicketsBreached]++;
      counters[o + C.updAchieved] += s.updAchieved[i];
      counters[o + C.updBreached] += s.updBreached[i];
      if (s.updBreached[i]) counters[o + C.updTicketsMissed]++;
    }
    if (so) {
      const g = grouped ? groupOf(keyOf(i, solved)) : 0;
      const o = g * COUNTERS;
      counters[o + C.solved]++;
      const w = s.wait[i];
      if (!Number.isNaN(w)) {
        wait.push(g, w);
        if (w > WEEK_MINUTES) counters[o + C.waitOver7]++;
        if (w > 2 * WEEK_MINUTES) counters[o + C.waitOver14]++;
      }
      const m = s.resolution[i];
      if (!Number.isNaN(m)) {
        res.push(g, m);
        if (m > WEEK_MINUTES) counters[o + C.resOver7]++;
        if (m > 2 * WEEK_MINUTES) counters[o + C.resOver14]++;
      }
    }
    if (r) {
      const g = grouped ? groupOf(keyOf(i, rated)) : 0;
      counters[g * COUNTERS + (s.csat[i] === GOOD ? C.good : C.bad)]++;
    }
  }
  const count = keys.length;
  const [F, N, W, R] = [frt, nrt, wait, res].map((v) => v.byGroup(count));
  const total = new Float64Array(COUNTERS);
  for (let g = 0; g < count; g++) for (let k = 0; k < COUNTERS; k++) total[k] += counters[g * COUNTERS + k];
  const groups = grouped
    ? keys.map((key, g) => ({ key, figures: figuresOf({ counters: counters.subarray(g * COUNTERS, (g + 1) * COUNTERS), frt: F.of(g), nrt: N.of(g), wait: W.of(g), res: R.of(g) }) }))
    : [];
  return { groups, totals: figuresOf({ counters: total, frt: F.all, nrt: N.all, wait: W.all, res: R.all }) };
}
