import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledByIds, compiledOnce } from '../../src/platform/compiled-once.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { createTestDatabase } from '../harness.js';

describe('statements compiled once', () => {
  let db: Db;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const created = createDb(await createTestDatabase(), { max: 2 });
    db = created.db;
    close = () => created.pool.end();
    await sql`CREATE TABLE probe (id int PRIMARY KEY, note text, tags text[], seen timestamptz)`.execute(db);
  });
  afterAll(() => close());

  type Probe = { id: number; note: string | null; tags: string[]; seen: Date };
  const insert = compiledOnce((d, p: Probe) =>
    d
      .insertInto('probe' as never)
      .values({ id: p.id, note: p.note, tags: p.tags, seen: p.seen } as never)
      .returning([sql<number>`id`.as('id'), sql<string | null>`note`.as('note'), sql<string[]>`tags`.as('tags'), sql<Date>`seen`.as('seen')]),
  );

  it('binds each run its own values, in and out of transactions', async () => {
    const seen = new Date('2026-11-27T10:00:00.000Z');
    expect(await insert(db, { id: 1, note: 'first', tags: ['a', 'b'], seen })).toEqual([{ id: 1, note: 'first', tags: ['a', 'b'], seen }]);
    expect(await insert(db, { id: 2, note: null, tags: [], seen })).toEqual([{ id: 2, note: null, tags: [], seen }]);
    await db.transaction().execute(async (tx) => {
      await insert(tx, { id: 3, note: 'in a transaction', tags: ['c'], seen });
      await expect(insert(tx, { id: 1, note: 'duplicate', tags: [], seen })).rejects.toThrow(/duplicate key/);
    }).catch(() => undefined);
    // The transaction rolled back with its failure: row 3 is not there.
    const { rows } = await sql<{ id: number }>`SELECT id FROM probe ORDER BY id`.execute(db);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('uses a value wherever the statement takes it, as often as it does', async () => {
    const twice = compiledOnce((d, p: { id: number; suffix: string }) =>
      sql<{ id: number; label: string }>`SELECT id, note || ${p.suffix} || ${p.suffix} AS label FROM probe WHERE id = ${p.id}`,
    );
    expect(await twice(db, { id: 1, suffix: '!' })).toEqual([{ id: 1, label: 'first!!' }]);
    expect(await twice(db, { id: 2, suffix: '?' })).toEqual([{ id: 2, label: null }]);
  });

  it('keeps constants of the statement, and refuses a run without a value it needs', async () => {
    const byNote = compiledOnce((d, p: { id: number }) => d.selectFrom('probe' as never).select(sql<number>`id`.as('id')).where(sql`note`, '=', 'first').where(sql`id`, '=', p.id));
    expect(await byNote(db, { id: 1 })).toEqual([{ id: 1 }]);
    expect(await byNote(db, { id: 2 })).toEqual([]);
    await expect(byNote(db, {} as { id: number })).rejects.toThrow(/no value for id/);
  });

  it('refuses a build that computes with a value instead of placing it', async () => {
    const computed = compiledOnce((d, p: { note: string }) => sql<{ id: number }>`SELECT id FROM probe WHERE note = ${`${p.note}!`}`);
    await expect(computed(db, { note: 'first' })).rejects.toThrow(/note is used in a computation/);
  });

  it('reads by one id or by several, in both forms', async () => {
    const notes = compiledByIds((d, ids) => d.selectFrom('probe' as never).select([sql<number>`id`.as('id'), sql<string | null>`note`.as('note')]).where(sql`id`, '=', ids).orderBy(sql`id`));
    expect(await notes(db, [1])).toEqual([{ id: 1, note: 'first' }]);
    expect(await notes(db, [2, 1, 99])).toEqual([{ id: 1, note: 'first' }, { id: 2, note: null }]);
    expect(await notes(db, [2])).toEqual([{ id: 2, note: null }]);
    expect(await notes(db, [])).toEqual([]);
  });
});
