/**
 * Cursor pages of the views (issue 10): walking a view by `page[after]` returns exactly the rows of one big
 * sorted query, in its order, for every sort and both directions (NULL breach and solve times last, equal
 * sort values broken by id, timestamps a microsecond apart); `page[before]` walks back; a forged cursor is
 * a 400, never a 500; a ticket that changes while paging moves alone; offset pages still work up to their
 * cap, NULLs last there too.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { priorityRank, SORT_KEYS, VIEWS, type SortKey, type ViewDefinition } from '../../src/modules/views/view-definitions.js';
import { createAgent } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const TICKETS = 72;
const SIZE = 6;
let env: TestEnv;
let agent: Awaited<ReturnType<typeof createAgent>>;

beforeAll(async () => {
  env = await startTestApp({}, { workers: false });
  agent = await createAgent(env);
  const forms = await env.ctx.db.selectFrom('ticket_forms').select(['id', 'kind']).execute();
  const form = (kind: string) => forms.find((f) => f.kind === kind)!.id;
  // Every value repeats (ties broken by id), sort order differs from id order, some created_at and solved_at
  // values are a microsecond apart (one JS millisecond), a third of the tickets have no breach time, and
  // solve times are on every solved or closed ticket (0 to 9 days ago: some outside "Recently solved") and
  // on a few others, so every view mixes solve times and NULLs.
  const statuses = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'new', 'open'];
  const rows = Array.from({ length: TICKETS }, (_, i) => {
    const k = (i * 7) % TICKETS;
    return sql`(${form(i % 3 === 0 ? 'sales' : 'technical')}, ${`Subject ${['b', 'a', 'c', 'A', 'é'][i % 5]}`}, 'x', ${[null, 'low', 'normal', 'high', 'urgent'][i % 5]}, ${statuses[i % 8]},
      ${agent.user.id}, ${agent.user.id}, ${i % 4 === 0 ? agent.user.id : null},
      timestamptz '2026-01-01 00:00:00Z' + ${Math.floor(k / 3)} * interval '1 second' + ${k % 3 === 2 ? 1 : 0} * interval '1 microsecond',
      timestamptz '2026-01-01 00:00:00Z' + ${(i * 5) % 7} * interval '1 second',
      ${i % 3 === 0 ? null : sql`date_trunc('minute', now()) + ${((i * 11) % 5) - 2} * interval '1 hour'`},
      ${i % 3 === 0 || i % 7 === 0 ? sql`now() - interval '1 hour'` : null},
      ${
        statuses[i % 8] === 'solved' || statuses[i % 8] === 'closed'
          ? sql`date_trunc('second', now()) - ${i % 10} * interval '1 day' + ${k % 3 === 2 ? 1 : 0} * interval '1 microsecond'`
          : i % 5 === 1
            ? sql`date_trunc('second', now()) - ${i % 4} * interval '1 hour'`
            : null
      })`;
  });
  await sql`INSERT INTO tickets (form_id, subject, description, priority, status, requester_id, submitter_id, assignee_id, created_at, updated_at, sla_next_breach_at, sla_breached_since, solved_at)
    VALUES ${sql.join(rows)}`.execute(env.ctx.db);
}, 60_000);
afterAll(() => env?.close());

const path = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};
const idsOf = (body: { tickets: { id: number }[] }) => body.tickets.map((t) => t.id);

/** The reference: one query over the whole view, sorted, NULLs last, ties by id. */
async function sortedView(view: ViewDefinition, by: SortKey, order: 'asc' | 'desc'): Promise<number[]> {
  const actor = { user: { id: agent.user.id } } as Actor;
  const expr = by === 'priority' ? priorityRank : sql.ref(`tickets.${by}`);
  const rows = await env.ctx.db
    .selectFrom('tickets')
    .select('tickets.id')
    .where('tickets.deleted_at', 'is', null)
    .where((eb) => view.filter(eb, actor))
    .orderBy(sql`${expr} ${sql.raw(order)} NULLS LAST`)
    .orderBy('tickets.id', order)
    .execute();
  return rows.map((r) => r.id);
}

/** Follows links.next from `first` to the end; returns every id and the last non-empty page. */
async function walkForward(first: string) {
  const ids: number[] = [];
  let url: string | null = first;
  let last: any = null;
  for (let n = 0; url && n < 100; n++) {
    const res: { status: number; body: any } = await agent.api.get(url);
    expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body.count).toBeUndefined();
    ids.push(...idsOf(res.body));
    if (res.body.tickets.length) last = res.body;
    expect(res.body.meta.has_more).toBe(!!res.body.links.next);
    url = res.body.links.next ? path(res.body.links.next) : null;
  }
  return { ids, last };
}

/** Follows links.prev from a page back to the start; returns the ids before that page, in list order. */
async function walkBack(page: any) {
  const ids: number[] = [];
  let url: string | null = page.links.prev ? path(page.links.prev) : null;
  for (let n = 0; url && n < 100; n++) {
    const res: { status: number; body: any } = await agent.api.get(url);
    expect(res.status).toBe(200);
    ids.unshift(...idsOf(res.body));
    url = res.body.links.prev ? path(res.body.links.prev) : null;
  }
  return ids;
}

describe('views by cursor', () => {
  for (const view of VIEWS) {
    it(`view ${view.id}: every sort, both orders, forwards and back, matches one sorted query`, async () => {
      for (const by of SORT_KEYS) {
        for (const order of ['asc', 'desc'] as const) {
          const expected = await sortedView(view, by, order);
          const sort = `${order === 'desc' ? '-' : ''}${by}`;
          const { ids, last } = await walkForward(`/api/v2/views/${view.id}/tickets?page[size]=${SIZE}&sort=${sort}`);
          expect(ids, `${view.id} ${sort}`).toEqual(expected);
          if (!last) continue;
          const lastIds = idsOf(last);
          expect([...(await walkBack(last)), ...lastIds], `${view.id} ${sort} backwards`).toEqual(expected);
          // sort_by/sort_order (what the agent workspace sends) pick the same order.
          const viaSortBy = await agent.api.get(`/api/v2/views/${view.id}/tickets?page[size]=${SIZE}&sort_by=${by}&sort_order=${order}`);
          expect(idsOf(viaSortBy.body)).toEqual(expected.slice(0, SIZE));
        }
      }
    }, 120_000);
  }

  it("uses the view's own order without a sort, and tickets carry no paging fields", async () => {
    const res = await agent.api.get(`/api/v2/views/8/tickets?page[size]=100`);
    expect(idsOf(res.body)).toEqual(await sortedView(VIEWS[7], 'sla_next_breach_at', 'asc'));
    expect(res.body.tickets[0]).not.toHaveProperty('sort_value');
    expect(res.body.meta).toEqual({ has_more: false, after_cursor: null, before_cursor: expect.any(String) });
  });

  it('lists "Recently solved" latest solve first, by cursor and by offset', async () => {
    const expected = await sortedView(VIEWS[6], 'solved_at', 'desc');
    expect(expected.length).toBeGreaterThan(SIZE);
    expect((await agent.api.get('/api/v2/views/7')).body.view.execution).toMatchObject({ sort_by: 'solved_at', sort_order: 'desc' });
    const { ids } = await walkForward(`/api/v2/views/7/tickets?page[size]=${SIZE}`);
    expect(ids).toEqual(expected);
    expect(idsOf((await agent.api.get('/api/v2/views/7/tickets?per_page=100')).body)).toEqual(expected);
  });

  it('refuses forged cursors and cursors of another sort with 400 InvalidPaginationParameter', async () => {
    const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const first = await agent.api.get(`/api/v2/views/6/tickets?page[size]=2&sort=-updated_at`);
    const cases: [string, string][] = [
      ['garbage', 'sort=-updated_at&page[after]=%%%not-base64'],
      ['not JSON', `sort=-updated_at&page[after]=${enc('{{{')}`],
      ['an id cursor', `sort=-updated_at&page[after]=${enc({ id: 5 })}`],
      ['another sort', `sort=updated_at&page[after]=${first.body.meta.after_cursor}`],
      ['another sort (before)', `sort=created_at&page[before]=${first.body.meta.before_cursor}`],
      ['no sort given', `page[after]=${first.body.meta.after_cursor}`],
      ['a number as a date', `sort=-updated_at&page[after]=${enc({ s: '-updated_at', v: 5, id: 1 })}`],
      ['a number as a solve time', `sort=-solved_at&page[after]=${enc({ s: '-solved_at', v: 5, id: 1 })}`],
      ['30 February', `sort=-updated_at&page[after]=${enc({ s: '-updated_at', v: '2026-02-30T00:00:00.000000Z', id: 1 })}`],
      ['year 0', `sort=-updated_at&page[after]=${enc({ s: '-updated_at', v: '0000-01-01T00:00:00.000000Z', id: 1 })}`],
      ['a date without micros', `sort=-updated_at&page[after]=${enc({ s: '-updated_at', v: '2026-01-01T00:00:00Z', id: 1 })}`],
      ['NULL where none can be', `sort=-updated_at&page[after]=${enc({ s: '-updated_at', v: null, id: 1 })}`],
      ['a NUL in text', `sort=subject&page[after]=${enc({ s: 'subject', v: 'a\u0000b', id: 1 })}`],
      ['a huge rank', `sort=priority&page[after]=${enc({ s: 'priority', v: 2 ** 40, id: 1 })}`],
      ['a negative id', `sort=id&page[after]=${enc({ s: 'id', v: 1, id: -1 })}`],
      ['an id past 2^53', `sort=id&page[after]=${enc({ s: 'id', v: 2 ** 60, id: 1 })}`],
      ['an object value', `sort=status&page[after]=${enc({ s: 'status', v: { a: 1 }, id: 1 })}`],
      ['an unknown sort', `sort=-requester`],
    ];
    for (const [what, query] of cases) {
      const res = await agent.api.get(`/api/v2/views/6/tickets?page[size]=2&${query}`);
      expect(res.status, what).toBe(400);
      expect(res.body.error, what).toBe('InvalidPaginationParameter');
    }
    // A NULL breach or solve time is a real place in that sort.
    const nullPlace = await agent.api.get(`/api/v2/views/8/tickets?page[size]=2&sort=sla_next_breach_at&page[after]=${enc({ s: 'sla_next_breach_at', v: null, id: 0 })}`);
    expect(nullPlace.status).toBe(200);
    const unsolved = await agent.api.get(`/api/v2/views/6/tickets?page[size]=2&sort=-solved_at&page[before]=${enc({ s: '-solved_at', v: null, id: 2 ** 40 })}`);
    expect(unsolved.status).toBe(200);
  });

  it('a ticket that changes while paging moves alone: no other row repeats or goes missing', async () => {
    const before = await sortedView(VIEWS[2], 'updated_at', 'asc');
    expect(before.length).toBeGreaterThanOrEqual(8);
    const page1 = await agent.api.get(`/api/v2/views/3/tickets?page[size]=3`);
    expect(idsOf(page1.body)).toEqual(before.slice(0, 3));
    // Moved: one ticket of page 1 and one further on jump to the end; one further on leaves the view.
    const moved = [before[1], before[5]];
    const gone = before[7];
    await env.ctx.db.updateTable('tickets').set({ updated_at: new Date('2026-06-01T00:00:00Z') }).where('id', 'in', moved).execute();
    await env.ctx.db.updateTable('tickets').set({ status: 'open' }).where('id', '=', gone).execute();
    const rest = await walkForward(path(page1.body.links.next));
    const seen = [...idsOf(page1.body), ...rest.ids];
    const still = (ids: number[]) => ids.filter((id) => !moved.includes(id) && id !== gone);
    expect(still(seen)).toEqual(still(before));
    expect(seen.slice(-2)).toEqual([...moved].sort((a, b) => a - b)); // now the latest updates, in id order
  });
});

describe('views by offset (Zendesk clients without cursors)', () => {
  it('pages with page/per_page, sort_by/sort_order and count, up to the 10,000th ticket', async () => {
    const expected = await sortedView(VIEWS[5], 'created_at', 'desc');
    const res = await agent.api.get('/api/v2/views/6/tickets?per_page=4&page=2&sort_by=created_at&sort_order=desc');
    expect(idsOf(res.body)).toEqual(expected.slice(4, 8));
    expect(res.body.count).toBe(expected.length);
    expect(res.body.next_page).toMatch(/page=3/);
    expect(res.body.previous_page).toMatch(/page=1/);
    const breach = await agent.api.get('/api/v2/views/8/tickets?per_page=100&sort_by=sla_next_breach_at&sort_order=desc');
    expect(idsOf(breach.body)).toEqual(await sortedView(VIEWS[7], 'sla_next_breach_at', 'desc'));
    // Nullable sorts page through the valued tickets, then the NULLs: pages across and past the boundary.
    for (const [view, by, order] of [[VIEWS[5], 'solved_at', 'desc'], [VIEWS[5], 'solved_at', 'asc'], [VIEWS[7], 'sla_next_breach_at', 'desc']] as const) {
      const all = await sortedView(view, by, order);
      const pages: number[] = [];
      for (let n = 1; n <= Math.ceil(all.length / 5); n++) {
        const res = await agent.api.get(`/api/v2/views/${view.id}/tickets?per_page=5&page=${n}&sort_by=${by}&sort_order=${order}`);
        expect(res.body.count).toBe(all.length);
        expect(res.body.next_page === null, `${view.id} ${by} ${order} page ${n}`).toBe(n * 5 >= all.length);
        pages.push(...idsOf(res.body));
      }
      expect(pages, `${view.id} ${by} ${order}`).toEqual(all);
    }
    expect((await agent.api.get('/api/v2/views/6/tickets?per_page=100&page=100')).status).toBe(200);
    const deep = await agent.api.get('/api/v2/views/6/tickets?per_page=100&page=101');
    expect(deep.status).toBe(400);
    expect(deep.body.error).toBe('InvalidPaginationParameter');
  });
});
