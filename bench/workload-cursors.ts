/**
 * Deep cursors for the workload's "deep view page" operation: the `page[after]` cursor of the row just
 * before a view's deep page (page `page` of `perPage`, in the view's own order), exactly as Sundial's API
 * hands it out, so Sundial and the raw server read the same keyset range without walking 1,000 pages.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/modules/accounts/actor.js';
import type { Database } from '../src/platform/db-types.js';
import { encodeCursor } from '../src/platform/pagination.js';
import type { ViewDefinition } from '../src/modules/views/view-definitions.js';

export async function deepViewCursors(url: string, agentId: number, views: readonly ViewDefinition[], pageOf: (viewId: number) => number, perPage: number): Promise<Map<number, string>> {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  const actor = { user: { id: agentId } } as Actor;
  const cursors = new Map<number, string>();
  try {
    for (const view of views) {
      const { by, order } = view.sort;
      const sort = by === 'priority' ? null : sql.ref(`tickets.${by}`);
      if (!sort) throw new Error(`view ${view.id}: deep cursors cover timestamp sorts only`);
      const row = await db
        .selectFrom('tickets')
        .where('tickets.deleted_at', 'is', null)
        .where((eb) => view.filter(eb, actor))
        .select(['tickets.id', sql<string | null>`to_char(${sort} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('v')])
        .orderBy(sql`${sort} ${sql.raw(order)} NULLS LAST`)
        .orderBy('tickets.id', order)
        .offset(Math.max(0, (pageOf(view.id) - 1) * perPage - 1))
        .limit(1)
        .executeTakeFirst();
      if (row) cursors.set(view.id, encodeCursor({ id: Number(row.id), sort: `${order === 'desc' ? '-' : ''}${by}`, value: row.v }));
    }
  } finally {
    await db.destroy();
  }
  return cursors;
}
