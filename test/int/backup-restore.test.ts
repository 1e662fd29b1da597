import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MailCatcher } from '../mail-catcher.js';
import { captureHelpDesk } from '../ops/capture-help-desk.js';
import { checkRestored } from '../ops/check-restored.js';
import { fillHelpDesk } from '../ops/fill-help-desk.js';
import { Http } from '../ops/http-client.js';
import { createDatabase, dropDatabase, dumpableServer, query, serverMajor, shell, waitForQuietQueue } from '../ops/pg-tools.js';
import { killStartedNodes, startNode, stopNode, sundialCli } from '../ops/sundial-process.js';
import { pidAlive } from '../../src/platform/embedded-postgres.js';

/**
 * The README's "Backup and restore" procedures, run for real against `sundial serve` processes: the
 * commands are the README's, through /bin/sh, and the restored Sundial must answer every API read as
 * the original did, sign everyone in, continue its sequences and deliver mail from its job queue.
 *
 * pg_dump refuses servers newer than itself (the machine's is 15; the embedded PostgreSQL is 17 and
 * ships none), so the DATABASE_URL case dumps a server pg_dump supports (see dumpableServer) and
 * restores into the test run's server: PostgreSQL 15 in the TEST_DATABASE_URL run, the embedded 17 in
 * the other, which also covers moving to a newer PostgreSQL by dump and restore.
 */
const cleanups: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  killStartedNodes();
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
});

const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // As root the embedded PostgreSQL runs as 'postgres', which must traverse the parents of DATA_DIR.
  chmodSync(dir, 0o711);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const catcher = async () => {
  const mail = await new MailCatcher().start();
  cleanups.push(() => mail.stop());
  return mail;
};
/** Seconds since the test started, per phase, printed as one line (figures for the README and reports). */
function stopwatch(label: string) {
  const start = Date.now();
  const laps: string[] = [];
  return { lap: (what: string) => laps.push(`${what} ${((Date.now() - start) / 1000).toFixed(1)}s`), print: () => console.log(`${label}: ${laps.join(', ')}`) };
}
const ADMIN = { email: 'backup-admin@sundial-ops.example', password: 'a long admin password', name: 'Backup Admin' };
const createAdmin = (env: Record<string, string>) => sundialCli(['create-admin', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name], env);
const BUSINESS_TABLES = ['tickets', 'ticket_comments', 'ticket_audits', 'attachments', 'users', 'organizations', 'ticket_metric_events', 'escalations', 'kysely_migration'];
const counts = async (url: string) => Object.fromEntries(await Promise.all(BUSINESS_TABLES.map(async (t) => [t, (await query(url, `SELECT count(*)::int AS n FROM ${t}`))[0].n])));

describe('backup and restore with DATABASE_URL: pg_dump -Fc and the attachments directory', () => {
  it('restores into a new empty database and a new DATA_DIR with every ticket, file, login, sequence and queue', async () => {
    const runServer = inject('pgServerUrl');
    const dump = await dumpableServer(runServer);
    const suffix = randomBytes(4).toString('hex');
    const sourceName = `sundial_backup_src_${suffix}`;
    const source = await createDatabase(dump.url, sourceName);
    cleanups.push(() => dropDatabase(dump.url, sourceName));
    const env = { DATABASE_URL: source, DATA_DIR: tempDir('sundial-backup-a-'), SMTP_URL: (await catcher()).url };
    const clock = stopwatch('backup-restore pg_dump');
    const original = await startNode(env);
    clock.lap('started');
    await createAdmin(env);
    const m = await fillHelpDesk(original.base, ADMIN);
    clock.lap('filled');
    await waitForQuietQueue(source);
    const admin = await Http.withToken(original.base, ADMIN.email, ADMIN.password);
    const before = await captureHelpDesk(admin, m);
    expect(Object.keys(before.attachments)).toHaveLength(m.attachments.length);

    // Backup while the node serves, as documented: the dump first, then the files (written once, never
    // changed), so every attachment the dump knows is in the copy.
    const backup = tempDir('sundial-backup-files-');
    await shell('pg_dump -Fc "$DATABASE_URL" > "$BACKUP/sundial.dump"; cp -a "$DATA_DIR/attachments" "$BACKUP/attachments"', { ...env, BACKUP: backup });
    clock.lap('dumped');
    const sourceCounts = await counts(source);
    expect(await stopNode(original), original.output()).toBe(0);

    // Restore into a new, empty database on the test run's server, and the files into a new DATA_DIR.
    const targetName = `${inject('templateDb').replace('sundial_tpl_', 'sundial_t_')}_restored_${suffix}`;
    const target = await createDatabase(runServer, targetName);
    const mail = await catcher();
    const restored = { DATABASE_URL: target, DATA_DIR: join(tempDir('sundial-backup-b-'), 'data'), SMTP_URL: mail.url };
    const restore = await shell('pg_restore --exit-on-error -d "$DATABASE_URL" "$BACKUP/sundial.dump"; mkdir -p "$DATA_DIR"; cp -a "$BACKUP/attachments" "$DATA_DIR/attachments"', { ...restored, BACKUP: backup });
    expect(restore.stderr).toBe('');
    expect(await counts(target)).toEqual(sourceCounts);
    clock.lap('restored');
    const node = await startNode(restored);
    console.log(`backup-restore: pg_dump ${dump.dumpVersion} of PostgreSQL ${dump.version}, restored on PostgreSQL ${await serverMajor(runServer)}`);
    await checkRestored(node.base, m, before, mail, admin);
    clock.lap('checked');
    expect(await stopNode(node), node.output()).toBe(0);
    clock.print();
  }, 300_000);
});

describe('backup and restore of the embedded PostgreSQL: stop, copy DATA_DIR, start from the copy', () => {
  it('survives a hard kill, then restores from a tar of DATA_DIR in a new directory after the original is gone', async () => {
    const dataDir = join(tempDir('sundial-embedded-a-'), 'data');
    const env = { DATA_DIR: dataDir, SMTP_URL: (await catcher()).url };
    const clock = stopwatch('backup-restore embedded');
    const first = await startNode(env);
    clock.lap('started (initdb)');
    await createAdmin(env); // a one-off command reaches the running server's embedded database
    const m = await fillHelpDesk(first.base, ADMIN);
    clock.lap('filled');
    const embeddedUrl = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')).url as string;
    await waitForQuietQueue(embeddedUrl);
    const admin = await Http.withToken(first.base, ADMIN.email, ADMIN.password);
    const before = await captureHelpDesk(admin, m);

    // Killed hard: its PostgreSQL keeps running; the next start stops that one and serves the same data.
    first.child.kill('SIGKILL');
    await first.exited;
    const orphan = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(pidAlive(orphan)).toBe(true);
    const second = await startNode(env);
    expect(pidAlive(orphan)).toBe(false);
    expect(await captureHelpDesk(admin.at(second.base), m)).toEqual(before);
    expect(await stopNode(second), second.output()).toBe(0);
    clock.lap('restarted after SIGKILL and stopped');
    // A clean stop leaves no server, lock or published URL behind: the directory is a consistent copy.
    for (const f of ['postgres/postmaster.pid', 'sundial.lock', 'embedded-postgres.json']) expect(existsSync(join(dataDir, f)), f).toBe(false);

    // The README's commands; the restore goes to another path and the original is deleted first, so
    // the copy has to stand on its own.
    const backup = tempDir('sundial-embedded-backup-');
    await shell('cd "$PARENT" && tar czf "$BACKUP/sundial-backup.tgz" "$NAME"', { PARENT: dirname(dataDir), NAME: basename(dataDir), BACKUP: backup });
    clock.lap(`tar ${(statSync(join(backup, 'sundial-backup.tgz')).size / 1048576).toFixed(1)} MB`);
    rmSync(dirname(dataDir), { recursive: true, force: true });
    const restoredDir = tempDir('sundial-embedded-b-');
    await shell('cd "$TARGET" && tar xzf "$BACKUP/sundial-backup.tgz"', { TARGET: restoredDir, BACKUP: backup });
    const mail = await catcher();
    const restored = { DATA_DIR: join(restoredDir, basename(dataDir)), SMTP_URL: mail.url };
    const node = await startNode(restored);
    clock.lap('started from the copy');
    await checkRestored(node.base, m, before, mail, admin);
    clock.lap('checked');
    expect(await stopNode(node), node.output()).toBe(0);
    clock.print();
  }, 360_000);
});
