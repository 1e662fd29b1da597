/**
 * Makes an upgrade fixture from an older release: `scripts/make-upgrade-snapshot.sh <commit> <name>`.
 *
 * 1. `git worktree add` of <commit> under /tmp, with this checkout's node_modules linked in;
 * 2. a fresh database on SNAPSHOT_PG_URL (default: the local PostgreSQL 15; pg_dump must support it);
 * 3. that release's own `sundial migrate`, `seed-demo`, `create-admin` and `serve`, then API activity
 *    through fillHelpDesk (requests on both forms with files, replies, notes, SLA, an escalation, an
 *    article when the release has a help center);
 * 4. writes test/fixtures/upgrade/<name>.sql.gz (plain SQL by pg_dump --inserts, no owners, psql's
 *    \restrict lines dropped so any client can load it), <name>.attachments.tgz (DATA_DIR/attachments)
 *    and <name>.json (commit, migrations, row counts, the accounts and words to check);
 * 5. drops the database and removes the worktree, whatever happened. No network is used.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fillHelpDesk } from './fill-help-desk.js';
import { createDatabase, dropDatabase, pgDumpMajor, query, serverMajor, waitForQuietQueue } from './pg-tools.js';
import { run, startNode, stopNode, sundialCli } from './sundial-process.js';

const [commit, name] = process.argv.slice(2);
if (!commit || !/^[a-z0-9][a-z0-9-]*$/.test(name ?? '')) {
  console.error('Usage: scripts/make-upgrade-snapshot.sh <commit> <name>   (name: lowercase letters, digits and dashes)');
  process.exit(2);
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--verify', `${commit}^{commit}`);
const server = process.env.SNAPSHOT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const out = join(repo, 'test', 'fixtures', 'upgrade');
const worktree = `/tmp/sundial-snapshot-${name}-${process.pid}`;
const dbName = `sundial_snapshot_${name.replace(/-/g, '_')}_${process.pid}`;
const SNAPSHOT_ADMIN = { email: 'snapshot-admin@sundial-upgrade.example', password: 'snapshot admin password', name: 'Snapshot Admin' };

async function main() {
  if ((await serverMajor(server)) > (await pgDumpMajor())) throw new Error(`pg_dump ${await pgDumpMajor()} cannot dump ${server}: set SNAPSHOT_PG_URL`);
  git('worktree', 'add', '--quiet', '--detach', worktree, sha);
  symlinkSync(join(repo, 'node_modules'), join(worktree, 'node_modules'));
  const url = await createDatabase(server, dbName);
  const env = { DATABASE_URL: url, DATA_DIR: join(worktree, '.data'), TZ: 'UTC' };
  console.log(`Release ${sha.slice(0, 7)} in ${worktree}, database ${dbName}`);
  await sundialCli(['migrate'], env, worktree);
  console.log((await sundialCli(['seed-demo'], env, worktree)).split('\n')[0]);
  const node = await startNode(env, worktree);
  let manifest;
  try {
    await sundialCli(['create-admin', '--email', SNAPSHOT_ADMIN.email, '--password', SNAPSHOT_ADMIN.password, '--name', SNAPSHOT_ADMIN.name], env, worktree);
    manifest = await fillHelpDesk(node.base, SNAPSHOT_ADMIN, name.replace(/[^a-z]/g, ''));
    await waitForQuietQueue(url);
  } finally {
    const code = await stopNode(node);
    if (code !== 0) throw new Error(`serve exited with ${code}: ${node.output()}`);
  }

  const { stdout } = await run('pg_dump', ['--no-owner', '--no-privileges', '--inserts', '--rows-per-insert=200', url], { maxBuffer: 512 * 1024 * 1024 });
  // psql 15.14+ brackets a dump in \restrict … \unrestrict (a guard for untrusted dumps); this one is
  // ours, and without meta-commands the file loads through any client (the test uses pg).
  const sql = stdout.split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n');
  if (/^\\/m.test(sql)) throw new Error('the dump holds a psql meta-command the loader would not run');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.sql.gz`), gzipSync(sql, { level: 9 }));
  const attachments = join(env.DATA_DIR, 'attachments');
  if (existsSync(attachments)) await run('tar', ['czf', join(out, `${name}.attachments.tgz`), '--owner=0', '--group=0', '--mtime=2000-01-01', '-C', env.DATA_DIR, 'attachments']);

  const tables = ['tickets', 'ticket_comments', 'ticket_audits', 'users', 'organizations', 'attachments', 'ticket_metric_events', 'escalations'];
  const counts = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, (await query(url, `SELECT count(*)::int AS n FROM ${t}`))[0].n])));
  const migrations = (await query(url, 'SELECT name FROM kysely_migration ORDER BY name')).map((r) => r.name as string);
  const info = { commit: sha, subject: git('log', '-1', '--format=%s', sha), made: new Date().toISOString(), pg_dump: await pgDumpMajor(), migrations, counts, manifest };
  writeFileSync(join(out, `${name}.json`), JSON.stringify(info, null, 2) + '\n');
  console.log(`Wrote ${name}.sql.gz (${gzipSync(sql, { level: 9 }).length} bytes), migrations up to ${migrations.at(-1)}, ${JSON.stringify(counts)}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await dropDatabase(server, dbName).catch(() => undefined);
    if (existsSync(worktree)) {
      rmSync(join(worktree, 'node_modules'), { force: true });
      git('worktree', 'remove', '--force', worktree);
    }
  });
