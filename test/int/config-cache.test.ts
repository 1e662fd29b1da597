import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedConfig } from '../../src/platform/config-cache.js';
import { cachedForm } from '../../src/modules/tickets/forms.repository.js';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// Two nodes of one deployment: configuration changed through A must be in force on B at B's next request,
// although B keeps a copy of the configuration between requests.
let nodeA: TestEnv;
let nodeB: TestEnv;
beforeAll(async () => {
  nodeA = await startTestApp();
  nodeB = await startTestApp({ SMTP_URL: nodeA.mail.url }, { databaseUrl: nodeA.databaseUrl });
});
afterAll(async () => {
  await nodeB?.close();
  await nodeA?.close();
});

const version = async (env: TestEnv) => (await env.ctx.db.selectFrom('config_version').select('version').executeTakeFirstOrThrow()).version;

describe('configuration cache across nodes', () => {
  it('sees a form deactivated on another node at the next request', async () => {
    const admin = await createAgent(nodeA, { admin: true });
    const onB = Api.basicToken(nodeB.app, admin.user.email, admin.token);
    const customer = await createCustomer(nodeA, await createOrganization(nodeA));
    const { technical } = await formsOf(admin.api);
    const ticket = (body: string) => ({ ticket: { ticket_form_id: technical.id, subject: 'Cache', priority: 'normal', requester_id: customer.user.id, comment: { body } } });
    expect((await onB.post('/api/v2/tickets', ticket('before'))).status).toBe(201);

    expect((await admin.api.put(`/api/v2/ticket_forms/${technical.id}`, { ticket_form: { active: false } })).status).toBe(200);
    const refused = await onB.post('/api/v2/tickets', ticket('while inactive'));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('is not an available form');

    expect((await admin.api.put(`/api/v2/ticket_forms/${technical.id}`, { ticket_form: { active: true } })).status).toBe(200);
    expect((await onB.post('/api/v2/tickets', ticket('after'))).status).toBe(201);
  });

  it('applies an SLA target changed on another node to the next request', async () => {
    const admin = await createAgent(nodeA, { admin: true });
    const customer = await createCustomer(nodeB, await createOrganization(nodeA, { plan: 'premier' }));
    const frtOf = async (id: number) =>
      (await admin.api.get(`/api/v2/tickets/${id}?include=slas`)).body.ticket.slas.policy_metrics.find((m: { metric: string }) => m.metric === 'first_reply_time');
    const submit = async () => (await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent' }))).body.request.id as number;
    expect(await frtOf(await submit())).toMatchObject({ hours: 1, minutes: 0 });

    const premier = (await admin.api.get('/api/v2/slas/policies')).body.sla_policies.find((p: any) => p.filter.all[0].value === 'premier');
    const set = (target: number) => premier.policy_metrics.map((m: any) => (m.metric === 'first_reply_time' && m.priority === 'urgent' ? { ...m, target } : m));
    expect((await admin.api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: { policy_metrics: set(25) } })).status).toBe(200);
    try {
      expect(await frtOf(await submit())).toMatchObject({ hours: 0, minutes: 25 });
    } finally {
      await admin.api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: { policy_metrics: set(60) } });
    }
  });

  it('gives every configuration change a new version, and a rolled-back change none anyone sees', async () => {
    const before = await version(nodeA);
    await nodeA.ctx.db.updateTable('groups').set({ updated_at: new Date() }).where('key', '=', 'technical').execute();
    const changed = await version(nodeA);
    expect(changed).not.toBe(before);

    // Read inside the changing transaction, the form is cached under that transaction's own version,
    // which the rollback throws away: afterwards the committed version serves the committed form.
    const { technical } = await formsOf((await createAgent(nodeA)).api);
    await expect(
      nodeA.ctx.db.transaction().execute(async (tx) => {
        await tx.updateTable('ticket_forms').set({ display_name: 'Rolled back' }).where('id', '=', technical.id).execute();
        expect((await cachedForm(tx, technical.id))!.display_name).toBe('Rolled back');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await version(nodeA)).toBe(changed);
    expect((await cachedForm(nodeA.ctx.db, technical.id))!.display_name).not.toBe('Rolled back');
  });

  it('shares frozen values, loaded once per version', async () => {
    let loads = 0;
    const load = async () => ({ loads: ++loads, list: [1, 2] });
    const first = await cachedConfig(nodeA.ctx.db, 'test-value', load);
    expect(await cachedConfig(nodeA.ctx.db, 'test-value', load)).toBe(first);
    expect(loads).toBe(1);
    expect(() => (first.list as number[]).push(3)).toThrow(TypeError);
    await nodeA.ctx.db.updateTable('settings').set({ updated_at: new Date() }).where('key', '=', 'no-such-key').execute();
    expect((await cachedConfig(nodeA.ctx.db, 'test-value', load)).loads).toBe(2);
  });
});
