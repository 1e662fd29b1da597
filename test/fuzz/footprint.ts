import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.js';

/**
 * What "nothing was written" means for the fuzzer, measured by the database itself: a row trigger
 * on every application table appends (table, operation) to a write log in the same transaction, so
 * a write that is rolled back leaves no entry and any INSERT, UPDATE or DELETE that commits does
 * (stronger than comparing row counts, which miss updates and a delete plus an insert, and cheaper:
 * a snapshot is one index lookup). Jobs enqueued in pg-boss's table count too, and so do files in
 * the attachment store.
 *
 * Left out, because a refused request is meant to write them:
 * - rate_limit_hits: every API request and every failed sign-in counts against a budget (that is how
 *   brute force is limited), refused or not.
 * - UPDATEs of login_challenges (a wrong two-factor code counts an attempt on its challenge) and of
 *   api_tokens (every token request stamps last_used_at, without waiting for it); their INSERTs and
 *   DELETEs still count.
 * The test database is this test file's own clone, so the triggers touch nothing else. Run with the
 * job workers off, so that no job handler writes behind the requests' backs.
 */
export const EXCLUDED = ['rate_limit_hits', 'kysely_migration', 'kysely_migration_lock', 'fuzz_writes'];
export const INSERT_DELETE_ONLY = ['login_challenges', 'api_tokens'];

export interface Footprint {
  /** Newest write-log entry. */
  log: number;
  /** Files under the attachment store. */
  files: number;
}

export async function installFootprint(db: Db, attachmentsDir: string) {
  await sql`CREATE TABLE IF NOT EXISTS fuzz_writes (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION fuzz_note_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO fuzz_writes (tbl, op) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP);
      RETURN NULL;
    END $$`.execute(db);
  const tables = (
    await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((t) => !EXCLUDED.includes(t));
  for (const t of tables) {
    const ops = INSERT_DELETE_ONLY.includes(t) ? 'INSERT OR DELETE' : 'INSERT OR UPDATE OR DELETE';
    await sql.raw(`CREATE OR REPLACE TRIGGER fuzz_note_write AFTER ${ops} ON "${t}" FOR EACH ROW EXECUTE FUNCTION fuzz_note_write()`).execute(db);
  }
  // Jobs the requests enqueue (pg-boss's own maintenance jobs are its business).
  await sql
    .raw(`CREATE OR REPLACE TRIGGER fuzz_note_write AFTER INSERT ON pgboss.job FOR EACH ROW WHEN (NEW.name NOT LIKE '\\_\\_pgboss%') EXECUTE FUNCTION fuzz_note_write()`)
    .execute(db);

  const files = () => {
    try {
      return readdirSync(attachmentsDir, { recursive: true }).length;
    } catch {
      return 0;
    }
  };
  return {
    tables,
    async take(): Promise<Footprint> {
      const row = (await sql<{ n: string | null }>`SELECT max(id) AS n FROM fuzz_writes`.execute(db)).rows[0];
      return { log: Number(row.n ?? 0), files: files() };
    },
    /** What changed between two footprints, as `table OP ×n` and file counts. */
    async diff(before: Footprint, after: Footprint): Promise<string[]> {
      const out: string[] = [];
      if (after.log !== before.log) {
        const rows = (
          await sql<{ tbl: string; op: string; n: string }>`SELECT tbl, op, count(*) AS n FROM fuzz_writes WHERE id > ${before.log} AND id <= ${after.log} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db)
        ).rows;
        out.push(...rows.map((r) => `${r.tbl} ${r.op} ×${r.n}`));
      }
      if (after.files !== before.files) out.push(`files under attachments/: ${before.files} → ${after.files}`);
      return out;
    },
  };
}
