/**
 * One autocannon run against a URL (a node or the balancer) with the CPU each party used meanwhile, read
 * from /proc: every Sundial node, the balancer, the PostgreSQL backends serving the database, every
 * postgres process on the machine, this process (autocannon and the mail/webhook receivers), and the
 * machine as a whole, so "other" is the shared machine's other work.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type pg from 'pg';
import { autocannonRun, backendPids, cpuSeconds, postgresPids, sum, type LoadSummary, type RequestSpec, type ServerProcess } from '../workload-measure.js';

export interface CpuShare {
  /** Per node, in % of one core over the run. */
  nodes: number[];
  balancer: number;
  pgBackends: number;
  pgAll: number;
  bench: number;
  /** Busy % of the whole machine (100 % = one core; 200 % = both cores on this machine). */
  machine: number;
  other: number;
}

export interface LoadFigures extends LoadSummary {
  cpu: CpuShare;
  /** Background jobs the nodes completed during the run, by queue ("mail.send 120, …"): part of the CPU above. */
  jobs: string;
}

/** Busy CPU seconds of the whole machine (all cores) since boot: everything but idle and iowait. */
function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

const benchSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export interface Parties {
  nodes: ServerProcess[];
  balancer: ServerProcess | null;
  monitor: pg.Client;
  database: string;
}

/** Starts counting CPU now; the returned function gives each party's share since then. */
export async function cpuMeter(p: Parties): Promise<() => Promise<CpuShare>> {
  const t0 = Date.now();
  const pgBefore = new Map((await backendPids(p.monitor, p.database)).map((pid) => [pid, cpuSeconds(pid)]));
  const allPg = postgresPids();
  const allBefore = new Map(allPg.map((pid) => [pid, cpuSeconds(pid)]));
  const nodes0 = p.nodes.map((n) => cpuSeconds(n.pid));
  const balancer0 = p.balancer ? cpuSeconds(p.balancer.pid) : 0;
  const bench0 = benchSeconds();
  const machine0 = machineBusySeconds();
  return async () => {
    const seconds = (Date.now() - t0) / 1000;
    const pct = (cpu: number) => (100 * cpu) / seconds;
    // A backend opened during the run counts from zero; one closed during the run loses its share (never negative).
    const pgBackends = sum((await backendPids(p.monitor, p.database)).map((pid) => Math.max(0, cpuSeconds(pid) - (pgBefore.get(pid) ?? 0))));
    const pgAll = sum(postgresPids().map((pid) => Math.max(0, cpuSeconds(pid) - (allBefore.get(pid) ?? 0))));
    const nodes = p.nodes.map((n, i) => cpuSeconds(n.pid) - nodes0[i]);
    const balancer = p.balancer ? cpuSeconds(p.balancer.pid) - balancer0 : 0;
    const bench = benchSeconds() - bench0;
    const machine = machineBusySeconds() - machine0;
    return {
      nodes: nodes.map(pct),
      balancer: pct(balancer),
      pgBackends: pct(pgBackends),
      pgAll: pct(pgAll),
      bench: pct(bench),
      machine: pct(machine),
      other: pct(Math.max(0, machine - sum(nodes) - balancer - pgAll - bench)),
    };
  };
}

/** Runs autocannon for `seconds` on `connections`, each request from next(counter.n++). */
export async function runLoad(o: { url: string; connections: number; seconds: number; next: (n: number) => RequestSpec; counter: { n: number }; parties: Parties }): Promise<LoadFigures> {
  const stopMeter = await cpuMeter(o.parties);
  const t0 = new Date();
  const r = await autocannonRun(o);
  const cpu = await stopMeter();
  const { rows } = await o.parties.monitor.query<{ name: string; n: number }>(
    "SELECT name, count(*)::int AS n FROM pgboss.job WHERE completed_on BETWEEN $1 AND now() AND name NOT LIKE '\\_\\_pgboss%' GROUP BY name ORDER BY count(*) DESC",
    [t0],
  );
  const jobs = rows.map((j) => `${j.name} ${j.n}`).join(', ') || 'none';
  return { ...r, cpu, jobs };
}

/**
 * Load that runs until stopped (the exactly-once phase runs its work under it). Returns the stop function,
 * which resolves with the requests sent and how many failed.
 */
export function backgroundLoad(o: { url: string; connections: number; next: (n: number) => RequestSpec; counter: { n: number } }): () => Promise<{ requests: number; non2xx: number; errors: number }> {
  let finish: (r: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  // With a callback autocannon returns the running instance (stop()), not a promise.
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: 3600,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const spec = o.next(o.counter.n++);
          return { ...req, method: spec.method, path: spec.path, body: spec.body, headers: spec.headers };
        },
      },
    ],
  }, (_err, result) => finish(result));
  return async () => {
    instance.stop();
    const r = await done;
    return { requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
  };
}
