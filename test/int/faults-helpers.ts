import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/**
 * What the fault tests injected and what they found lost or duplicated. Each file records its part in
 * a file of this test run (named after the run's template database); the last to finish prints the total.
 */
export class FaultTally {
  injected = 0;
  lost = 0;
  duplicated = 0;
  readonly notes: string[] = [];
  constructor(private readonly part: string) {}

  inject(n = 1): void {
    this.injected += n;
  }
  /** Records `missing` lost writes and `extra` duplicates found by one check. */
  check(missing: number, extra: number): void {
    this.lost += missing;
    this.duplicated += extra;
  }
  note(line: string): void {
    this.notes.push(line);
  }

  print(): void {
    const file = join(tmpdir(), `${inject('templateDb')}-faults.jsonl`);
    appendFileSync(file, JSON.stringify({ part: this.part, injected: this.injected, lost: this.lost, duplicated: this.duplicated }) + '\n');
    const parts = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { part: string; injected: number; lost: number; duplicated: number });
    const sum = (k: 'injected' | 'lost' | 'duplicated') => parts.reduce((n, p) => n + p[k], 0);
    for (const n of this.notes) console.log(`faults[${this.part}] ${n}`);
    console.log(`faults[${this.part}]: ${this.injected} injected, ${this.lost} writes lost, ${this.duplicated} duplicated`);
    console.log(`faults: ${sum('injected')} injected, ${sum('lost')} writes lost, ${sum('duplicated')} duplicated (${parts.map((p) => p.part).join(' + ')})`);
  }
}

/** How many times each value occurs. */
export function occurrences(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/**
 * A TCP relay in front of a server (the SMTP catcher) that a test can take down: `down` closes the
 * listening socket (clients get ECONNREFUSED), `hang` accepts and never answers (a stuck server).
 */
export class FaultyRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  mode: 'up' | 'hang' = 'up';
  targetPort = 0;

  async start(port = 0): Promise<this> {
    const server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.mode === 'hang') return;
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this;
  }

  /** Refuse connections: the listener goes away and open connections are cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listen again on the same port. */
  async up(): Promise<void> {
    this.mode = 'up';
    this.cut();
    if (!this.server) await this.start(this.port);
  }

  cut(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }
}

export interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
export const killChildren = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'));

/**
 * `tsx src/main.ts serve` as its own process, the way an operator runs it. `fileSizeLimitKb` runs it
 * under `ulimit -f` so its writes past that size fail with EFBIG, like a full disk.
 */
export function spawnSundial(env: Record<string, string>, options: { fileSizeLimitKb?: number } = {}): Child {
  const fullEnv = { ...process.env, LOG_LEVEL: 'warn', SMTP_INBOUND_PORT: '0', ...env };
  const cmd = [process.execPath, 'bin/sundial.js', 'serve'];
  const child = options.fileSizeLimitKb
    ? spawn('/bin/sh', ['-c', `ulimit -f ${options.fileSizeLimitKb} && exec "$@"`, 'sh', ...cmd], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cmd[0], cmd.slice(1), { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForHttp(port: number, child?: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.child.exitCode !== null) throw new Error(`Sundial exited: ${child.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Sundial did not answer on ${port}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value or the time is up (then the last value). */
export async function until<T>(probe: () => Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v || Date.now() > deadline) return v;
    await sleep(everyMs);
  }
}

