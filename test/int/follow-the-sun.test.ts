import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { runRoutingTick } from '../../src/modules/shifts/handovers.js';
import { routeTicket } from '../../src/modules/shifts/routing.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// Tuesday 2025-03-04 08:00 UTC: EMEA is on shift.
const clock = new ManualClock(new Date('2025-03-04T08:00:00Z'));
type RegionName = 'APAC' | 'EMEA' | 'AMER';
let env: TestEnv;
let admin: Actor;
let customer: Actor;
const region = {} as Record<RegionName, number>;

beforeAll(async () => {
  env = await startTestApp({}, { clock });
  admin = await createAgent(env, { admin: true });
  customer = await createCustomer(env, await createOrganization(env));
  for (const r of (await admin.api.get('/api/v2/regions')).body.regions) region[r.name as RegionName] = r.id;
});
afterAll(() => env?.close());

// Each test brings its own agents and queue: earlier tests' waiting tickets must not be routed to them.
beforeEach(async () => {
  await env.ctx.db.deleteFrom('routing_queue').execute();
  await setRoutingSettings({ enabled: true, strategy: 'least_open' });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(probe: () => Promise<T | null | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const ticketRow = (id: number) => env.ctx.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const queuedIds = async () => (await admin.api.get('/api/v2/routing/queue')).body.queue.map((q: { ticket_id: number }) => q.ticket_id) as number[];
/** Assignment by a real pg-boss `routing.route` worker. */
const waitAssigned = (id: number) => waitFor(async () => (await ticketRow(id)).assignee_id, `ticket ${id} to be routed`);

/** Waits until the pg-boss workers have run every `routing.route` job sent so far. */
const routeJobsSettled = () =>
  waitFor(async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'routing.route' AND state IN ('created', 'retry', 'active')`.execute(env.ctx.db);
    return rows[0].n === 0 ? true : null;
  }, 'routing jobs to finish');

/** A Technical Support request from the customer portal; `priority` defaults to normal. */
async function submit(overrides: Record<string, unknown> = {}): Promise<number> {
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'normal', ...overrides }));
  expect(res.status).toBe(201);
  return res.body.request.id;
}

/** Exactly these agents in each region (regions not named are emptied), through the admin API. */
async function setRegions(members: Partial<Record<RegionName, Actor[]>>) {
  for (const name of ['APAC', 'EMEA', 'AMER'] as const) {
    const res = await admin.api.put(`/api/v2/regions/${region[name]}`, { region: { member_ids: (members[name] ?? []).map((a) => a.user.id) } });
    expect(res.status).toBe(200);
  }
}

async function setRoutingSettings(routing: { enabled?: boolean; strategy?: string }) {
  const res = await admin.api.put('/api/v2/routing/settings', { routing });
  expect(res.status).toBe(200);
}

const ruleAudits = async (ticketId: number) =>
  (await admin.api.get(`/api/v2/tickets/${ticketId}/audits`)).body.audits.filter((a: { via: { channel: string } }) => a.via.channel === 'rule') as {
    id: number;
    author_id: number;
    metadata: { custom: Record<string, unknown> };
    events: { field_name: string; value: unknown; previous_value: unknown }[];
  }[];

describe('regions API', () => {
  it('lists the default regions with UTC shifts, who is on shift now and the next shift start', async () => {
    const agent = await createAgent(env);
    const res = await agent.api.get('/api/v2/regions');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    const byName = Object.fromEntries(res.body.regions.map((r: { name: string }) => [r.name, r]));
    expect(byName.APAC).toMatchObject({ shift_start: '21:00', shift_end: '06:00', shift_days: [7, 1, 2, 3, 4], on_shift: false, next_shift_start: '2025-03-04T21:00:00Z', shift_ends_at: null });
    expect(byName.EMEA).toMatchObject({ shift_start: '06:00', shift_end: '13:00', shift_days: [1, 2, 3, 4, 5], on_shift: true, shift_ends_at: '2025-03-04T13:00:00Z', next_shift_start: '2025-03-05T06:00:00Z' });
    expect(byName.AMER).toMatchObject({ shift_start: '13:00', shift_end: '21:00', on_shift: false, next_shift_start: '2025-03-04T13:00:00Z' });
    expect(byName.EMEA.url).toMatch(/\/api\/v2\/regions\/\d+\.json$/);
    expect((await agent.api.get(`/api/v2/regions/${region.EMEA}`)).body.region).toMatchObject({ name: 'EMEA', on_shift: true });
    expect((await agent.api.get('/api/v2/regions/999999')).status).toBe(404);
    expect((await customer.api.get('/api/v2/regions')).status).toBe(403);
  });

  it('lets admins edit shifts and members with field-level errors; agents cannot', async () => {
    const agent = await createAgent(env);
    const other = await createAgent(env);
    expect((await agent.api.put(`/api/v2/regions/${region.EMEA}`, { region: { shift_start: '07:00' } })).status).toBe(403);
    expect((await agent.api.post('/api/v2/regions', { region: { name: 'LATAM', shift_start: '12:00', shift_end: '20:00' } })).status).toBe(403);

    const bad = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { name: ' ', shift_start: '25:00', shift_end: '6am', shift_days: [0, 3, 8] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toBe('RecordInvalid');
    expect(Object.keys(bad.body.details).sort()).toEqual(['name', 'shift_days', 'shift_end', 'shift_start']);
    expect(bad.body.details.shift_start[0].description).toBe('Shift start: must be a time as HH:MM in UTC (00:00 to 23:59)');
    expect(bad.body.details.shift_days[0].description).toMatch(/^Shift days: must be ISO weekdays from 1 \(Monday\) to 7 \(Sunday\)/);
    const same = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { shift_end: '06:00' } });
    expect(same.status).toBe(422);
    expect(same.body.details.shift_end[0].description).toBe('Shift end: must differ from the shift start');
    const duplicate = await admin.api.post('/api/v2/regions', { region: { name: 'emea', shift_start: '06:00', shift_end: '13:00' } });
    expect(duplicate.status).toBe(422);
    expect(duplicate.body.details.name[0]).toMatchObject({ error: 'DuplicateValue', description: 'Name: emea has already been taken' });
    const notAgent = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { member_ids: [agent.user.id, customer.user.id] } });
    expect(notAgent.status).toBe(422);
    expect(notAgent.body.details.member_ids[0].description).toBe(`Member ids: ${customer.user.id} is not an agent; only agents and admins belong to a region`);
    expect((await admin.api.put('/api/v2/regions/999999', { region: { name: 'Nowhere' } })).status).toBe(404);

    // Members: listed agents join, the ones left out leave.
    let res = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { member_ids: [agent.user.id, other.user.id] } });
    expect(res.body.region.member_ids).toEqual([agent.user.id, other.user.id]);
    expect((await admin.api.get(`/api/v2/users/${agent.user.id}`)).body.user.region_id).toBe(region.EMEA);
    res = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { member_ids: [other.user.id], shift_start: '07:30', shift_days: [5, 1, 1, 2] } });
    expect(res.body.region).toMatchObject({ member_ids: [other.user.id], shift_start: '07:30', shift_end: '13:00', shift_days: [1, 2, 5] });
    expect((await admin.api.get(`/api/v2/users/${agent.user.id}`)).body.user.region_id).toBeNull();
    res = await admin.api.put(`/api/v2/regions/${region.EMEA}`, { region: { shift_start: '06:00', shift_days: [1, 2, 3, 4, 5], member_ids: [] } });
    expect(res.body.region).toMatchObject({ shift_start: '06:00', shift_days: [1, 2, 3, 4, 5], member_ids: [] });

    // A new region, then gone again; its members lose their region.
    const made = await admin.api.post('/api/v2/regions', { region: { name: 'LATAM', shift_start: '12:00', shift_end: '20:00', member_ids: [agent.user.id] } });
    expect(made.status).toBe(201);
    expect(made.headers.location).toMatch(/\/api\/v2\/regions\/\d+\.json$/);
    expect(made.body.region).toMatchObject({ name: 'LATAM', shift_days: [1, 2, 3, 4, 5], member_ids: [agent.user.id], on_shift: false, next_shift_start: '2025-03-04T12:00:00Z' });
    expect((await admin.api.get('/api/v2/regions')).body.count).toBe(4);
    expect((await agent.api.delete(`/api/v2/regions/${made.body.region.id}`)).status).toBe(403);
    expect((await admin.api.delete(`/api/v2/regions/${made.body.region.id}`)).status).toBe(204);
    expect((await admin.api.get(`/api/v2/regions/${made.body.region.id}`)).status).toBe(404);
    expect((await admin.api.get(`/api/v2/users/${agent.user.id}`)).body.user.region_id).toBeNull();
    expect((await admin.api.delete(`/api/v2/regions/${made.body.region.id}`)).status).toBe(404);
  });

  it('reads routing settings for agents and lets only admins change them', async () => {
    const agent = await createAgent(env);
    expect((await agent.api.get('/api/v2/routing/settings')).body).toEqual({ routing: { enabled: true, strategy: 'least_open' } });
    expect((await agent.api.put('/api/v2/routing/settings', { routing: { strategy: 'round_robin' } })).status).toBe(403);
    const bad = await admin.api.put('/api/v2/routing/settings', { routing: { strategy: 'random', enabled: 'yes' } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details).sort()).toEqual(['enabled', 'strategy']);
    expect((await admin.api.put('/api/v2/routing/settings', { routing: { strategy: 'round_robin' } })).body).toEqual({ routing: { enabled: true, strategy: 'round_robin' } });
    expect((await agent.api.get('/api/v2/routing/settings')).body.routing.strategy).toBe('round_robin');
  });
});

describe('routing', () => {
  it('gives a new technical ticket to the on-shift agent with the fewest open tickets, skipping away agents', async () => {
    clock.set('2025-03-04T08:00:00Z');
    // Created first so that, ties being broken by id, each would win if it were not skipped.
    const notInGroup = await createAgent(env, { name: 'Sales Emea', groups: ['sales'] });
    const technical = await env.ctx.db.selectFrom('groups').select('id').where('key', '=', 'technical').executeTakeFirstOrThrow();
    await env.ctx.db.deleteFrom('group_memberships').where('user_id', '=', notInGroup.user.id).where('group_id', '=', technical.id).execute();
    const away = await createAgent(env, { name: 'Away Emea' });
    const busy = await createAgent(env, { name: 'Busy Emea' });
    const free = await createAgent(env, { name: 'Free Emea' });
    const amer = await createAgent(env, { name: 'Amer off shift' });
    await setRegions({ EMEA: [away, busy, free, notInGroup], AMER: [amer] });
    expect((await away.api.put(`/api/v2/users/${away.user.id}`, { user: { away: true } })).body.user.away).toBe(true);
    // Busy already works on one ticket (assigned directly, so it never waits in the queue).
    const f = (await technicalRequest(customer.api)).request;
    const direct = await busy.api.post('/api/v2/tickets', { ticket: { subject: 'Already mine', comment: { body: 'x' }, requester_id: customer.user.id, assignee_id: busy.user.id, ticket_form_id: f.ticket_form_id, custom_fields: f.custom_fields } });
    expect(direct.status).toBe(201);
    expect(await queuedIds()).toEqual([]);

    const id = await submit();
    expect(await waitAssigned(id)).toBe(free.user.id);
    const ticket = await ticketRow(id);
    expect(ticket.status).toBe('open');
    expect(await queuedIds()).not.toContain(id);
    const [audit] = await ruleAudits(id);
    expect(audit.author_id).toBe(-1);
    expect(audit.metadata.custom).toMatchObject({ rule: 'routing', strategy: 'least_open', region_id: region.EMEA });
    expect(audit.events).toEqual(expect.arrayContaining([expect.objectContaining({ field_name: 'assignee_id', value: free.user.id, previous_value: null }), expect.objectContaining({ field_name: 'status', value: 'open', previous_value: 'new' })]));
    const mail = await env.ctx.db.selectFrom('mail_outbox').select(['to_address', 'kind']).where('ticket_id', '=', id).where('kind', '=', 'assigned').execute();
    expect(mail).toEqual([{ to_address: free.user.email, kind: 'assigned' }]);

    // Now both have one open ticket; Free was routed to last, so Busy (never routed) is next.
    expect(await waitAssigned(await submit())).toBe(busy.user.id);
    // Sales tickets are not routed.
    const sales = (await admin.api.get('/api/v2/ticket_forms')).body.ticket_forms.find((x: { name: string }) => x.name === 'Sales Support');
    const salesTicket = await admin.api.post('/api/v2/tickets', { ticket: { subject: 'Renewal quote', comment: { body: 'Please quote' }, requester_id: customer.user.id, ticket_form_id: sales.id } });
    expect(salesTicket.status).toBe(201);
    expect(await queuedIds()).toEqual([]);
  });

  it('alternates between on-shift agents with round robin', async () => {
    clock.set('2025-03-04T09:00:00Z');
    await setRoutingSettings({ strategy: 'round_robin' });
    const first = await createAgent(env, { name: 'RR one' });
    const second = await createAgent(env, { name: 'RR two' });
    await setRegions({ EMEA: [first, second] });
    const assignees: number[] = [];
    for (let i = 0; i < 4; i++) assignees.push(await waitAssigned(await submit({ subject: `Round robin ${i}` })));
    expect(assignees).toEqual([first.user.id, second.user.id, first.user.id, second.user.id]);
    const audit = (await ruleAudits((await env.ctx.db.selectFrom('tickets').select('id').where('assignee_id', '=', second.user.id).orderBy('id').executeTakeFirstOrThrow()).id))[0];
    expect(audit.metadata.custom).toMatchObject({ rule: 'routing', strategy: 'round_robin' });
  });

  it('keeps tickets created over the weekend waiting until APAC starts Monday (Sunday 21:00 UTC), urgent first', async () => {
    clock.set('2025-03-08T10:00:00Z'); // Saturday
    const apacA = await createAgent(env, { name: 'APAC A' });
    const apacB = await createAgent(env, { name: 'APAC B' });
    const emea = await createAgent(env, { name: 'EMEA weekend' });
    await setRegions({ APAC: [apacA, apacB], EMEA: [emea] });
    await setRoutingSettings({ strategy: 'round_robin' });

    const older = await submit({ subject: 'Older normal' });
    const raised = await submit({ subject: 'Raised later' });
    const middle = await submit({ subject: 'Middle normal' });
    const urgent = await submit({ subject: 'Production down', priority: 'urgent' });
    expect(await routeTicket(env.ctx, older)).toEqual({ outcome: 'waiting' });
    // Raising a waiting ticket to high moves it up the queue.
    expect((await admin.api.put(`/api/v2/tickets/${raised}`, { ticket: { priority: 'high' } })).status).toBe(200);
    expect(await queuedIds()).toEqual([raised, urgent, older, middle]);
    for (const id of [older, raised, middle, urgent]) expect(await ticketRow(id)).toMatchObject({ status: 'new', assignee_id: null });

    await runRoutingTick(env.ctx);
    // The jobs sent on Saturday must have found nobody before the clock moves on, or they would route first.
    await routeJobsSettled();
    clock.set('2025-03-09T20:59:00Z');
    await runRoutingTick(env.ctx);
    expect(await queuedIds()).toEqual([raised, urgent, older, middle]);

    clock.set('2025-03-09T21:00:00Z');
    const { routed } = await runRoutingTick(env.ctx);
    // The background worker may have taken some already (same clock, same lock): either way all four go.
    expect(routed).toBeLessThanOrEqual(4);
    expect(await queuedIds()).toEqual([]);
    const rows = await Promise.all([raised, urgent, older, middle].map(ticketRow));
    expect(rows.map((r) => r.assignee_id)).toEqual([apacA.user.id, apacB.user.id, apacA.user.id, apacB.user.id]);
    expect(rows.every((r) => r.status === 'open')).toBe(true);
    // Urgent/high were assigned before the older normal tickets.
    const firstRuleAudit = async (id: number) => (await ruleAudits(id))[0].id;
    const order = await Promise.all([raised, urgent, older, middle].map(firstRuleAudit));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('leaves the queue alone when routing is off; taking a ticket by hand removes it from the queue', async () => {
    clock.set('2025-03-04T10:00:00Z');
    const agent = await createAgent(env);
    await setRegions({ EMEA: [agent] });
    await setRoutingSettings({ enabled: false });
    const id = await submit();
    expect(await routeTicket(env.ctx, id)).toEqual({ outcome: 'disabled' });
    await runRoutingTick(env.ctx);
    expect(await queuedIds()).toEqual([id]);
    expect((await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id } })).body.ticket.status).toBe('open');
    expect(await queuedIds()).toEqual([]);
    await setRoutingSettings({ enabled: true });
    expect(await routeTicket(env.ctx, id)).toEqual({ outcome: 'dropped' });
    expect((await ticketRow(id)).assignee_id).toBe(agent.user.id);
  });
});

describe('handovers across a simulated day', () => {
  it('writes one handover per shift change, reassigns urgent/high tickets of the outgoing region, and is acknowledged once', async () => {
    clock.set('2025-03-11T00:00:00Z'); // Tuesday: APAC on shift since Monday 21:00
    const apac1 = await createAgent(env, { name: 'Apac One' });
    const apac2 = await createAgent(env, { name: 'Apac Two' });
    const emea1 = await createAgent(env, { name: 'Emea One' });
    const amer1 = await createAgent(env, { name: 'Amer One' });
    await setRegions({ APAC: [apac1, apac2], EMEA: [emea1], AMER: [amer1] });

    // Routed at once to APAC (least open, ties by who was routed longest ago, then id).
    const t1 = await submit({ subject: 'Cluster down', priority: 'high' });
    expect(await waitAssigned(t1)).toBe(apac1.user.id);
    const t2 = await submit({ subject: 'Customer waiting on APAC' });
    expect(await waitAssigned(t2)).toBe(apac2.user.id);
    const t3 = await submit({ subject: 'Waiting on the customer' });
    expect(await waitAssigned(t3)).toBe(apac1.user.id);
    const t4 = await submit({ subject: 'SLA due soon' });
    expect(await waitAssigned(t4)).toBe(apac2.user.id);
    // T3 and T4 wait on the customer; T4's next SLA target falls due at 08:00, within 4 h of 06:00.
    for (const [id, agent] of [[t3, apac1], [t4, apac2]] as const) {
      expect((await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { status: 'pending', comment: { body: 'Could you send the logs?' } } })).status).toBe(200);
    }
    await env.ctx.db.updateTable('tickets').set({ sla_next_breach_at: new Date('2025-03-11T08:00:00Z') }).where('id', '=', t4).execute();
    // T5 waits in the queue: no on-shift agent is in Sustained Engineering.
    const form = (await technicalRequest(customer.api)).request;
    const engineering = (await admin.api.get('/api/v2/groups')).body.groups.find((g: { name: string }) => g.name === 'Sustained Engineering');
    const t5res = await admin.api.post('/api/v2/tickets', { ticket: { subject: 'Unowned', comment: { body: 'Nobody can take this yet' }, requester_id: customer.user.id, group_id: engineering.id, ticket_form_id: form.ticket_form_id, custom_fields: form.custom_fields } });
    const t5 = t5res.body.ticket.id as number;
    expect(await routeTicket(env.ctx, t5)).toEqual({ outcome: 'waiting' });

    // Step through the day hour by hour, two nodes ticking at once at every step.
    const created: number[] = [];
    for (let hour = 1; hour <= 24; hour++) {
      clock.set(new Date(Date.UTC(2025, 2, 11, hour)));
      const results = await Promise.all([runRoutingTick(env.ctx), runRoutingTick(env.ctx)]);
      created.push(...results.flatMap((r) => r.handoverIds));
      const rows = await env.ctx.db.selectFrom('handovers').select(['id', 'from_region_id', 'shift_ended_at']).where('shift_ended_at', '>=', new Date('2025-03-11T00:00:00Z')).orderBy('id').execute();
      const expected = [6, 13, 21].filter((h) => h <= hour).length;
      expect(rows.length, `handovers after ${hour}:00`).toBe(expected);

      if (hour === 6) {
        const [h] = rows;
        expect(h).toMatchObject({ from_region_id: region.APAC, shift_ended_at: new Date('2025-03-11T06:00:00Z') });
        const detail = (await emea1.api.get(`/api/v2/handovers/${h.id}`)).body.handover;
        expect(detail).toMatchObject({ from_region_id: region.APAC, to_region_id: region.EMEA, shift_ended_at: '2025-03-11T06:00:00Z', acknowledged: false, notes: '' });
        const reasons = Object.fromEntries(detail.items.map((i: { ticket_id: number; reasons: string[] }) => [i.ticket_id, i.reasons]));
        expect(reasons).toEqual({
          [t1]: ['urgent_high', 'customer_waiting'],
          [t2]: ['customer_waiting'],
          [t4]: ['sla_due_soon'],
          [t5]: ['unassigned'],
        });
        expect(detail.items[0]).toMatchObject({ ticket_id: t1, subject: 'Cluster down', priority: 'high', status: 'open', assignee_id: apac1.user.id, ticket: { subject: 'Cluster down', status: 'open', assignee_id: emea1.user.id } });
        expect(detail.items.find((i: { ticket_id: number }) => i.ticket_id === t4).due_at).toBe('2025-03-11T08:00:00Z');
        expect(detail.reassigned).toEqual([{ ticket_id: t1, from_assignee_id: apac1.user.id, to_assignee_id: emea1.user.id }]);
        expect((await ticketRow(t1)).assignee_id).toBe(emea1.user.id);
        expect((await ticketRow(t2)).assignee_id).toBe(apac2.user.id); // normal priority stays
        const handoverAudit = (await ruleAudits(t1)).at(-1)!;
        expect(handoverAudit.metadata.custom).toMatchObject({ rule: 'handover', handover_id: h.id, from_region_id: region.APAC, to_region_id: region.EMEA });
        expect(await queuedIds()).toEqual([t5]);
      }
      if (hour === 13) {
        const h = (await admin.api.get(`/api/v2/handovers/${rows[1].id}`)).body.handover;
        expect(h).toMatchObject({ from_region_id: region.EMEA, to_region_id: region.AMER, shift_ended_at: '2025-03-11T13:00:00Z' });
        expect(h.items.map((i: { ticket_id: number }) => i.ticket_id)).toEqual([t1, t5]);
        expect(h.reassigned).toEqual([{ ticket_id: t1, from_assignee_id: emea1.user.id, to_assignee_id: amer1.user.id }]);
      }
      if (hour === 21) {
        const h = (await admin.api.get(`/api/v2/handovers/${rows[2].id}`)).body.handover;
        expect(h).toMatchObject({ from_region_id: region.AMER, to_region_id: region.APAC, shift_ended_at: '2025-03-11T21:00:00Z' });
        expect(h.items.map((i: { ticket_id: number }) => i.ticket_id)).toEqual([t1, t5]);
        // Back to APAC: apac1 has one pending ticket, apac2 an open and a pending one.
        expect(h.reassigned).toEqual([{ ticket_id: t1, from_assignee_id: amer1.user.id, to_assignee_id: apac1.user.id }]);
      }
    }
    // No handover was created twice (the background cron tick, same clock, may have written one first).
    expect(new Set(created).size).toBe(created.length);
    expect(created.length).toBeLessThanOrEqual(3);

    // The list: newest first, filters by region (either side) and acknowledgement.
    const all = (await emea1.api.get('/api/v2/handovers')).body;
    const ours = all.handovers.filter((h: { shift_ended_at: string }) => h.shift_ended_at.startsWith('2025-03-11'));
    expect(ours.map((h: { shift_ended_at: string }) => h.shift_ended_at)).toEqual(['2025-03-11T21:00:00Z', '2025-03-11T13:00:00Z', '2025-03-11T06:00:00Z']);
    const emeaSide = (await emea1.api.get(`/api/v2/handovers?region_id=${region.EMEA}`)).body.handovers.filter((h: { shift_ended_at: string }) => h.shift_ended_at.startsWith('2025-03-11'));
    expect(emeaSide.map((h: { shift_ended_at: string }) => h.shift_ended_at)).toEqual(['2025-03-11T13:00:00Z', '2025-03-11T06:00:00Z']);
    expect((await emea1.api.get('/api/v2/handovers?acknowledged=maybe')).status).toBe(400);
    expect((await customer.api.get('/api/v2/handovers')).status).toBe(403);
    const morning = ours[2];

    // EMEA adds a note and acknowledges; a second acknowledgement is refused with who and when.
    const noted = await emea1.api.put(`/api/v2/handovers/${morning.id}`, { handover: { notes: 'Took over the cluster outage.' } });
    expect(noted.body.handover.notes).toBe('Took over the cluster outage.');
    expect((await emea1.api.put(`/api/v2/handovers/${morning.id}`, { handover: {} })).status).toBe(422);
    clock.set('2025-03-12T06:05:00Z');
    const ack = await emea1.api.post(`/api/v2/handovers/${morning.id}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.handover).toMatchObject({ acknowledged: true, acknowledged_by: emea1.user.id, acknowledged_at: '2025-03-12T06:05:00Z' });
    const again = await admin.api.post(`/api/v2/handovers/${morning.id}/acknowledge`);
    expect(again.status).toBe(422);
    expect(again.body.details.base[0]).toMatchObject({ error: 'AlreadyAcknowledged', description: 'Handover: already acknowledged by Emea One at 2025-03-12T06:05:00Z' });
    expect((await admin.api.post('/api/v2/handovers/999999/acknowledge')).status).toBe(404);
    const open = (await emea1.api.get('/api/v2/handovers?acknowledged=false')).body.handovers.map((h: { id: number }) => h.id);
    expect(open).not.toContain(morning.id);
    expect((await emea1.api.get('/api/v2/handovers?acknowledged=true')).body.handovers.map((h: { id: number }) => h.id)).toEqual([morning.id]);
  });
});
