/**
 * The processes of the several-nodes benchmark: real Sundial nodes (`src/main.ts serve`, job workers on,
 * exactly as production starts them) on one PostgreSQL, and the round-robin balancer (bench/balancer.ts)
 * in front of them, each its own process so /proc can say where the CPU went.
 */
import { createServer } from 'node:net';
import { startServer, type ServerProcess } from '../workload-measure.js';

export interface NodeSettings {
  databaseUrl: string;
  /** Shared by every node: attachments live under DATA_DIR/attachments (README "Several nodes"). */
  dataDir: string;
  smtpUrl: string;
  /** Extra environment (AUTO_CLOSE_AFTER, CSAT_AFTER, …) for the phase that needs short timers. */
  extra?: Record<string, string>;
}

export interface Cluster {
  nodes: ServerProcess[];
  /** Round robin over every node. */
  balancer: ServerProcess;
  /** A second balancer over node A alone: the 1-node setup, measured back to back with the 3-node one. */
  balancerA: ServerProcess;
  stop(): Promise<void>;
}

/** A port nobody listens on right now: each node gets its own fixed PORT, as on a real host. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function nodeEnvironment(s: NodeSettings, port: number): Record<string, string> {
  return {
    DATABASE_URL: s.databaseUrl,
    // 3 nodes × (8 + pg-boss 4 + LISTEN 1) stay well under this machine's max_connections of 100, shared with others' tests.
    DATABASE_POOL_SIZE: '8',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: s.dataDir,
    PUBLIC_URL: 'http://sundial.bench',
    SMTP_URL: s.smtpUrl,
    SMTP_INBOUND_PORT: '0', // one host, several nodes: inbound SMTP off (README "Several nodes")
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true', // behind the balancer, which sets X-Forwarded-For
    WEBHOOK_ALLOW_PRIVATE: 'true', // the paging receiver is on 127.0.0.1
    // Counted but never refusing: one agent token drives the whole load.
    API_RATE_LIMIT: '100000000',
    API_RATE_LIMIT_TICKET_UPDATES: '100000000',
    API_RATE_LIMIT_SEARCH_EXPORT: '100000000',
    ...s.extra,
  };
}

/**
 * SIGTERM, then up to 45 s for a clean stop: a node closes HTTP (up to 10 s for requests in flight) and then
 * pg-boss (up to 10 s for running jobs, then fails them so another node retries them). A SIGKILL
 * earlier would leave its jobs "active" until pg-boss expires them (15 min): late mail, blocked sweeps.
 */
export async function stopProcess(p: ServerProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((resolve) => p.child.once('exit', resolve));
  p.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 45_000))]);
  if (p.child.exitCode === null && p.child.signalCode === null) {
    console.error(`${p.name} did not stop within 45 s: killed`);
    p.child.kill('SIGKILL');
  }
}

/** Starts `count` nodes one after another (migrations are already applied: boot is quick) and the balancers. */
export async function startCluster(count: number, settings: NodeSettings): Promise<Cluster> {
  const nodes: ServerProcess[] = [];
  const balancers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(balancers.map(stopProcess));
    await Promise.all(nodes.map(stopProcess));
  };
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      nodes.push(await startServer(`node ${String.fromCharCode(65 + i)}`, 'src/main.ts', nodeEnvironment(settings, port), ['serve']));
    }
    balancers.push(await startServer('balancer', 'bench/balancer.ts', {}, ['--port', '0', ...nodes.map((n) => n.url)]));
    balancers.push(await startServer('balancer A', 'bench/balancer.ts', {}, ['--port', '0', nodes[0].url]));
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, balancer: balancers[0], balancerA: balancers[1], stop };
}
