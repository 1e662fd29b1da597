import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/platform/db.js';
import { PREPARED_PER_CONNECTION, shouldPrepare } from '../../src/platform/prepared-statements.js';
import { createTestDatabase } from '../harness.js';

describe('writes as named prepared statements', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const created = createDb(await createTestDatabase(), { max: 1 });
    db = created.db;
    close = () => created.pool.end();
    await sql`CREATE TABLE probe (id int PRIMARY KEY, note text)`.execute(db);
  });
  afterAll(() => close());

  const prepared = async () => (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

  it('prepares writes without a star, and no reads', () => {
    expect(shouldPrepare('insert into "probe" ("id") values ($1) returning "id"')).toBe(true);
    expect(shouldPrepare(' UPDATE probe SET note = $1 WHERE id = $2')).toBe(true);
    expect(shouldPrepare('with "a" as (insert into "x" ("v") values ($1) returning "id") select "a"."id" from "a"')).toBe(true);
    expect(shouldPrepare('delete from "probe" where "id" = $1')).toBe(true);
    expect(shouldPrepare('select count(*) from "probe"')).toBe(false);
    expect(shouldPrepare('update "tickets" set "status" = $1 where "id" = $2 returning *')).toBe(false);
    expect(shouldPrepare('with t as (select "tickets".* from tickets) update x set y = 1')).toBe(false);
    expect(shouldPrepare('insert into "n" select count(*) from "probe"')).toBe(true);
    expect(shouldPrepare('insert into "j" select "a" * 2, interval \'1s\' * ("b" * 3) from "probe"')).toBe(true);
    expect(shouldPrepare('insert into "j" select "a", * from "probe"')).toBe(false);
    expect(shouldPrepare('update "u" set "v" = 1 returning "u".*')).toBe(false);
  });

  it('runs a write once parsed per connection, with the same results', async () => {
    for (let i = 1; i <= 8; i++) {
      const row = await db.insertInto('probe' as never).values({ id: i, note: `n${i}` } as never).returning(sql<number>`id`.as('id')).executeTakeFirstOrThrow();
      expect(row).toEqual({ id: i });
    }
    const statements = await prepared();
    // Eight inserts of one shape: one named statement on this (only) connection.
    expect(statements.filter((s) => s.startsWith('insert into "probe"'))).toHaveLength(1);
    expect(statements.some((s) => /^select/i.test(s))).toBe(false);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM probe`.execute(db)).rows[0].n).toBe(8);
  });

  it('keeps working inside transactions that roll back, and after errors', async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`UPDATE probe SET note = ${'rolled back'} WHERE id = ${1}`.execute(tx);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await expect(sql`INSERT INTO probe (id, note) VALUES (${1}, ${'duplicate'})`.execute(db)).rejects.toMatchObject({ code: '23505' });
    await sql`UPDATE probe SET note = ${'kept'} WHERE id = ${1}`.execute(db);
    expect((await sql<{ note: string }>`SELECT note FROM probe WHERE id = 1`.execute(db)).rows[0].note).toBe('kept');
  });

  it('recovers from a schema change that alters a prepared result type', async () => {
    const write = (id: number) => sql<{ id: number }>`INSERT INTO probe (id, note) VALUES (${id}, ${'typed'}) RETURNING id`.execute(db);
    await write(100);
    await sql`ALTER TABLE probe ALTER COLUMN id TYPE bigint`.execute(db);
    await expect(write(101)).rejects.toMatchObject({ code: '0A000' });
    // The statement fails once (as it would in PostgreSQL itself), then is prepared afresh under another name.
    expect((await write(102)).rows[0].id).toBe(102);
  });

  it('stops naming new statements on a connection that holds its limit', async () => {
    for (let i = 0; i < PREPARED_PER_CONNECTION + 20; i++) await sql`UPDATE probe SET note = ${'x'} WHERE id = ${i} AND ${sql.lit(i)} >= 0`.execute(db);
    expect((await prepared()).length).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
  });
});
