import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';

/*
 * Prometheus text exposition (format 0.0.4), written by hand: a handful of counters and gauges do not
 * need a client library. HTTP figures are per node (each node is scraped); the queue, SLA, mail and
 * paging gauges are read from the shared database at scrape time, so any node reports the same.
 */

/** Upper bounds (seconds) of the request-duration histogram. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

/** Lines of one metric family. */
export function family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string, samples: { suffix?: string; labels?: Record<string, string>; value: number }[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const s of samples) lines.push(`${name}${s.suffix ?? ''}${labels(s.labels ?? {})} ${num(s.value)}`);
  return lines.join('\n');
}

interface RouteStats {
  method: string;
  route: string;
  /** count per status code */
  statuses: Map<string, number>;
  /** cumulative-free bucket counts, one per DURATION_BUCKETS entry plus +Inf */
  buckets: number[];
  sum: number;
  count: number;
}

/** Request counts and latencies of this node, by method and route template (never the raw URL). */
export class HttpMetrics {
  private readonly routes = new Map<string, RouteStats>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route}`;
    let r = this.routes.get(key);
    if (!r) this.routes.set(key, (r = { method, route, statuses: new Map(), buckets: new Array(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }));
    r.statuses.set(String(status), (r.statuses.get(String(status)) ?? 0) + 1);
    let b = DURATION_BUCKETS.findIndex((le) => seconds <= le);
    if (b < 0) b = DURATION_BUCKETS.length;
    r.buckets[b]++;
    r.sum += seconds;
    r.count++;
  }

  render(): string {
    const requests: { labels: Record<string, string>; value: number }[] = [];
    const durations: { suffix: string; labels: Record<string, string>; value: number }[] = [];
    for (const r of this.routes.values()) {
      for (const [status, n] of r.statuses) requests.push({ labels: { method: r.method, route: r.route, status }, value: n });
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, k) => {
        cumulative += r.buckets[k];
        durations.push({ suffix: '_bucket', labels: { method: r.method, route: r.route, le: String(le) }, value: cumulative });
      });
      durations.push({ suffix: '_bucket', labels: { method: r.method, route: r.route, le: '+Inf' }, value: r.count });
      durations.push({ suffix: '_sum', labels: { method: r.method, route: r.route }, value: r.sum });
      durations.push({ suffix: '_count', labels: { method: r.method, route: r.route }, value: r.count });
    }
    return [
      family('sundial_http_requests_total', 'counter', 'HTTP requests answered by this node, by method, route and status code.', requests),
      family('sundial_http_request_duration_seconds', 'histogram', 'Time to answer HTTP requests on this node, by method and route.', durations),
    ].join('\n');
  }
}

const ACTIVE_STATES = ['created', 'retry', 'active'] as const;

/** Gauges read from the database: job queues, SLA breaches, mail failures, open pages. */
export async function databaseMetrics(db: Db): Promise<string> {
  const [queues, depth, lag, breaches, mail, pages] = await Promise.all([
    sql<{ name: string }>`SELECT name FROM pgboss.queue ORDER BY name`.execute(db),
    sql<{ name: string; state: string; n: number }>`SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY 1, 2`.execute(db),
    // Lag: how long the oldest job that is due (start_after passed) has been waiting to be picked up.
    sql<{ name: string; seconds: number }>`
      SELECT name, extract(epoch FROM now() - min(start_after))::float8 AS seconds FROM pgboss.job
      WHERE state IN ('created', 'retry') AND start_after <= now() GROUP BY name`.execute(db),
    sql<{ metric: string; n: number }>`SELECT metric, count(*)::int AS n FROM ticket_metric_events WHERE type = 'breach' GROUP BY metric ORDER BY metric`.execute(db),
    sql<{ failing: number; unsent: number }>`
      SELECT count(*) FILTER (WHERE attempts > 0)::int AS failing, count(*)::int AS unsent FROM mail_outbox WHERE sent_at IS NULL`.execute(db),
    sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM pages WHERE status <> 'resolved' GROUP BY status`.execute(db),
  ]);
  const names = queues.rows.map((q) => q.name);
  const depthOf = new Map(depth.rows.map((r) => [`${r.name}|${r.state}`, r.n]));
  const lagOf = new Map(lag.rows.map((r) => [r.name, Math.max(0, r.seconds)]));
  const pageCount = new Map(pages.rows.map((r) => [r.status, r.n]));
  return [
    family(
      'sundial_job_queue_depth',
      'gauge',
      'Jobs waiting (created, retry) or running (active), per queue.',
      names.flatMap((name) => ACTIVE_STATES.map((state) => ({ labels: { queue: name, state }, value: depthOf.get(`${name}|${state}`) ?? 0 }))),
    ),
    family('sundial_job_lag_seconds', 'gauge', 'Age of the oldest due job not yet picked up, per queue (0 when none waits).', names.map((name) => ({ labels: { queue: name }, value: lagOf.get(name) ?? 0 }))),
    family('sundial_sla_breaches_total', 'counter', 'SLA breaches recorded in the ledger (ticket_metric_events of type breach), per metric.', breaches.rows.map((r) => ({ labels: { metric: r.metric }, value: r.n }))),
    family('sundial_mail_failing', 'gauge', 'Outbound mails not sent after at least one failed attempt (see mail_outbox.last_error).', [{ value: mail.rows[0].failing }]),
    family('sundial_mail_unsent', 'gauge', 'Outbound mails not sent yet, failing or not.', [{ value: mail.rows[0].unsent }]),
    family('sundial_pages_open', 'gauge', 'On-call pages not resolved, by status (open: unacknowledged).', ['open', 'acknowledged'].map((status) => ({ labels: { status }, value: pageCount.get(status) ?? 0 }))),
  ].join('\n');
}

/** Process gauges of this node. */
export function processMetrics(startedAt: number): string {
  return [
    family('sundial_process_resident_memory_bytes', 'gauge', 'Resident memory of this node.', [{ value: process.memoryUsage().rss }]),
    family('sundial_process_uptime_seconds', 'gauge', 'Seconds since this node started.', [{ value: (Date.now() - startedAt) / 1000 }]),
  ].join('\n');
}
