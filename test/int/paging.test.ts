import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { OutboundBlocked, postJson } from '../../src/platform/outbound-http.js';
import { runPagingTick } from '../../src/modules/paging/pages.js';
import { checkBreach } from '../../src/modules/sla/engine.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { WebhookReceiver } from '../webhook-receiver.js';

const MINUTE = 60_000;
// Saturday 03:00 UTC = Friday 19:00 US Pacific: inside the Premier weekend window (spec §9.3).
const SATURDAY = new Date('2026-11-28T03:00:00Z');

let env: TestEnv;
let receiver: WebhookReceiver;
const clock = new ManualClock(SATURDAY);
let admin: Actor;
let primary: Actor;
let backup: Actor;

/**
 * Waits until every page's sends are delivered. A tick skips pages the scheduled tick job holds
 * locked, so the page locks are taken (and released) first, to wait for that job's transaction.
 */
async function settled(e: TestEnv = env) {
  await e.ctx.db.transaction().execute((tx) => tx.selectFrom('pages').select('id').where('status', '=', 'open').forUpdate().execute());
  const deadline = Date.now() + 15_000;
  for (;;) {
    const queued = await e.ctx.db.selectFrom('page_deliveries').select('id').where('status', '=', 'queued').execute();
    if (!queued.length) return;
    if (Date.now() > deadline) throw new Error(`deliveries still queued: ${queued.map((q) => q.id)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pagesOf = async (ticketId: number) => (await admin.api.get(`/api/v2/tickets/${ticketId}/pages`)).body.pages as any[];
const mattermostPosts = (ticketId: number) => receiver.on('/hooks/mattermost').filter((h) => String(h.body.text).includes(`#${ticketId} `));
const pagerDutyEvents = (pageId: number) => receiver.on('/pagerduty').filter((h) => h.body.dedup_key === `sundial-page-${pageId}`).map((h) => h.body.event_action);

async function premierRequest(priority: string, plan: 'premier' | 'enterprise' = 'premier') {
  const customer = await createCustomer(env, await createOrganization(env, { plan }));
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority, subject: `Cluster down ${priority}` }));
  expect(res.status).toBe(201);
  return { customer, id: res.body.request.id as number };
}

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  env = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', PAGE_REPEAT_AFTER: '15m', PAGE_ESCALATE_AFTER: '30m' }, { clock });
  admin = await createAgent(env, { admin: true });
  primary = await createAgent(env, { name: 'Pat Primary' });
  backup = await createAgent(env, { name: 'Bo Backup' });
  const targets = [
    { name: 'Support on-call channel', kind: 'mattermost', url: `${receiver.url}/hooks/mattermost` },
    { name: 'PagerDuty', kind: 'pagerduty', url: `${receiver.url}/pagerduty`, routing_key: 'R0UTINGKEY00000000000000000000AB' },
    { name: 'Email the engineer', kind: 'email' },
  ];
  for (const target of targets) expect((await admin.api.post('/api/v2/paging/targets', { target })).status).toBe(201);
  const schedule = await admin.api.post('/api/v2/on_call/schedules', {
    schedule: { name: 'Support on call', rotation_start: '2026-11-23T17:00:00Z', rotation_hours: 168, participant_ids: [primary.user.id, backup.user.id] },
  });
  expect(schedule.status).toBe(201);
});
afterAll(async () => {
  await env?.close();
  await receiver?.stop();
});

describe('Premier 24×7 paging', () => {
  it('pages the on-call engineer at once for a Premier urgent ticket on a weekend, through every channel', async () => {
    const now = await admin.api.get('/api/v2/on_call/now');
    expect(now.body.on_call[0]).toMatchObject({ primary: { id: primary.user.id, name: 'Pat Primary' }, backup: { id: backup.user.id } });

    const { id } = await premierRequest('urgent');
    await settled();
    const [page] = await pagesOf(id);
    expect(page).toMatchObject({ reason: 'created', level: 'primary', user_id: primary.user.id, status: 'open', sends: 1 });
    expect(new Date(page.next_send_at).getTime()).toBe(SATURDAY.getTime() + 15 * MINUTE);
    expect(page.deliveries.map((d: any) => [d.kind, d.status])).toEqual([['mattermost', 'sent'], ['pagerduty', 'sent'], ['email', 'sent']]);

    const [post] = mattermostPosts(id);
    expect(post.body).toMatchObject({ username: 'Sundial' });
    expect(post.body.text).toContain(`Premier urgent ticket #${id} from Org`);
    expect(post.body.text).toContain('Paging Pat Primary');
    expect(post.body.text).toMatch(/\[Acknowledge\]\(http:\/\/sundial\.test\/pages\/\d+\/acknowledge\?signature=[\w-]+\)/);
    const [trigger] = receiver.on('/pagerduty').filter((h) => h.body.dedup_key === `sundial-page-${page.id}`);
    expect(trigger.body).toMatchObject({ routing_key: 'R0UTINGKEY00000000000000000000AB', event_action: 'trigger', payload: { severity: 'critical', source: 'sundial' } });
    await env.mail.waitFor((m) => m.to.includes(primary.user.email) && m.subject.includes(`#${id} `));

    const audits = (await admin.api.get(`/api/v2/tickets/${id}/audits`)).body.audits as any[];
    const pageEvents = audits.flatMap((a) => a.events).filter((e) => e.type === 'Page');
    expect(pageEvents).toEqual([expect.objectContaining({ field_name: 'paged', value: expect.objectContaining({ page_id: page.id, user_id: primary.user.id, send: 1, targets: 3 }) })]);
  });

  it('pages only Premier urgent and high tickets, and a raise to high', async () => {
    const enterprise = await premierRequest('urgent', 'enterprise');
    const normal = await premierRequest('normal');
    expect(await pagesOf(enterprise.id)).toEqual([]);
    expect(await pagesOf(normal.id)).toEqual([]);
    await admin.api.put(`/api/v2/tickets/${normal.id}`, { ticket: { priority: 'high' } });
    expect(await pagesOf(normal.id)).toEqual([expect.objectContaining({ reason: 'priority_raised', sends: 1, user_id: primary.user.id })]);
  });

  it('repeats every 15 minutes once across concurrent ticks, escalates to the backup at 30, and stops when acknowledged by link', async () => {
    clock.set(SATURDAY);
    const { id } = await premierRequest('high');
    await settled();
    const pageId = (await pagesOf(id))[0].id;

    clock.advance(10 * MINUTE);
    await runPagingTick(env.ctx);
    expect((await pagesOf(id))[0].sends).toBe(1);

    clock.advance(5 * MINUTE);
    await Promise.all([runPagingTick(env.ctx), runPagingTick(env.ctx), runPagingTick(env.ctx)]);
    await settled();
    expect((await pagesOf(id))[0]).toMatchObject({ sends: 2, level: 'primary', user_id: primary.user.id });
    expect(mattermostPosts(id)).toHaveLength(2);
    expect(mattermostPosts(id)[1].body.text).toContain('repeated, send 2');

    clock.advance(15 * MINUTE);
    await runPagingTick(env.ctx);
    await settled();
    expect((await pagesOf(id))[0]).toMatchObject({ sends: 3, level: 'backup', user_id: backup.user.id, escalate_at: null });
    expect(mattermostPosts(id)[2].body.text).toContain('Paging Bo Backup — escalated to the backup');
    await env.mail.waitFor((m) => m.to.includes(backup.user.email) && m.subject.includes(`#${id} `));

    // The link from the chat message opens a confirmation; a forged signature finds nothing.
    const link = new URL(/\[Acknowledge\]\(([^)]+)\)/.exec(mattermostPosts(id)[2].body.text)![1]);
    expect((await env.app.inject({ method: 'GET', url: `/pages/${pageId}/acknowledge?signature=forged` })).statusCode).toBe(404);
    const confirm = await env.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<form method="post"');
    expect((await pagesOf(id))[0].status).toBe('open'); // opening the link is not acknowledging
    const ack = await env.app.inject({ method: 'POST', url: link.pathname + link.search, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(ack.statusCode).toBe(200);
    expect(ack.body).toContain('is acknowledged by Bo Backup');
    await settled();
    expect((await pagesOf(id))[0]).toMatchObject({ status: 'acknowledged', acknowledged_by: backup.user.id, acknowledged_via: 'link', next_send_at: null });
    expect(pagerDutyEvents(pageId)).toEqual(['trigger', 'trigger', 'trigger', 'acknowledge']);

    clock.advance(60 * MINUTE);
    await runPagingTick(env.ctx);
    await settled();
    expect(mattermostPosts(id)).toHaveLength(3);
    const again = await env.app.inject({ method: 'POST', url: link.pathname + link.search });
    expect(again.body).toContain('was already acknowledged by Bo Backup');
  });

  it('is acknowledged by an agent in the workspace, pages again at 75 % of the first-reply target, and resolves when solved', async () => {
    clock.set(SATURDAY);
    const { id } = await premierRequest('urgent');
    const pageId = (await pagesOf(id))[0].id;
    const ack = await primary.api.post(`/api/v2/pages/${pageId}/acknowledge`, {});
    expect(ack.status).toBe(200);
    expect(ack.body.page).toMatchObject({ status: 'acknowledged', acknowledged_by: primary.user.id, acknowledged_via: 'agent' });
    expect((await primary.api.post(`/api/v2/pages/${pageId}/acknowledge`, {})).body.already_acknowledged).toBe(true);
    // Without a session or a valid signature the page does not exist.
    expect((await env.app.inject({ method: 'POST', url: `/api/v2/pages/${pageId}/acknowledge`, payload: { signature: 'nope' } })).statusCode).toBe(404);

    // 50 minutes of a 1-hour first-reply target pass without a reply (Premier urgent, 24×7).
    await env.ctx.db.updateTable('ticket_audits').set({ created_at: new Date(Date.now() - 50 * MINUTE) }).where('ticket_id', '=', id).execute();
    await checkBreach(env.ctx, id);
    const pages = await pagesOf(id);
    expect(pages.map((p) => [p.reason, p.status, p.sends])).toEqual([
      ['created', 'acknowledged', 1],
      ['first_reply_75', 'open', 1],
    ]);

    await admin.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: admin.user.id, status: 'solved', comment: { body: 'Fixed by restarting the job server.' } } });
    await settled();
    expect((await pagesOf(id)).map((p) => p.status)).toEqual(['resolved', 'resolved']);
    expect(pagerDutyEvents(pages[1].id)).toEqual(['trigger', 'resolve']);
    expect((await primary.api.post(`/api/v2/pages/${pages[1].id}/acknowledge`, {})).status).toBe(422);
  });

  it('keeps paging configuration to admins and validates targets field by field', async () => {
    expect((await primary.api.get('/api/v2/paging/targets')).status).toBe(403);
    const list = await admin.api.get('/api/v2/paging/targets');
    expect(list.body.targets.find((t: any) => t.kind === 'pagerduty').routing_key).toBe('••••••••00AB');
    const bad = await admin.api.post('/api/v2/paging/targets', { target: { name: 'PD', kind: 'pagerduty' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.routing_key[0].description).toMatch(/^Routing key: cannot be blank/);
    const noUrl = await admin.api.post('/api/v2/paging/targets', { target: { name: 'Chat', kind: 'slack', url: 'ftp://example.com/x' } });
    expect(noUrl.body.details.url[0].description).toBe('Url: must be an http or https URL');
    const kind = await admin.api.post('/api/v2/paging/targets', { target: { name: 'Pager', kind: 'sms' } });
    expect(Object.keys(kind.body.details)).toEqual(['kind']);
    const badSchedule = await admin.api.post('/api/v2/on_call/schedules', { schedule: { name: 'X', rotation_start: 'tomorrow', participant_ids: [999999] } });
    expect(badSchedule.status).toBe(422);
    expect(badSchedule.body.details.rotation_start[0].description).toMatch(/ISO 8601/);
  });

  it('refuses loopback and private addresses unless WEBHOOK_ALLOW_PRIVATE is set', async () => {
    const strict = await startTestApp();
    try {
      const a = await createAgent(strict, { admin: true });
      const res = await a.api.post('/api/v2/paging/targets', { target: { name: 'Local', kind: 'mattermost', url: `${receiver.url}/hooks/x` } });
      expect(res.status).toBe(422);
      expect(res.body.details.url[0].description).toMatch(/loopback or private address/);
    } finally {
      await strict.close();
    }
    // A host name is checked on the address actually connected to, so DNS cannot smuggle a private one in.
    const before = receiver.received.length;
    const port = new URL(receiver.url).port;
    await expect(postJson(`http://${hostname()}:${port}/hooks/x`, {}, { allowPrivate: false })).rejects.toBeInstanceOf(OutboundBlocked);
    await expect(postJson(`http://[::1]:${port}/`, {}, { allowPrivate: false })).rejects.toBeInstanceOf(OutboundBlocked);
    expect(receiver.received.length).toBe(before);
  });
});

describe('paging with two nodes on one database', () => {
  it('sends each page exactly once', async () => {
    const hooks = await new WebhookReceiver().start();
    const twoClock = new ManualClock(SATURDAY);
    const one = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { clock: twoClock });
    const two = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { clock: twoClock, databaseUrl: one.databaseUrl });
    try {
      const boss = await createAgent(one, { admin: true });
      await boss.api.post('/api/v2/paging/targets', { target: { name: 'Channel', kind: 'mattermost', url: `${hooks.url}/hook` } });
      await boss.api.post('/api/v2/on_call/schedules', { schedule: { name: 'Weekend', rotation_start: '2026-11-27T00:00:00Z', participant_ids: [boss.user.id] } });
      const customer = await createCustomer(two, await createOrganization(two, { plan: 'premier' }));
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { priority: 'urgent' }))).body.request.id);
      await hooks.waitFor((h) => h.length >= 5);
      twoClock.advance(15 * MINUTE);
      await Promise.all([runPagingTick(one.ctx), runPagingTick(two.ctx), runPagingTick(one.ctx), runPagingTick(two.ctx)]);
      await hooks.waitFor((h) => h.length >= 10);
      await settled(one);
      await new Promise((r) => setTimeout(r, 1500)); // any duplicate would arrive meanwhile
      const perTicket = ids.map((id) => hooks.received.filter((h) => String(h.body.text).includes(`#${id} `)).length);
      expect(perTicket).toEqual([2, 2, 2, 2, 2]);
    } finally {
      await two.close();
      await one.close();
      await hooks.stop();
    }
  });
});
