import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOpenMinutes } from '../../src/modules/sla/calendar.js';
import { calendarFor, targetsFor } from '../../src/modules/sla/policies.service.js';
import { createAgent, createCustomer, createOrganization } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

describe('SLA policies as data', () => {
  it('seeds the published first-reply targets per plan and priority, with hour types', async () => {
    const agent = await createAgent(env);
    const { sla_policies } = (await agent.api.get('/api/v2/slas/policies.json')).body;
    expect(sla_policies.map((p: { title: string }) => p.title)).toEqual(['Professional', 'Enterprise', 'Premier']);
    const frt = (plan: string, priority: string) =>
      sla_policies.find((p: any) => p.filter.all[0].value === plan).policy_metrics.find((m: any) => m.metric === 'first_reply_time' && m.priority === priority);
    expect(frt('professional', 'urgent')).toMatchObject({ target: 240, business_hours: true, internal: false });
    expect(frt('professional', 'low')).toMatchObject({ target: 960, business_hours: true });
    expect(frt('enterprise', 'urgent')).toMatchObject({ target: 120, business_hours: false });
    expect(frt('premier', 'urgent')).toMatchObject({ target: 60, business_hours: false });
    expect(frt('premier', 'low')).toMatchObject({ target: 480, business_hours: true });
    for (const p of sla_policies) expect(p.policy_metrics).toHaveLength(12);
    expect(await targetsFor(env.ctx.db, 'free', 'urgent')).toEqual([]);
    await expect((await createCustomer(env, await createOrganization(env))).api.get("/api/v2/slas/policies").then((r) => r.status)).resolves.toBe(403);
  });

  it('lets admins edit targets (1 minute works) and refuses nonsense', async () => {
    const admin = await createAgent(env, { admin: true });
    const premier = (await admin.api.get('/api/v2/slas/policies')).body.sla_policies[2];
    const metrics = premier.policy_metrics.map((m: any) => (m.metric === 'first_reply_time' && m.priority === 'urgent' ? { ...m, target: 1 } : m));
    const res = await admin.api.put(`/api/v2/slas/policies/${premier.id}.json`, { sla_policy: { policy_metrics: metrics } });
    expect(res.status).toBe(200);
    expect(res.body.sla_policy.policy_metrics.find((m: any) => m.metric === 'first_reply_time' && m.priority === 'urgent').target).toBe(1);
    const zero = await admin.api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: { policy_metrics: [{ priority: 'low', metric: 'first_reply_time', target: 0, business_hours: true }] } });
    expect(zero.status).toBe(422);
    const dup = await admin.api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: { policy_metrics: [metrics[0], metrics[0]] } });
    expect(dup.status).toBe(422);
    expect((await admin.api.get(`/api/v2/slas/policies/${premier.id}`)).body.sla_policy.policy_metrics).toHaveLength(12);
    const second = await admin.api.post('/api/v2/slas/policies', { sla_policy: { title: 'Again', filter: { all: [{ field: 'organization.support_plan', operator: 'is', value: 'premier' }] }, policy_metrics: [] } });
    expect(second.status).toBe(422);
    expect((await (await createAgent(env)).api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: { title: 'x' } })).status).toBe(403);
  });

  it('picks the clock per target: calendar hours, business hours in the customer zone, Premier weekend cover', async () => {
    const friday = new Date('2026-06-12T22:00:00Z'); // Fri 15:00 in Los Angeles, Sat 00:00 in Berlin
    const [urgent] = (await targetsFor(env.ctx.db, 'enterprise', 'urgent')).filter((t) => t.metric === 'first_reply_time');
    expect(addOpenMinutes(calendarFor(urgent, { plan: 'enterprise', priority: 'urgent', timeZone: 'Europe/Berlin' }), friday, urgent.target_minutes).toISOString()).toBe('2026-06-13T00:00:00.000Z');
    const [normal] = (await targetsFor(env.ctx.db, 'enterprise', 'normal')).filter((t) => t.metric === 'first_reply_time');
    // Berlin business hours: Monday 09:00 + 8 h = Monday 17:00 Berlin (15:00 UTC).
    expect(addOpenMinutes(calendarFor(normal, { plan: 'enterprise', priority: 'normal', timeZone: 'Europe/Berlin' }), friday, normal.target_minutes).toISOString()).toBe('2026-06-15T15:00:00.000Z');
    // A business-hours target on a Premier urgent ticket keeps running over the Pacific weekend.
    const weekend = calendarFor({ business_hours: true }, { plan: 'premier', priority: 'urgent', timeZone: 'Europe/Berlin' });
    expect(addOpenMinutes(weekend, friday, 240).toISOString()).toBe('2026-06-13T04:00:00.000Z');
  });
});
