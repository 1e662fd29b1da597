import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../src/modules/demo/seed-demo.js';
import { checkFieldValues, type CustomValues } from '../../src/modules/tickets/field-values.js';
import { loadForm } from '../../src/modules/tickets/forms.repository.js';
import { Problems } from '../../src/platform/errors.js';
import { Api } from '../api.js';
import { logIn } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

const TABLES = ['organizations', 'users', 'group_memberships', 'tickets', 'ticket_audits', 'ticket_audit_events', 'ticket_comments', 'ticket_collaborators', 'mail_outbox'] as const;

/** Row counts of everything the seed touches, plus the newest ticket stamp: equal snapshots mean nothing was written. */
async function snapshot() {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(env.ctx.db)).rows[0].n);
  const newest = await env.ctx.db.selectFrom('tickets').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirstOrThrow();
  return { counts, newest: String(newest.at) };
}

/** Rows matching a condition that must never hold; returns how many violate it. */
const violations = async (query: TemplateStringsArray) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM (${sql.raw(query.join(''))}) v`.execute(env.ctx.db)).rows[0].n);

describe('seed-demo', () => {
  it('fills an empty help desk with consistent demo data once, and changes nothing when run again', async () => {
    const db = env.ctx.db;
    const summary = await seedDemo(db);
    expect(summary).toMatch(/^Demo data created/);
    expect(summary).toContain(`password ${DEMO_PASSWORD}`);
    expect(summary).toContain('run create-admin');
    const emails = [...summary.matchAll(/^\s+(\S+@\S+)\s+(agent|customer)/gm)].map((m) => ({ email: m[1], role: m[2] }));
    expect(emails.filter((e) => e.role === 'agent').length).toBeGreaterThanOrEqual(2);
    expect(emails.filter((e) => e.role === 'customer').length).toBeGreaterThanOrEqual(2);

    const orgs = await db.selectFrom('organizations').select(['id', 'support_plan', 'time_zone', 'domain_names']).execute();
    expect(orgs).toHaveLength(3);
    expect(new Set(orgs.map((o) => o.support_plan)).size).toBe(3);
    expect(new Set(orgs.map((o) => o.time_zone)).size).toBe(3);
    expect(orgs.every((o) => o.domain_names.length > 0)).toBe(true);

    const users = await db.selectFrom('users').select(['id', 'role', 'region_id', 'organization_id', 'verified']).execute();
    expect(users.some((u) => u.role === 'admin')).toBe(false);
    expect(users.every((u) => u.verified)).toBe(true);
    expect(new Set(users.filter((u) => u.role === 'agent').map((u) => u.region_id))).toEqual(new Set((await db.selectFrom('regions').select('id').execute()).map((r) => r.id)));
    for (const org of orgs) expect(users.filter((u) => u.role === 'end-user' && u.organization_id === org.id).length).toBeGreaterThanOrEqual(3);
    const members = await db.selectFrom('group_memberships').innerJoin('groups', 'groups.id', 'group_memberships.group_id').select(['groups.key', 'group_memberships.user_id']).execute();
    const inGroup = (key: string) => members.filter((m) => m.key === key).length;
    expect(inGroup('technical')).toBeGreaterThanOrEqual(3);
    expect(inGroup('sales')).toBeGreaterThanOrEqual(2);
    expect(inGroup('engineering')).toBe(1);
    const [onCall] = await db.selectFrom('on_call_schedules').selectAll().execute();
    expect(onCall.participant_ids.length).toBe(inGroup('technical'));
    expect(onCall.participant_ids.every((id) => users.some((u) => u.id === id && u.role === 'agent'))).toBe(true);

    const tickets = await db.selectFrom('tickets').innerJoin('ticket_forms', 'ticket_forms.id', 'tickets.form_id').select(['tickets.id', 'tickets.status', 'tickets.form_id', 'tickets.custom_fields', 'tickets.priority', 'ticket_forms.kind']).execute();
    expect(tickets.length).toBeGreaterThanOrEqual(200);
    expect(new Set(tickets.map((t) => t.kind))).toEqual(new Set(['technical', 'sales']));
    expect(new Set(tickets.filter((t) => t.kind === 'technical').map((t) => t.status))).toEqual(new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']));
    expect(tickets.filter((t) => t.kind === 'technical').every((t) => t.priority !== null)).toBe(true);

    // The workflow's invariants, as the services would have left them.
    expect(await violations`SELECT 1 FROM tickets WHERE status IN ('solved','closed') AND (assignee_id IS NULL OR solved_at IS NULL)`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets WHERE (status = 'closed') <> (closed_at IS NOT NULL)`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets WHERE status = 'new' AND assignee_id IS NOT NULL`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets t JOIN ticket_forms f ON f.id = t.form_id JOIN groups g ON g.id = t.group_id WHERE g.key <> f.kind OR (f.kind = 'sales' AND t.priority <> 'normal')`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets t WHERE t.assignee_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM group_memberships m WHERE m.user_id = t.assignee_id AND m.group_id = t.group_id)`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets t WHERE t.status = 'hold' AND NOT EXISTS (SELECT 1 FROM ticket_comments c WHERE c.ticket_id = t.id AND NOT c.public)`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets t WHERE t.description <> (SELECT body FROM ticket_comments c WHERE c.ticket_id = t.id ORDER BY c.id LIMIT 1)`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets WHERE updated_at <> date_trunc('second', updated_at) OR updated_at > now() OR created_at < now() - interval '90 days'`).toBe(0);
    expect(await violations`SELECT 1 FROM tickets t WHERE (SELECT count(*) FROM ticket_audit_events e JOIN ticket_audits a ON a.id = e.audit_id WHERE a.ticket_id = t.id AND e.type = 'Create' AND e.field_name = 'status') <> 1`).toBe(0);
    expect(await violations`SELECT 1 FROM ticket_comments c WHERE NOT EXISTS (SELECT 1 FROM ticket_audit_events e WHERE e.comment_id = c.id AND e.audit_id = c.audit_id)`).toBe(0);
    expect(await violations`SELECT 1 FROM ticket_comments WHERE NOT public`).toBeGreaterThan(0);
    expect(await violations`SELECT 1 FROM ticket_collaborators`).toBeGreaterThan(0);
    expect(await violations`SELECT 1 FROM mail_outbox`).toBe(0);

    // Every ticket's field values pass the same check a portal submission does.
    const forms = new Map<number, NonNullable<Awaited<ReturnType<typeof loadForm>>>>();
    for (const t of tickets) {
      if (!forms.has(t.form_id)) forms.set(t.form_id, (await loadForm(db, t.form_id))!);
      const problems = new Problems();
      checkFieldValues({ form: forms.get(t.form_id)!, current: t.custom_fields as CustomValues, submitted: [], priority: t.priority, portal: true, enforceRequired: true }, problems);
      expect(problems.empty, `ticket ${t.id}`).toBe(true);
    }

    // The printed accounts work, and the API presents the seeded history.
    const customer = await logIn(env, emails.find((e) => e.role === 'customer')!.email, DEMO_PASSWORD);
    const requests = await customer.get('/api/v2/requests.json');
    expect(requests.status).toBe(200);
    const agent = Api.basicPassword(env.app, emails.find((e) => e.role === 'agent')!.email, DEMO_PASSWORD);
    const closed = tickets.find((t) => t.status === 'closed')!;
    const audits = await agent.get(`/api/v2/tickets/${closed.id}/audits.json`);
    expect(audits.status).toBe(200);
    const events = audits.body.audits.flatMap((a: { events: { type: string; field_name?: string; value?: unknown }[] }) => a.events);
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Create', field_name: 'status', value: 'new' }), expect.objectContaining({ type: 'Change', field_name: 'status', value: 'closed' })]));

    const before = await snapshot();
    const again = await seedDemo(db);
    expect(again).toMatch(/already present/);
    expect(again).toContain(DEMO_PASSWORD);
    expect(await snapshot()).toEqual(before);
  });
});
