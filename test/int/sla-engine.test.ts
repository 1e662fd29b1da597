import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBreach, evaluateTicket } from '../../src/modules/sla/engine.js';
import { createAgent, createCustomer, createOrganization, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

const ledgerKeys = async (ticketId: number) =>
  (await env.ctx.db.selectFrom('ticket_metric_events').selectAll().where('ticket_id', '=', ticketId).execute()).map((e) => `${e.metric}|${e.instance_id}|${e.type}|${e.time.getTime()}`).sort();

describe('SLA engine on live tickets', () => {
  it('applies the plan × priority targets when a request arrives and fulfils first reply on the agent reply', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'premier', timeZone: 'Asia/Tokyo' }));
    const agent = await createAgent(env);
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent' }))).body;
    const shown = (await agent.api.get(`/api/v2/tickets/${request.id}?include=slas`)).body.ticket;
    const frt = shown.slas.policy_metrics.find((m: { metric: string }) => m.metric === 'first_reply_time');
    expect(frt).toMatchObject({ stage: 'active', business_hours: false, hours: 1, minutes: 0 });
    expect(new Date(frt.breach_at).getTime() - new Date(shown.created_at).getTime()).toBeLessThanOrEqual(60 * 60_000);
    expect(shown.sla_next_breach_at).toBe(frt.breach_at);
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sla.breach-check' AND data->>'ticketId' = ${String(request.id)}`.execute(env.ctx.db);
    expect(jobs.rows[0].n).toBe(1);

    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id, comment: { body: 'Looking now', public: true } } });
    const after = (await agent.api.get(`/api/v2/tickets/${request.id}?include=slas`)).body.ticket.slas.policy_metrics;
    expect(after.find((m: { metric: string }) => m.metric === 'first_reply_time').stage).toBe('achieved');
    expect(after.find((m: { metric: string }) => m.metric === 'pausable_update_time')).toMatchObject({ stage: 'active', hours: 4 });
    const events = (await agent.api.get(`/api/v2/tickets/${request.id}/metric_events.json`)).body.ticket_metric_events;
    expect(events.filter((e: { metric: string }) => e.metric === 'first_reply_time').map((e: { type: string }) => e.type)).toEqual(['activate', 'apply_sla', 'fulfill']);
    expect(events.find((e: { type: string; metric: string }) => e.type === 'apply_sla' && e.metric === 'first_reply_time').sla).toMatchObject({ target: 60, business_hours: false });
  });

  it('stamps each clock-moving audit with the plan and zone of that moment, and replays a later plan change from it', async () => {
    const org = await createOrganization(env, { plan: 'enterprise', timeZone: 'Europe/Berlin' });
    const customer = await createCustomer(env, org);
    const agent = await createAgent(env);
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'high' }))).body;
    await env.ctx.db.updateTable('organizations').set({ support_plan: 'premier', time_zone: 'Asia/Tokyo' }).where('id', '=', org.id).execute();
    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { comment: { body: 'On it', public: true } } });
    const stamps = await env.ctx.db.selectFrom('ticket_audits').select(sql<unknown>`metadata->'sla'`.as('sla')).where('ticket_id', '=', request.id).orderBy('id').execute();
    expect(stamps.map((s) => s.sla)).toEqual([
      { plan: 'enterprise', time_zone: 'Europe/Berlin' },
      { plan: 'premier', time_zone: 'Asia/Tokyo' },
    ]);
    const retargets = (await evaluateTicket(env.ctx.db, request.id)).history.filter((h) => h.kind === 'retarget');
    expect(retargets).toMatchObject([{ kind: 'retarget', sla: { plan: 'premier', timeZone: 'Asia/Tokyo', priority: 'high' } }]);
  });

  it('gives free plans no targets but still measures resolution clocks', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'free' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body;
    const state = await evaluateTicket(env.ctx.db, request.id);
    expect(state.instances.every((i) => i.target === null)).toBe(true);
    expect(state.instances.map((i) => i.metric)).toEqual(expect.arrayContaining(['requester_wait_time', 'total_resolution_time']));
  });

  it('records a breach once, at the moment it happened, when the breach job runs', async () => {
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'enterprise' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'high' }))).body;
    // Pretend the request arrived 5 hours ago: its 4-hour first-reply target passed an hour ago.
    const fiveHoursAgo = new Date(Date.now() - 5 * 3_600_000);
    await env.ctx.db.updateTable('ticket_audits').set({ created_at: fiveHoursAgo }).where('ticket_id', '=', request.id).execute();
    await env.ctx.db.deleteFrom('ticket_metric_events').where('ticket_id', '=', request.id).execute();
    await checkBreach(env.ctx, request.id);
    await checkBreach(env.ctx, request.id);
    const breaches = await env.ctx.db.selectFrom('ticket_metric_events').selectAll().where('ticket_id', '=', request.id).where('type', '=', 'breach').execute();
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ metric: 'first_reply_time', instance_id: 1 });
    expect(breaches[0].time.getTime()).toBe(fiveHoursAgo.getTime() + 4 * 3_600_000);
    const agent = await createAgent(env);
    const ticket = (await agent.api.get(`/api/v2/tickets/${request.id}`)).body.ticket;
    expect(new Date(ticket.sla_breached_since).getTime()).toBe(Math.floor((fiveHoursAgo.getTime() + 4 * 3_600_000) / 1000) * 1000);
    expect((await agent.api.get('/api/v2/views/8/tickets')).body.tickets.map((t: { id: number }) => t.id)).toContain(request.id);
  });

  it('rebuilds exactly the stored ledger from history after random ticket lives', async () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const agent = await createAgent(env);
    for (let t = 0; t < 6; t++) {
      const customer = await createCustomer(env, await createOrganization(env, { plan: (['professional', 'enterprise', 'premier'] as const)[t % 3], timeZone: ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'][t % 3] }));
      const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: ['urgent', 'high', 'normal', 'low'][t % 4] }))).body;
      await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id } });
      for (let step = 0; step < 12; step++) {
        const r = rnd();
        if (r < 0.25) await customer.api.put(`/api/v2/requests/${request.id}`, { request: { comment: { body: `customer ${step}` } } });
        else if (r < 0.5) await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { comment: { body: `reply ${step}`, public: true }, status: rnd() < 0.5 ? 'pending' : 'open' } });
        else if (r < 0.6) await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { comment: { body: `note ${step}`, public: false } } });
        else if (r < 0.75) await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { status: (['hold', 'open', 'pending'] as const)[Math.floor(rnd() * 3)] } });
        else if (r < 0.85) await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { priority: (['urgent', 'high', 'normal', 'low'] as const)[Math.floor(rnd() * 4)] } });
        else if (r < 0.92) await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { status: 'solved' } });
        else await customer.api.put(`/api/v2/requests/${request.id}`, { request: { comment: { body: 'still broken' } } });
      }
      const replayed = (await evaluateTicket(env.ctx.db, request.id)).ledger.map((e) => `${e.metric}|${e.instance}|${e.type}|${e.at.getTime()}`).sort();
      expect(await ledgerKeys(request.id)).toEqual(replayed);
    }
  });
});

describe('sla recompute', () => {
  it('finds the live ledger equal to history, and repairs a damaged one', async () => {
    const { recomputeSla } = await import('../../src/modules/sla/recompute.js');
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'professional' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api))).body;
    const clean = await recomputeSla(env.ctx.db, { ticketId: request.id });
    expect(clean).toMatchObject({ tickets: 1, matching: 1, rebuilt: 0 });
    const before = await ledgerKeys(request.id);
    await env.ctx.db.deleteFrom('ticket_metric_events').where('ticket_id', '=', request.id).where('type', '=', 'apply_sla').execute();
    expect(await recomputeSla(env.ctx.db, { ticketId: request.id })).toMatchObject({ rebuilt: 1 });
    expect(await ledgerKeys(request.id)).toEqual(before);
  });
});

describe('sla recompute on the demo data', () => {
  it('builds ledgers for every demo ticket, then finds them all equal to history', async () => {
    const { recomputeSla } = await import('../../src/modules/sla/recompute.js');
    const { seedDemo } = await import('../../src/modules/demo/seed-demo.js');
    await seedDemo(env.ctx.db);
    const first = await recomputeSla(env.ctx.db);
    expect(first.tickets).toBeGreaterThanOrEqual(300);
    const second = await recomputeSla(env.ctx.db);
    expect(second).toMatchObject({ tickets: first.tickets, matching: first.tickets, rebuilt: 0 });
    const breached = await env.ctx.db.selectFrom('ticket_metric_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'breach').executeTakeFirstOrThrow();
    expect(Number(breached.n)).toBeGreaterThan(0);
  }, 180_000);
});

describe('SLA surfaces', () => {
  it('lists tickets about to breach first in the "Breaching soon" view, and exports the ledger incrementally', async () => {
    const agent = await createAgent(env);
    const premier = await createCustomer(env, await createOrganization(env, { plan: 'premier' }));
    const free = await createCustomer(env, await createOrganization(env, { plan: 'free' }));
    const since = Math.floor(Date.now() / 1000) - 1;
    const urgent = (await premier.api.post('/api/v2/requests', await technicalRequest(premier.api, { priority: 'urgent' }))).body.request;
    const high = (await premier.api.post('/api/v2/requests', await technicalRequest(premier.api, { priority: 'high' }))).body.request;
    const untargeted = (await free.api.post('/api/v2/requests', await technicalRequest(free.api, { priority: 'urgent' }))).body.request;
    const view = (await agent.api.get('/api/v2/views/8/tickets')).body.tickets.map((t: { id: number }) => t.id);
    expect(view.indexOf(urgent.id)).toBeGreaterThanOrEqual(0);
    expect(view.indexOf(urgent.id)).toBeLessThan(view.indexOf(high.id));
    expect(view).not.toContain(untargeted.id);
    const sorted = (await agent.api.get('/api/v2/views/6/tickets?sort_by=sla_next_breach_at&sort_order=asc')).body.tickets.map((t: { id: number }) => t.id);
    expect(sorted.indexOf(urgent.id)).toBeLessThan(sorted.indexOf(untargeted.id));

    const page = (await agent.api.get(`/api/v2/incremental/ticket_metric_events.json?start_time=${since}`)).body;
    expect(page.end_of_stream).toBe(true);
    const mine = page.ticket_metric_events.filter((e: { ticket_id: number }) => e.ticket_id === urgent.id);
    expect(mine.map((e: { type: string }) => e.type)).toContain('apply_sla');
    expect((await agent.api.get('/api/v2/incremental/ticket_metric_events')).status).toBe(400);
  });
});

describe('business-hours schedules and holidays', () => {
  it('exposes the schedule in Zendesk shape and stops business clocks on its holidays', async () => {
    const admin = await createAgent(env, { admin: true });
    const { schedules } = (await admin.api.get('/api/v2/business_hours/schedules.json')).body;
    expect(schedules[0]).toMatchObject({ default: true, intervals: expect.arrayContaining([{ start_time: 1980, end_time: 2460 }]) });
    const id = schedules[0].id;
    const bad = await admin.api.post(`/api/v2/business_hours/schedules/${id}/holidays`, { holiday: { name: 'Backwards', start_date: '2030-01-02', end_date: '2030-01-01' } });
    expect(bad.status).toBe(422);
    // Every weekday of the next three weeks is a holiday: a business-hours target cannot come due before they end.
    const today = new Date();
    const end = new Date(today.getTime() + 21 * 86_400_000);
    const created = await admin.api.post(`/api/v2/business_hours/schedules/${id}/holidays.json`, { holiday: { name: 'Company shutdown', start_date: today.toISOString().slice(0, 10), end_date: end.toISOString().slice(0, 10) } });
    expect(created.status).toBe(201);
    expect((await admin.api.get(`/api/v2/business_hours/schedules/${id}/holidays`)).body.holidays.map((h: { name: string }) => h.name)).toContain('Company shutdown');
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'normal' }))).body;
    const frt = (await admin.api.get(`/api/v2/tickets/${request.id}?include=slas`)).body.ticket.slas.policy_metrics.find((m: { metric: string }) => m.metric === 'first_reply_time');
    expect(new Date(frt.breach_at).getTime()).toBeGreaterThan(end.getTime());
    await admin.api.delete(`/api/v2/business_hours/schedules/${id}/holidays/${created.body.holiday.id}`);
  });
});

describe('75 % warnings', () => {
  it('warns the assignee once when three quarters of a target have passed, and calls the hooks', async () => {
    const { slaWarningHooks } = await import('../../src/modules/sla/warnings.js');
    const seen: string[] = [];
    slaWarningHooks.push(async (_tx, _ctx, w) => void seen.push(`${w.ticketId}/${w.metric}`));
    const agent = await createAgent(env);
    const customer = await createCustomer(env, await createOrganization(env, { plan: 'premier' }));
    const { request } = (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent' }))).body;
    await agent.api.put(`/api/v2/tickets/${request.id}`, { ticket: { assignee_id: agent.user.id } });
    // 50 of the 60 first-reply minutes have passed.
    await env.ctx.db.updateTable('ticket_audits').set({ created_at: new Date(Date.now() - 50 * 60_000) }).where('ticket_id', '=', request.id).execute();
    await env.ctx.db.deleteFrom('ticket_metric_events').where('ticket_id', '=', request.id).execute();
    await checkBreach(env.ctx, request.id);
    await checkBreach(env.ctx, request.id);
    const mail = await env.mail.waitFor((m) => m.to.includes(agent.user.email) && m.subject.startsWith('[SLA] First reply'));
    expect(mail.subject).toContain(`#${request.id}`);
    expect(env.mail.to(agent.user.email).filter((m) => m.subject.startsWith('[SLA]'))).toHaveLength(1);
    expect(seen).toEqual([`${request.id}/first_reply_time`]);
    slaWarningHooks.pop();
  });
});
