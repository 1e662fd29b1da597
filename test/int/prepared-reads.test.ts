import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { shouldPrepare } from '../../src/platform/prepared-statements.js';

let env: TestEnv;
let agent: Actor;
let customer: Actor;
beforeAll(async () => {
  env = await startTestApp({ DATABASE_POOL_SIZE: '2' }, { workers: false });
  agent = await createAgent(env, { groups: ['technical'] });
  const org = await createOrganization(env, { plan: 'premier' });
  customer = await createCustomer(env, org);
});
afterAll(() => env?.close());

/** A customer's request, the agent's work on it and a search that finds it: every request whose reads are marked to prepare. */
async function workOneTicket(): Promise<number[]> {
  const statuses: number[] = [];
  const created = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api));
  statuses.push(created.status);
  const id = created.body.request.id as number;
  for (const ticket of [{ comment: { body: 'Looking into it.', public: true }, assignee_id: agent.user.id }, { comment: { body: 'A note.', public: false } }, { status: 'pending' }]) {
    const res = await agent.api.put(`/api/v2/tickets/${id}?include=users,groups,organizations`, { ticket });
    expect(JSON.stringify(res.body)).not.toContain('probe_');
    statuses.push(res.status);
  }
  const shown = await agent.api.get(`/api/v2/tickets/${id}?include=users,groups,organizations`);
  statuses.push(shown.status, (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'By an agent', comment: { body: 'Hi' }, requester_id: customer.user.id } })).status);
  statuses.push((await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'Thanks!' } } })).status);
  const found = await agent.api.get('/api/v2/search?query=type:ticket%20looking');
  expect(found.body.results.map((r: { id: number }) => r.id)).toContain(id);
  statuses.push(found.status);
  return statuses;
}

describe('reads kept as prepared statements', () => {
  it('marks reads with PREPARED; unmarked reads stay unnamed', () => {
    expect(shouldPrepare('select /* prepared */ "users"."id" from "users" where "users"."id" = $1')).toBe(true);
    expect(shouldPrepare('select "users"."id" from "users" where "users"."id" = $1')).toBe(false);
  });

  it('keeps serving ticket requests after a migration adds a column to every table they read', async () => {
    // Six rounds: from the sixth run PostgreSQL may use a generic plan, the state a busy node is in.
    for (let round = 0; round < 6; round++) expect(await workOneTicket()).toEqual([201, 200, 200, 200, 200, 201, 200, 200]);
    // pg_prepared_statements shows a connection's own: hold both of the pool's to read them all.
    const preparedOn = (c: typeof env.ctx.db) => sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(c).then((r) => r.rows.map((row) => row.statement));
    const prepared = await env.ctx.db.connection().execute((one) => env.ctx.db.connection().execute(async (other) => [...(await preparedOn(one)), ...(await preparedOn(other))]));
    const marked = prepared.filter((s) => s.includes('/* prepared */'));
    // The caller, the locked ticket, the written ticket's extras with its audit, and the side-loads are all among them.
    for (const table of ['"api_tokens"', 'for update', '"ticket_audits"', '"ticket_collaborators"', '"satisfaction_ratings"']) {
      expect(marked.some((s) => s.includes(table)), table).toBe(true);
    }

    for (const table of ['tickets', 'users', 'organizations', 'ticket_audits', 'ticket_comments', 'ticket_collaborators', 'groups', 'ticket_audit_events']) {
      await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN ${sql.id(`probe_${table}`)} int`.execute(env.ctx.db);
    }
    expect(await workOneTicket()).toEqual([201, 200, 200, 200, 200, 201, 200, 200]);
  });
});
