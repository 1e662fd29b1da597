/**
 * Open-loop load at a fixed rate, for latency when a server is not saturated.
 *
 * Request i is due at start + i ÷ rate whatever happened before it, and its latency counts from that due
 * time: an answer that holds later requests back (all connections busy) shows in their latency as well, so
 * nothing is hidden by coordinated omission. autocannon's own rate limit is not used for this: each of its
 * connections sends its quota for the second back to back, then waits for the next second, so its "paced"
 * latency is the queueing of a burst at full speed.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

/** What one load run measured: throughput, latency percentiles (ms) and failures. */
export interface LoadSummary {
  reqPerSec: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** The q-quantile of `xs` (nearest rank: the smallest value with at least q of all at or below it). */
export function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Whole milliseconds, as autocannon reports them, so both kinds of run read alike. */
export const latencyPercentiles = (ms: number[]) => ({
  p50: Math.round(quantile(ms, 0.5)),
  p90: Math.round(quantile(ms, 0.9)),
  p95: Math.round(quantile(ms, 0.95)),
  p99: Math.round(quantile(ms, 0.99)),
});

const TIMEOUT_MS = 30_000;

/** `rate` requests per second for `seconds`, over at most `connections` kept-alive connections. */
export async function pacedRun(o: { url: string; connections: number; seconds: number; rate: number; next: (n: number) => RequestSpec; counter: { n: number } }): Promise<LoadSummary> {
  const target = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  const interval = 1000 / o.rate;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  let lastAnswer = 0;
  const start = performance.now() + 5;

  await new Promise<void>((resolve) => {
    const send = (i: number) => {
      const due = start + i * interval;
      let finished = false;
      // An error after the answer (a socket reset while idle) must not count the request twice.
      const done = () => {
        if (finished) return;
        finished = true;
        lastAnswer = performance.now();
        if (++settled === total) resolve();
      };
      const spec = o.next(o.counter.n++);
      const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
      const headers = body ? { ...spec.headers, 'content-length': String(body.length) } : spec.headers;
      const req = http.request({ agent, host: target.hostname, port: target.port, method: spec.method, path: spec.path, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (finished) return;
          latencies.push(performance.now() - due);
          if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
          done();
        });
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        if (finished) return;
        errors++;
        done();
      });
      req.end(body);
    };
    let sent = 0;
    // A timer may fire late on a busy machine: every request already due goes out at once, still timed from its due time.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  agent.destroy();
  const seconds = Math.max(o.seconds, (lastAnswer - start) / 1000);
  return { reqPerSec: latencies.length / seconds, ...latencyPercentiles(latencies), requests: latencies.length, non2xx, errors };
}
