import { readdir, readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './db.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'migrations');

/** Plain .sql files in db/migrations, applied in name order. */
class SqlFileMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(join(migrationsDir, file), 'utf8');
      // No parameters: pg sends it as a simple query, so one file may hold many statements.
      migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
    }
    return migrations;
  }
}

/** Applies pending migrations; Kysely holds an advisory lock so nodes booting together migrate once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Unordered: 0023–0025 landed after 0026, so databases migrated in between have 0026 and still need
  // them (Kysely would refuse them as out of order). Pending migrations still run in name order.
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    const unknown = /previously executed migration (\S+) is missing/.exec(reason)?.[1];
    if (unknown) {
      throw new Error(
        `This database has migration ${unknown}, which this version of Sundial does not know: a newer release has upgraded it. ` +
          'Run that release (or a later one), or restore the backup taken before the upgrade.',
      );
    }
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
