/**
 * Memory of the embedded default (issue 10): `sundial serve` on a fresh DATA_DIR with its own embedded
 * PostgreSQL, as `npm start` runs it, measured idle, under an HTTP load and idle again.
 *
 *   npm run bench:memory [-- --idle 20 --load 30 --connections 10]
 *
 * Figures per process tree (the Node process, tsx's esbuild service, the postmaster and its backends):
 * PSS, which counts PostgreSQL's shared buffers once across its processes (the memory the tree really
 * takes), and the sum of RSS, which counts shared pages once per process (an overstatement, printed
 * because "RSS" is what `ps` and `top` show). Writes the "memory" section of bench/RESULTS.md.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../src/platform/embedded-postgres.js';
import { pssMb, rssMb, sum, table, writeSection } from './workload-measure.js';

const { values } = parseArgs({ options: { idle: { type: 'string', default: '20' }, load: { type: 'string', default: '30' }, connections: { type: 'string', default: '10' }, out: { type: 'string', default: 'bench/RESULTS.md' } } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** `root` and every process below it. */
function tree(root: number): number[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const found = [root];
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) if (!found.includes(pid) && found.includes(parentOf(pid))) (found.push(pid), (grew = true));
  }
  return found;
}

interface Sample {
  pss: number;
  rssSum: number;
  nodeRss: number;
  processes: number;
}
function sample(root: number): Sample {
  const pids = tree(root);
  return { pss: sum(pids.map(pssMb)), rssSum: sum(pids.map((p) => rssMb(p))), nodeRss: rssMb(root), processes: pids.length };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sundial-memory-'));
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SMTP_INBOUND_PORT: '0', LOG_LEVEL: 'warn', API_RATE_LIMIT: '0', API_RATE_LIMIT_SEARCH_EXPORT: '0' };
  // The embedded default: no DATABASE_URL, whatever the caller's shell has.
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  const child = spawn(process.execPath, ['bin/sundial.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let up = false; !up; await sleep(300)) {
      if (child.exitCode !== null) throw new Error(`sundial exited:\n${output}`);
      up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    }
    const email = 'memory@bench.localhost';
    const password = 'a long bench password';
    execFileSync(process.execPath, ['bin/sundial.js', 'create-admin', '--email', email, '--password', password, '--name', 'Memory Bench'], { env, stdio: 'ignore' });
    // An API token, as integrations use: a password would cost an argon2 verification per request.
    const minted = await fetch(`${base}/api/v2/api_tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ token: { description: 'memory bench' } }),
    }).then((r) => r.json() as Promise<{ token: { value: string } }>);
    const auth = `Basic ${Buffer.from(`${email}/token:${minted.token.value}`).toString('base64')}`;
    const idleMs = Number(values.idle) * 1000;

    await sleep(idleMs);
    const idle = sample(child.pid!);

    // Under load: reads and writes through the whole stack; sampled every second, the peak kept.
    let peak = idle;
    const sampler = setInterval(() => {
      const s = sample(child.pid!);
      if (s.pss > peak.pss) peak = s;
    }, 1000);
    let n = 0;
    const statuses = new Map<number, number>();
    const result = await autocannon({
      url: base,
      connections: Number(values.connections),
      duration: Number(values.load),
      headers: { authorization: auth },
      requests: [
        {
          setupRequest: (req) =>
            n++ % 4 === 0
              ? { ...req, method: 'POST', path: '/api/v2/tickets', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ ticket: { subject: `memory ${n}`, comment: { body: 'a bench ticket with a few words' } } }) }
              : { ...req, method: 'GET', headers: { authorization: auth }, body: undefined, path: n % 4 === 1 ? '/api/v2/tickets?per_page=100' : n % 4 === 2 ? '/api/v2/views/6/tickets' : '/api/v2/search?query=bench' },
          onResponse: (status, body) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 400 && process.env.DEBUG) console.error(status, body.slice(0, 200));
          },
        },
      ],
    });
    clearInterval(sampler);
    await sleep(idleMs);
    const after = sample(child.pid!);

    const mb = (x: number) => x.toFixed(0);
    const rows = [
      ['idle after start', mb(idle.pss), mb(idle.rssSum), mb(idle.nodeRss), idle.processes],
      [`peak under load (${values.connections} connections, ${values.load} s)`, mb(peak.pss), mb(peak.rssSum), mb(peak.nodeRss), peak.processes],
      ['idle after the load', mb(after.pss), mb(after.rssSum), mb(after.nodeRss), after.processes],
    ];
    const text = [
      '## Memory of the embedded default (`npm run bench:memory`)',
      '',
      `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end. ` +
        `\`sundial serve\` on a fresh DATA_DIR with its embedded PostgreSQL; the load ran ${result.requests.total} requests ` +
        `(${result.requests.average.toFixed(0)} req/s; statuses ${[...statuses].map(([k, v]) => `${k}: ${v}`).join(', ')}) of list, view, search and create.`,
      '',
      table(['Moment', 'PSS of the tree (MB)', 'Sum of RSS (MB)', 'Node RSS (MB)', 'Processes'], rows),
      '',
      'PSS counts each shared page once (PostgreSQL\'s shared buffers are mapped by every backend); the sum of RSS counts it once per process.',
    ].join('\n');
    console.log(text);
    writeSection(values.out!, 'memory', text, '# Benchmark results');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
