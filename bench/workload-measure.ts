/**
 * Measuring tools of bench/workload.ts: child servers, their CPU time and memory from /proc, PostgreSQL's
 * processes, one load run (autocannon, or paced), and the RESULTS.md section writer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { pacedRun, quantile, type LoadSummary, type RequestSpec } from './paced-load.js';

export type { LoadSummary, RequestSpec };

const TICKS = 100; // USER_HZ: /proc times are in 1/100 s on Linux

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
}

/** Starts `node --import tsx <script> [args]` and waits for its "listening <url>" (or "listening on <url>") line. */
export function startServer(name: string, script: string, env: Record<string, string>, args: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening (?:on )?(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ name, url: m[1], pid: child.pid!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.length > 20_000) out = out.slice(-20_000);
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${out}`)));
  });
}

export async function stopServer(s: ServerProcess): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
}

/** User + system CPU seconds of a process (all its threads). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** Resident set of one process in MB (VmRSS), or its high-water mark (VmHWM). */
export function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Proportional set size in MB: shared buffers counted once across PostgreSQL's processes, not per process. */
export function pssMb(pid: number): number {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every process named postgres on this machine (the server is shared with other work: reported as such). */
export function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/** PIDs of the backends connected to `database` (other than the monitoring connection). */
export async function backendPids(monitor: pg.Client, database: string): Promise<number[]> {
  const r = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = $2', [database, 'client backend']);
  return r.rows.map((x) => Number(x.pid));
}

export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface RunFigures extends LoadSummary {
  serverCpuMsPerReq: number;
  pgCpuMsPerReq: number;
  serverRssMb: number;
  pgBackendsPssMb: number;
}

/**
 * autocannon for `seconds` on `connections`, each request from next(counter.n++), as fast as the server
 * answers. p95 comes from every answer's own time (autocannon's histogram has no p95).
 */
export async function autocannonRun(o: { url: string; connections: number; seconds: number; next: (n: number) => RequestSpec; counter: { n: number } }): Promise<LoadSummary> {
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: o.url,
        connections: o.connections,
        duration: o.seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const spec = o.next(o.counter.n++);
              return { ...req, method: spec.method, path: spec.path, body: spec.body, headers: spec.headers };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p95: Math.round(quantile(times, 0.95)),
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/**
 * One load run of `seconds` on `connections` against `server` (closed loop, or open loop at `rate`
 * requests per second when given), with the server's and PostgreSQL's CPU deltas.
 */
export async function measure(o: {
  server: ServerProcess;
  connections: number;
  seconds: number;
  next: (n: number) => RequestSpec;
  counter: { n: number };
  monitor: pg.Client;
  database: string;
  rate?: number;
}): Promise<RunFigures> {
  const pgBefore = new Map((await backendPids(o.monitor, o.database)).map((pid) => [pid, cpuSeconds(pid)]));
  const cpu0 = cpuSeconds(o.server.pid);
  const r = o.rate ? await pacedRun({ ...o, url: o.server.url, rate: o.rate }) : await autocannonRun({ ...o, url: o.server.url });
  const cpu1 = cpuSeconds(o.server.pid);
  // Per backend: opened during the run, it counts from zero; closed during the run (pool idle timeout),
  // its last share is lost (a slight underestimate, never a negative figure).
  const pgAfter = await backendPids(o.monitor, o.database);
  const pgSeconds = sum(pgAfter.map((pid) => Math.max(0, cpuSeconds(pid) - (pgBefore.get(pid) ?? 0))));
  await cancelLeftovers(o.monitor, o.database);
  const { requests } = r;
  return {
    ...r,
    serverCpuMsPerReq: requests ? ((cpu1 - cpu0) * 1000) / requests : 0,
    pgCpuMsPerReq: requests ? (pgSeconds * 1000) / requests : 0,
    serverRssMb: rssMb(o.server.pid),
    pgBackendsPssMb: sum(pgAfter.map(pssMb)),
  };
}

/**
 * Statements still running once autocannon stopped (their clients gave up, the server did not, and a
 * server may hold more in its pool's queue) would load the next run: they are cancelled until the
 * database has been idle for a second (at most two minutes).
 */
async function cancelLeftovers(monitor: pg.Client, database: string): Promise<void> {
  const active = `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state = 'active'`;
  for (let idle = 0, i = 0; idle < 5 && i < 600; i++) {
    const { rowCount } = await monitor.query(`SELECT pg_cancel_backend(pid) FROM (${active}) a`, [database]);
    idle = rowCount ? 0 : idle + 1;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Replaces (or appends) the section of RESULTS.md between the markers of `key`, keeping the others. */
export function writeSection(file: string, key: string, text: string, preamble: string): void {
  const start = `<!-- workload:${key} -->`;
  const end = `<!-- /workload:${key} -->`;
  const block = `${start}\n${text.trim()}\n${end}`;
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : `${preamble.trim()}\n`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, doc);
}

export const table = (header: string[], rows: (string | number)[][]) =>
  [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
