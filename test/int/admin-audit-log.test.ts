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

  it('records organizations created, updated and deleted, and no entry for a refused change', async () => {
    const name = `Audit org ${uniq()}`;
    const org = await admin.api.request('POST', '/api/v2/organizations', { organization: { name, support_plan: 'enterprise', domain_names: [`${uniq('d')}.example.com`] } }, UA);
    expect(org.status).toBe(201);
    const id = org.body.organization.id;
    expect((await admin.api.put(`/api/v2/organizations/${id}`, { organization: { support_plan: 'premier', shared_tickets: true } })).status).toBe(200);
    // The upsert updates through the same use case, and is recorded the same way.
    expect((await admin.api.post('/api/v2/organizations/create_or_update', { organization: { id, notes: 'Key account' } })).status).toBe(200);
    // A refused change (the name is taken) leaves no entry.
    expect((await admin.api.post('/api/v2/organizations', { organization: { name } })).status).toBe(422);
    await createCustomer(env, org.body.organization);
    expect((await admin.api.delete(`/api/v2/organizations/${id}`)).status).toBe(204);

    const mine = (await entries('organization')).filter((e) => e.source_id === id);
    expect(mine.map((e) => e.action)).toEqual(['destroy', 'update', 'update', 'create']);
    const [gone, notes, plan, made] = mine;
    expect(made).toMatchObject({ actor_id: admin.user.id, source_label: name, ip_address: admin.api.ip, user_agent: UA['user-agent'], after: { name, support_plan: 'enterprise' } });
    expect(plan).toMatchObject({ before: { support_plan: 'enterprise', shared_tickets: false }, after: { support_plan: 'premier', shared_tickets: true } });
    expect(plan.change_description).toBe('support_plan: "enterprise" → "premier"; shared_tickets: false → true');
    expect(notes).toMatchObject({ before: { notes: null }, after: { notes: 'Key account' } });
    expect(gone).toMatchObject({ action_label: 'Deleted', change_description: 'Organization deleted; 1 member(s) detached', before: { name, support_plan: 'premier' } });
  });

  it('records groups created, updated and deleted, and members added and removed', async () => {
    const name = `Audit group ${uniq()}`;
    const group = await admin.api.request('POST', '/api/v2/groups', { group: { name, description: 'Second line' } }, UA);
    expect(group.status).toBe(201);
    const id = group.body.group.id;
    expect((await admin.api.put(`/api/v2/groups/${id}`, { group: { name: `${name} (renamed)` } })).status).toBe(200);
    expect((await admin.api.post('/api/v2/groups', { group: { name: `${name} (renamed)` } })).status).toBe(422);
    const agent = await createAgent(env);
    const membership = await admin.api.post('/api/v2/group_memberships', { group_membership: { user_id: agent.user.id, group_id: id } });
    expect(membership.status).toBe(201);
    expect((await admin.api.delete(`/api/v2/group_memberships/${membership.body.group_membership.id}`)).status).toBe(204);
    expect((await admin.api.post('/api/v2/group_memberships', { group_membership: { user_id: agent.user.id, group_id: id } })).status).toBe(201);
    expect((await admin.api.delete(`/api/v2/groups/${id}`)).status).toBe(204);

    const mine = (await entries('group')).filter((e) => e.source_id === id);
    expect(mine.map((e) => e.action)).toEqual(['destroy', 'member_add', 'member_remove', 'member_add', 'update', 'create']);
    expect(mine[5]).toMatchObject({ actor_id: admin.user.id, source_label: name, user_agent: UA['user-agent'], after: { name, description: 'Second line', is_public: true } });
    expect(mine[4]).toMatchObject({ source_label: `${name} (renamed)`, before: { name }, after: { name: `${name} (renamed)` } });
    expect(mine[3]).toMatchObject({ action_label: 'Member added', change_description: `${agent.user.email} added`, after: { user_id: agent.user.id } });
    expect(mine[2]).toMatchObject({ action_label: 'Member removed', change_description: `${agent.user.email} removed`, before: { user_id: agent.user.id } });
    expect(mine[0]).toMatchObject({ change_description: 'Group deleted; 1 membership(s) removed', before: { name: `${name} (renamed)` } });
  });

  it('records macros, shared ones by admins and personal ones by agents, with the actor who made the change', async () => {
    const title = `Audit macro ${uniq()}`;
    const macro = await admin.api.request('POST', '/api/v2/macros', { macro: { title, actions: [{ field: 'priority', value: 'high' }] } }, UA);
    expect(macro.status).toBe(201);
    const id = macro.body.macro.id;
    expect((await admin.api.put(`/api/v2/macros/${id}`, { macro: { active: false, actions: [{ field: 'priority', value: 'low' }] } })).status).toBe(200);
    // Refused: an invalid action leaves no entry.
    expect((await admin.api.put(`/api/v2/macros/${id}`, { macro: { actions: [{ field: 'no_such_field', value: 'x' }] } })).status).toBe(422);
    expect((await admin.api.delete(`/api/v2/macros/${id}`)).status).toBe(204);
    const mine = (await entries('macro')).filter((e) => e.source_id === id);
    expect(mine.map((e) => e.action)).toEqual(['destroy', 'update', 'create']);
    expect(mine[2]).toMatchObject({ actor_id: admin.user.id, source_label: title, user_agent: UA['user-agent'], after: { title, active: true, restriction: null, actions: [{ field: 'priority', value: 'high' }] } });
    expect(mine[1]).toMatchObject({ before: { active: true, actions: [{ field: 'priority', value: 'high' }] }, after: { active: false, actions: [{ field: 'priority', value: 'low' }] } });
    expect(mine[0]).toMatchObject({ action_label: 'Deleted', before: { title } });

    const agent = await createAgent(env);
    const personal = await agent.api.post('/api/v2/macros', { macro: { title: `Mine ${uniq()}`, actions: [{ field: 'status', value: 'open' }] } });
    expect(personal.status).toBe(201);
    const [own] = (await entries('macro')).filter((e) => e.source_id === personal.body.macro.id);
    expect(own).toMatchObject({ action: 'create', actor_id: agent.user.id, after: { restriction: { type: 'User', ids: [agent.user.id] } } });
  });

  it('records staff accounts, help-center structure, paging targets, on-call schedules, ticket forms and field options', async () => {
    // A new agent is access granted (a new customer is not an admin action).
    const email = `${uniq('staff')}@example.test`;
    const staff = await admin.api.post('/api/v2/users', { user: { name: 'New Agent', email, role: 'agent', password: `pw-${uniq()}-${uniq()}` } });
    expect(staff.status).toBe(201);
    const customer = await admin.api.post('/api/v2/users', { user: { name: 'New Customer', email: `${uniq('cust')}@example.test` } });
    expect(customer.status).toBe(201);
    const users = await entries('user');
    expect(users.find((e) => e.source_id === staff.body.user.id)).toMatchObject({ action: 'create', actor_id: admin.user.id, after: { role: 'agent', password_set: true } });
    expect(users.some((e) => e.source_id === customer.body.user.id)).toBe(false);

    const category = await admin.api.post('/api/v2/help_center/categories', { category: { name: `Audit category ${uniq()}` } });
    const section = await admin.api.post(`/api/v2/help_center/categories/${category.body.category.id}/sections`, { section: { name: 'Audit section' } });
    expect((await admin.api.put(`/api/v2/help_center/sections/${section.body.section.id}`, { section: { name: 'Audit section (renamed)' } })).status).toBe(200);
    expect((await admin.api.delete(`/api/v2/help_center/categories/${category.body.category.id}`)).status).toBe(204);
    expect((await entries('help_center_category')).filter((e) => e.source_id === category.body.category.id).map((e) => e.action)).toEqual(['destroy', 'create']);
    const sections = (await entries('help_center_section')).filter((e) => e.source_id === section.body.section.id);
    expect(sections.map((e) => [e.action, e.change_description])).toEqual([
      ['update', 'name: "Audit section" → "Audit section (renamed)"'],
      ['create', 'Section created'],
    ]);

    // Paging targets: the routing key and a webhook URL's path are credentials and stay out of the log.
    const target = await admin.api.post('/api/v2/paging/targets', { target: { name: `Audit PD ${uniq()}`, kind: 'pagerduty', routing_key: 'R0UTINGKEYSECRET42' } });
    expect(target.status).toBe(201);
    const slackUrl = 'https://hooks.example.com/services/T000/B000/HOOKPATHSECRET';
    expect((await admin.api.put(`/api/v2/paging/targets/${target.body.target.id}`, { target: { kind: 'slack', url: slackUrl, routing_key: null } })).status).toBe(200);
    expect((await admin.api.delete(`/api/v2/paging/targets/${target.body.target.id}`)).status).toBe(204);
    const targets = (await entries('paging_target')).filter((e) => e.source_id === target.body.target.id);
    expect(targets.map((e) => e.action)).toEqual(['destroy', 'update', 'create']);
    expect(targets[1]).toMatchObject({ before: { kind: 'pagerduty', url: null, routing_key: '••••••••ET42' }, after: { kind: 'slack', url: 'https://hooks.example.com/…', routing_key: null } });
    expect(JSON.stringify(targets)).not.toContain('R0UTINGKEYSECRET42');
    expect(JSON.stringify(targets)).not.toContain('HOOKPATHSECRET');

    const schedule = await admin.api.post('/api/v2/on_call/schedules', { schedule: { name: `Audit rota ${uniq()}`, rotation_start: '2031-01-06T09:00:00Z', participant_ids: [admin.user.id] } });
    expect(schedule.status).toBe(201);
    const sid = schedule.body.schedule.id;
    expect((await admin.api.put(`/api/v2/on_call/schedules/${sid}`, { schedule: { rotation_hours: 24 } })).status).toBe(200);
    const override = await admin.api.post(`/api/v2/on_call/schedules/${sid}/overrides`, { override: { role: 'primary', user_id: admin.user.id, starts_at: '2031-02-01T00:00:00Z', ends_at: '2031-02-02T00:00:00Z' } });
    expect(override.status).toBe(201);
    expect((await admin.api.delete(`/api/v2/on_call/schedules/${sid}/overrides/${override.body.schedule.overrides[0].id}`)).status).toBe(204);
    expect((await admin.api.delete(`/api/v2/on_call/schedules/${sid}`)).status).toBe(204);
    const rota = (await entries('on_call_schedule')).filter((e) => e.source_id === sid);
    expect(rota.map((e) => e.action)).toEqual(['destroy', 'override_remove', 'override_add', 'update', 'create']);
    expect(rota[3]).toMatchObject({ before: { rotation_hours: 168 }, after: { rotation_hours: 24 } });

    const form = (await admin.api.get('/api/v2/ticket_forms')).body.ticket_forms[0];
    expect((await admin.api.put(`/api/v2/ticket_forms/${form.id}`, { ticket_form: { display_name: form.display_name } })).status).toBe(200);
    expect((await entries('ticket_form')).find((e) => e.source_id === form.id)).toMatchObject({ action: 'update', actor_id: admin.user.id });
    const field = (await admin.api.get('/api/v2/ticket_fields')).body.ticket_fields.find((f: any) => f.type === 'tagger');
    const value = uniq('audit_');
    const option = await admin.api.post(`/api/v2/ticket_fields/${field.id}/options`, { custom_field_option: { name: 'Audit option', value } });
    expect(option.status).toBe(201);
    expect((await admin.api.put(`/api/v2/ticket_fields/${field.id}/options/${option.body.custom_field_option.id}`, { custom_field_option: { active: false } })).status).toBe(200);
    const options = (await entries('ticket_field')).filter((e) => e.source_id === field.id).slice(0, 2);
    expect(options.map((e) => [e.action, e.change_description])).toEqual([
      ['option_update', `Option ${value}: active: true → false`],
      ['option_add', `Option ${value} added`],
    ]);
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
