import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, logIn, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { runZendeskExport } from '../../src/modules/export/zendesk-cli.js';

let env: TestEnv;
let admin: Awaited<ReturnType<typeof createAgent>>;
beforeAll(async () => {
  env = await startTestApp();
  admin = await createAgent(env, { admin: true });
});
afterAll(() => env?.close());

const UA = { 'user-agent': 'audit-test-browser/2.0' };

/** The newest entries (API shape) of one source type, newest first. */
async function entries(sourceType: string) {
  const res = await admin.api.get(`/api/v2/audit_logs?filter[source_type]=${sourceType}`);
  expect(res.status).toBe(200);
  return res.body.audit_logs as Record<string, any>[];
}

describe('recording administrative actions', () => {
  it('records role changes, suspension and deactivation with who, when, from where and before/after', async () => {
    const agent = await createAgent(env);
    const before = Date.now();
    expect((await admin.api.request('PUT', `/api/v2/users/${agent.user.id}`, { user: { role: 'admin' } }, UA)).status).toBe(200);
    expect((await admin.api.request('PUT', `/api/v2/users/${agent.user.id}`, { user: { suspended: true } }, UA)).status).toBe(200);
    // A profile edit is not an administrative action.
    expect((await admin.api.put(`/api/v2/users/${agent.user.id}`, { user: { phone: '+1 555 0100' } })).status).toBe(200);
    expect((await admin.api.delete(`/api/v2/users/${agent.user.id}`)).status).toBe(200);

    const mine = (await entries('user')).filter((e) => e.source_id === agent.user.id);
    expect(mine.map((e) => e.action)).toEqual(['deactivate', 'suspend', 'role_change']);
    const role = mine[2];
    expect(role).toMatchObject({
      actor_id: admin.user.id,
      actor_name: admin.user.email,
      source_type: 'user',
      source_label: agent.user.email,
      ip_address: admin.api.ip,
      user_agent: 'audit-test-browser/2.0',
      before: { role: 'agent' },
      after: { role: 'admin' },
    });
    expect(role.change_description).toBe('role: "agent" → "admin"');
    expect(new Date(role.created_at).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(mine[1]).toMatchObject({ before: { suspended: false }, after: { suspended: true } });
  });

  it('records policies, schedules, routing settings, regions and triggers', async () => {
    const policies = (await admin.api.get('/api/v2/slas/policies')).body.sla_policies as { id: number; title: string }[];
    const policy = policies[0];
    expect((await admin.api.put(`/api/v2/slas/policies/${policy.id}`, { sla_policy: { title: `${policy.title} (edited)` } })).status).toBe(200);
    const [p] = await entries('sla_policy');
    expect(p).toMatchObject({ action: 'update', source_id: policy.id, before: { title: policy.title }, after: { title: `${policy.title} (edited)` } });

    const schedule = (await admin.api.get('/api/v2/business_hours/schedules')).body.schedules[0];
    const holiday = await admin.api.post(`/api/v2/business_hours/schedules/${schedule.id}/holidays`, { holiday: { name: 'Audit Day', start_date: '2031-05-01', end_date: '2031-05-01' } });
    expect(holiday.status).toBe(201);
    expect((await admin.api.delete(`/api/v2/business_hours/schedules/${schedule.id}/holidays/${holiday.body.holiday.id}`)).status).toBe(204);
    expect((await entries('business_schedule')).slice(0, 2).map((e) => e.action)).toEqual(['holiday_remove', 'holiday_add']);

    expect((await admin.api.put('/api/v2/routing/settings', { routing: { strategy: 'round_robin' } })).status).toBe(200);
    const [r] = await entries('routing_settings');
    expect(r).toMatchObject({ action: 'update', before: { strategy: 'least_open' }, after: { strategy: 'round_robin' } });

    const name = `Audit ${uniq()}`;
    const region = await admin.api.post('/api/v2/regions', { region: { name, shift_start: '08:00', shift_end: '16:00' } });
    expect(region.status).toBe(201);
    // A refused change (duplicate name) leaves no entry: the entry is in the change's transaction.
    expect((await admin.api.post('/api/v2/regions', { region: { name, shift_start: '08:00', shift_end: '16:00' } })).status).toBe(422);
    expect((await admin.api.delete(`/api/v2/regions/${region.body.region.id}`)).status).toBe(204);
    const regionEntries = (await entries('region')).filter((e) => e.source_label === name);
    expect(regionEntries.map((e) => e.action)).toEqual(['destroy', 'create']);

    const trigger = await admin.api.post('/api/v2/triggers', {
      trigger: { title: `Audit trigger ${uniq()}`, conditions: { all: [{ field: 'status', operator: 'is', value: 'new' }] }, actions: [{ field: 'priority', value: 'high' }] },
    });
    expect(trigger.status).toBe(201);
    expect((await admin.api.delete(`/api/v2/triggers/${trigger.body.trigger.id}`)).status).toBe(204);
    expect((await entries('trigger')).filter((e) => e.source_id === trigger.body.trigger.id).map((e) => e.action)).toEqual(['destroy', 'create']);
  });

  it('records API tokens and OAuth clients created and revoked, never their secrets', async () => {
    const token = await admin.api.post('/api/v2/api_tokens', { token: { description: 'audit token' } });
    expect((await admin.api.delete(`/api/v2/api_tokens/${token.body.token.id}`)).status).toBe(204);
    const t = (await entries('api_token')).filter((e) => e.source_id === token.body.token.id);
    expect(t.map((e) => e.action)).toEqual(['revoke', 'create']);

    const client = await admin.api.post('/api/v2/oauth/clients', { client: { name: 'Audit app', identifier: `audit_${uniq()}`, redirect_uri: ['https://app.example.com/cb'] } });
    expect(client.status).toBe(201);
    expect((await admin.api.delete(`/api/v2/oauth/clients/${client.body.client.id}`)).status).toBe(204);
    const c = (await entries('oauth_client')).filter((e) => e.source_id === client.body.client.id);
    expect(c.map((e) => e.action)).toEqual(['revoke', 'create']);

    const all = JSON.stringify((await admin.api.get('/api/v2/audit_logs?per_page=100')).body);
    expect(all).not.toContain(token.body.token.value);
    expect(all).not.toContain(client.body.client.secret);
  });

  it('records exports: incremental export requests and `sundial export zendesk`', async () => {
    const res = await admin.api.request('GET', '/api/v2/incremental/tickets/cursor?start_time=0', undefined, UA);
    expect(res.status).toBe(200);
    const [inc] = await entries('export');
    expect(inc).toMatchObject({ action: 'export', source_label: '/api/v2/incremental/tickets/cursor', actor_id: admin.user.id, user_agent: UA['user-agent'] });

    const dir = mkdtempSync(join(tmpdir(), 'sundial-audit-export-'));
    try {
      await runZendeskExport(env.config, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [cli] = await entries('export');
    expect(cli).toMatchObject({ action: 'export', source_label: 'Zendesk export', actor_id: null, actor_name: 'command line', ip_address: null });
    expect(cli.after.tickets).toBeGreaterThanOrEqual(0);
  });
});

describe('GET /api/v2/audit_logs', () => {
  it('is for admins only', async () => {
    const agent = await createAgent(env);
    const customer = await createCustomer(env, null);
    expect((await agent.api.get('/api/v2/audit_logs')).status).toBe(403);
    expect((await customer.api.get('/api/v2/audit_logs')).status).toBe(403);
    expect((await new Api(env.app).get('/api/v2/audit_logs')).status).toBe(401);
    expect((await agent.api.get('/api/v2/audit_logs/export')).status).toBe(403);
  });

  it('filters by actor and created_at range, pages by cursor and offset, and shows one entry', async () => {
    const other = await createAgent(env, { admin: true });
    const session = await logIn(env, other.user.email, other.password);
    for (let i = 0; i < 3; i++) expect((await session.post('/api/v2/api_tokens', { token: { description: `paged ${i}` } })).status).toBe(201);

    const byActor = await admin.api.get(`/api/v2/audit_logs?filter[actor_id]=${other.user.id}`);
    expect(byActor.body.audit_logs.map((e: any) => e.source_label)).toEqual(['paged 2', 'paged 1', 'paged 0']);
    expect(byActor.body.count).toBe(3);
    // Recorded from a cookie session: the session user is the actor.
    expect(byActor.body.audit_logs.every((e: any) => e.actor_id === other.user.id)).toBe(true);

    const page1 = await admin.api.get(`/api/v2/audit_logs?filter[actor_id]=${other.user.id}&page[size]=2`);
    expect(page1.body.audit_logs).toHaveLength(2);
    expect(page1.body.meta.has_more).toBe(true);
    const page2 = await admin.api.get(page1.body.links.next.replace('http://localhost:80', '').replace(/^https?:\/\/[^/]+/, ''));
    expect(page2.body.audit_logs.map((e: any) => e.source_label)).toEqual(['paged 0']);
    expect(page2.body.meta.has_more).toBe(false);

    const offset = await admin.api.get(`/api/v2/audit_logs?filter[actor_id]=${other.user.id}&per_page=1&page=2`);
    expect(offset.body.audit_logs.map((e: any) => e.source_label)).toEqual(['paged 1']);
    expect(offset.body.next_page).toContain('page=3');

    const oldest = await admin.api.get(`/api/v2/audit_logs?filter[actor_id]=${other.user.id}&sort_order=asc`);
    expect(oldest.body.audit_logs[0].source_label).toBe('paged 0');

    const created = new Date(byActor.body.audit_logs[0].created_at).getTime();
    const range = (from: number, to: number) =>
      admin.api.get(`/api/v2/audit_logs?filter[actor_id]=${other.user.id}&filter[created_at][]=${new Date(from).toISOString()}&filter[created_at][]=${new Date(to).toISOString()}`);
    expect((await range(created - 60_000, created + 60_000)).body.count).toBe(3);
    expect((await range(created - 7_200_000, created - 3_600_000)).body.count).toBe(0);
    expect((await admin.api.get('/api/v2/audit_logs?filter[created_at][]=yesterday')).status).toBe(400);

    const one = await admin.api.get(`/api/v2/audit_logs/${byActor.body.audit_logs[0].id}`);
    expect(Object.keys(one.body.audit_log)).toEqual(
      expect.arrayContaining(['id', 'url', 'action', 'actor_id', 'source_id', 'source_type', 'source_label', 'change_description', 'ip_address', 'created_at']),
    );
    expect((await admin.api.get('/api/v2/audit_logs/999999999')).status).toBe(404);
  });

  it('exports the filtered log as CSV, and records the export', async () => {
    const res = await admin.api.request('GET', '/api/v2/audit_logs/export?filter[source_type]=user', undefined, UA);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="sundial-audit-log.csv"/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,created_at,actor_id,actor,action,source_type,source_id,source_label,change_description,ip_address,user_agent');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l: string) => l.split(',')[5] === 'user')).toBe(true);
    const [entry] = await entries('export');
    expect(entry).toMatchObject({ source_label: 'Audit log CSV', actor_id: admin.user.id });
  });
});
