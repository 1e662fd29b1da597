import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { promisify } from 'node:util';

export const run = promisify(execFile);

/**
 * Sundial as an operator runs it: `node bin/sundial.js serve` in its own process, from `cwd` (this
 * repository, or a worktree of an older release). Imports nothing from src/ or vitest.
 */
export interface SundialNode {
  child: ChildProcess;
  base: string;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

/** Settings every operations test node shares; PUBLIC_URL is fixed so presented URLs compare equal. */
export const NODE_ENV = {
  PUBLIC_URL: 'http://sundial.test',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  SMTP_INBOUND_PORT: '0',
  JOB_POLL_SECONDS: '0.5',
  API_RATE_LIMIT: '0',
  API_RATE_LIMIT_TICKET_UPDATES: '0',
  // The machine's PostgreSQL is shared by every test file running at the same time.
  DATABASE_POOL_SIZE: '3',
};

const started: ChildProcess[] = [];
/** SIGKILL every node this process started that is still running (afterAll). */
export const killStartedNodes = () => started.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));


/** The environment of a child: ours without any DATABASE_URL or DATA_DIR, then the given settings. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, DATA_DIR: _dir, TEST_DATABASE_URL: _t, ...rest } = process.env;
  return { ...rest, ...NODE_ENV, ...env };
}

/** Starts `serve` and resolves once /healthz answers (HTTP listens last, so the node is fully up). */
export async function startNode(env: Record<string, string>, cwd = process.cwd(), timeoutMs = 90_000): Promise<SundialNode> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/sundial.js', 'serve'], { cwd, env: childEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const node = { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exited };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Sundial exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`Sundial did not answer on ${port}: ${output}`);
    if (await fetch(`${node.base}/healthz`).then((r) => r.ok, () => false)) return node;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Ctrl-C / SIGTERM, as the README says to stop it; returns the exit code (0 = clean shutdown). */
export async function stopNode(node: SundialNode, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  node.child.kill(signal);
  return node.exited;
}

/** `sundial <args>` as a one-off command (create-admin, migrate, seed-demo); throws with its output on failure. */
export async function sundialCli(args: string[], env: Record<string, string>, cwd = process.cwd()): Promise<string> {
  const { stdout } = await run(process.execPath, ['bin/sundial.js', ...args], { cwd, env: childEnv(env), maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
