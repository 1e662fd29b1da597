import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit } from '../../src/platform/after-commit.js';
import type { Database } from '../../src/platform/db-types.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { announceLive, LiveHub, type LiveEvent } from '../../src/platform/live.js';
import { createTestDatabase } from '../harness.js';

const until = async (check: () => boolean, ms = 5_000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe('work held until commit', () => {
  let url: string;
  let db: Db;
  let close: () => Promise<void>;
  const hub = () => new LiveHub(url);
  beforeAll(async () => {
    url = await createTestDatabase();
    const created = createDb(url, { max: 4 });
    db = created.db;
    close = () => db.destroy();
    await sql`CREATE TABLE probe (id int PRIMARY KEY)`.execute(db);
  });
  afterAll(() => close());

  it('runs after the commit, where it sees what the transaction wrote, and never after a rollback', async () => {
    const seen: number[][] = [];
    const look = async (d: Db) => {
      seen.push((await sql<{ id: number }>`SELECT id FROM probe ORDER BY id`.execute(d)).rows.map((r) => r.id));
    };
    await db.transaction().execute(async (tx) => {
      await sql`INSERT INTO probe VALUES (1)`.execute(tx);
      expect(afterCommit(tx, look)).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([]);
    });
    await until(() => seen.length === 1);
    expect(seen).toEqual([[1]]);

    await db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (tx) => {
        await sql`INSERT INTO probe VALUES (2)`.execute(tx);
        afterCommit(tx, look);
        throw new Error('changed my mind');
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([[1]]);
  });

  it('runs at once on the root handle, and refuses a transaction it did not open', async () => {
    let ran = 0;
    expect(afterCommit(db, async () => void ran++)).toBe(true);
    await until(() => ran === 1);
    expect(ran).toBe(1);
    const controlled = await db.startTransaction().execute();
    expect(afterCommit<Database>(controlled, async () => void ran++)).toBe(false);
    await controlled.rollback().execute();
    expect(ran).toBe(1);
  });

  it('announces live events once committed, in the order they were made, and destroy() waits for them', async () => {
    const listening = hub();
    await listening.start();
    const got: LiveEvent[] = [];
    for (const id of [1, 2, 3]) listening.subscribe(id, (e) => got.push(e));
    try {
      const writer = createDb(url, { max: 4 }).db;
      await writer
        .transaction()
        .execute(async (tx) => {
          await announceLive(tx, { type: 'presence', ticket_id: 1 });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await writer.transaction().execute(async (tx) => {
        await announceLive(tx, { type: 'presence', ticket_id: 2 });
      });
      // Made while earlier ones are still being sent: they go out in batches, in order.
      for (let n = 0; n < 300; n++) await announceLive(writer, { type: 'ticket', ticket_id: 3, author_id: n, at: 'now' });
      await writer.destroy();
      await until(() => got.length === 301);
      expect(got[0]).toEqual({ type: 'presence', ticket_id: 2 });
      expect(got.slice(1).map((e) => (e.type === 'ticket' ? e.author_id : null))).toEqual([...Array(300).keys()]);
    } finally {
      await listening.stop();
    }
  });

  it('sends a transaction it did not open its NOTIFY inside it, delivered at its commit', async () => {
    const listening = hub();
    await listening.start();
    const got: LiveEvent[] = [];
    listening.subscribe(7, (e) => got.push(e));
    try {
      const controlled = await db.startTransaction().execute();
      await announceLive(controlled, { type: 'presence', ticket_id: 7 });
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual([]);
      await controlled.commit().execute();
      await until(() => got.length === 1);
      expect(got).toEqual([{ type: 'presence', ticket_id: 7 }]);
    } finally {
      await listening.stop();
    }
  });
});
