import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { WebhookReceiver } from '../webhook-receiver.js';

// node-zendesk, the most used Zendesk client on npm, unmodified and over real HTTP.
const { createClient } = createRequire(import.meta.url)('node-zendesk') as { createClient: (o: object) => any };

let env: TestEnv;
let receiver: WebhookReceiver;
let admin: Actor & { token: string };
let agent: Actor & { token: string };
let client: any;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  env = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }, { listen: true });
  admin = await createAgent(env, { admin: true, name: 'Ada Admin' });
  agent = await createAgent(env, { name: 'Sam Agent', groups: ['technical'] });
  client = createClient({ username: admin.user.email, token: admin.token, endpointUri: `${env.url}/api/v2`, debug: false });
});
afterAll(async () => {
  await env?.close();
  await receiver?.stop();
});

// Triggers apply to every ticket of the desk: each test removes the ones it made.
const made: number[] = [];
afterEach(async () => {
  if (made.length) await env.ctx.db.deleteFrom('triggers').where('id', 'in', made.splice(0)).execute();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits for the trigger cycle of one update (its audit) to have run. */
const cycleOf = (auditId: number) =>
  until(`triggers of audit ${auditId}`, () => env.ctx.db.selectFrom('trigger_runs').selectAll().where('audit_id', '=', auditId).executeTakeFirst());

async function trigger(body: Record<string, unknown>) {
  const res = await admin.api.post('/api/v2/triggers', { trigger: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  made.push(res.body.trigger.id);
  return res.body.trigger as { id: number; title: string; position: number };
}

async function newTicket(api: Actor['api'], ticket: Record<string, unknown>) {
  const res = await api.post('/api/v2/tickets', { ticket: { comment: { body: 'Something is wrong' }, ...ticket } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ticket: res.body.ticket, auditId: res.body.audit.id as number };
}

const ticketOf = async (id: number) => (await admin.api.get(`/api/v2/tickets/${id}`)).body.ticket;

describe('macros', () => {
  it('previews a macro on a ticket with placeholders filled, and saves nothing', async () => {
    const org = await createOrganization(env);
    const f = await formsOf(admin.api);
    const category = f.field.technical('Category');
    const created = await admin.api.post('/api/v2/macros', {
      macro: {
        title: 'Known issue: push notifications',
        description: 'Answer and close',
        actions: [
          { field: 'status', value: 'solved' },
          { field: 'priority', value: 'low' },
          { field: 'assignee_id', value: 'current_user' },
          { field: 'current_tags', value: 'known_issue push' },
          { field: 'remove_tags', value: 'triage' },
          { field: `custom_fields_${category.id}`, value: 'notifications_status' },
          { field: 'comment_value', value: 'Hi {{ticket.requester.first_name}}, ticket #{{ticket.id}} ("{{ticket.title}}") is a known issue. — {{current_user.name}}' },
          { field: 'comment_mode_is_public', value: 'false' },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(new RegExp(`^http://[^/]+/api/v2/macros/${created.body.macro.id}\\.json$`));
    const macro = created.body.macro;
    expect(macro).toMatchObject({ title: 'Known issue: push notifications', raw_title: 'Known issue: push notifications', active: true, restriction: null, default: false });

    const { ticket } = await newTicket(admin.api, { subject: 'Push <broken> & "late"', tags: ['triage', 'ios'], requester: { email: `rita@${org.domain}`, name: 'Rita Requester' } });
    const auditsBefore = (await admin.api.get(`/api/v2/tickets/${ticket.id}/audits`)).body.audits.length;

    const preview = await agent.api.get(`/api/v2/tickets/${ticket.id}/macros/${macro.id}/apply.json`);
    expect(preview.status).toBe(200);
    expect(preview.body.result.ticket).toEqual({
      id: ticket.id,
      url: expect.stringMatching(new RegExp(`/api/v2/tickets/${ticket.id}\\.json$`)),
      status: 'solved',
      priority: 'low',
      assignee_id: agent.user.id,
      tags: ['ios', 'known_issue', 'push'],
      custom_fields: [{ id: category.id, value: 'notifications_status' }],
      fields: [{ id: category.id, value: 'notifications_status' }],
    });
    const text = `Hi Rita, ticket #${ticket.id} ("Push <broken> & "late"") is a known issue. — Sam Agent`;
    expect(preview.body.result.comment).toMatchObject({ body: text, public: false, scoped_body: [['channel:all', text]] });
    expect(preview.body.result.comment.html_body).toBe(`<p>Hi Rita, ticket #${ticket.id} (&quot;Push &lt;broken&gt; &amp; &quot;late&quot;&quot;) is a known issue. — Sam Agent</p>`);

    // A preview: the ticket is exactly as it was.
    const after = await ticketOf(ticket.id);
    expect(after).toMatchObject({ status: 'new', priority: null, assignee_id: null, tags: ['triage', 'ios'] });
    expect((await admin.api.get(`/api/v2/tickets/${ticket.id}/audits`)).body.audits.length).toBe(auditsBefore);

    // Without a ticket: the macro's changes as written.
    const plain = await agent.api.get(`/api/v2/macros/${macro.id}/apply`);
    expect(plain.body.result.ticket).toMatchObject({ status: 'solved', assignee_id: agent.user.id, additional_tags: ['known_issue', 'push'], remove_tags: ['triage'] });
    expect(plain.body.result.comment.body).toContain('{{ticket.requester.first_name}}');

    const active = await agent.api.get('/api/v2/macros/active');
    expect(active.body.macros.map((m: { id: number }) => m.id)).toContain(macro.id);
    const found = await agent.api.get('/api/v2/macros/search?query=push%20notif');
    expect(found.body.macros.map((m: { id: number }) => m.id)).toEqual([macro.id]);
    expect((await agent.api.get('/api/v2/tickets/999999999/macros/' + macro.id + '/apply')).status).toBe(404);
  });

  it('lets admins manage every macro and agents only their personal ones, with field-level 422s', async () => {
    const other = await createAgent(env);
    const shared = await agent.api.post('/api/v2/macros', { macro: { title: 'Shared by an agent', actions: [{ field: 'status', value: 'open' }], restriction: null } });
    expect(shared.status).toBe(403);
    const personal = await agent.api.post('/api/v2/macros', { macro: { title: 'My canned reply', actions: [{ field: 'comment_value', value: 'On it!' }] } });
    expect(personal.status).toBe(201);
    expect(personal.body.macro.restriction).toEqual({ type: 'User', id: agent.user.id, ids: [agent.user.id] });
    const id = personal.body.macro.id;
    expect((await other.api.get(`/api/v2/macros/${id}`)).status).toBe(404);
    expect((await other.api.get('/api/v2/macros')).body.macros.map((m: { id: number }) => m.id)).not.toContain(id);
    expect((await admin.api.get(`/api/v2/macros/${id}`)).status).toBe(200);
    expect((await agent.api.put(`/api/v2/macros/${id}`, { macro: { title: 'Renamed' } })).body.macro.title).toBe('Renamed');

    const adminMacro = (await admin.api.post('/api/v2/macros', { macro: { title: 'Team macro', actions: [{ field: 'priority', value: 'high' }] } })).body.macro;
    expect((await agent.api.put(`/api/v2/macros/${adminMacro.id}`, { macro: { title: 'Mine now' } })).status).toBe(403);
    expect((await agent.api.delete(`/api/v2/macros/${adminMacro.id}`)).status).toBe(403);
    const customer = await createCustomer(env, await createOrganization(env));
    expect((await customer.api.get('/api/v2/macros')).status).toBe(403);

    const bad = await admin.api.post('/api/v2/macros', { macro: { title: '  ', actions: [] } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.title[0]).toMatchObject({ description: 'Title: cannot be blank' });
    const badActions = await admin.api.post('/api/v2/macros', {
      macro: { title: 'Bad', actions: [{ field: 'status', value: 'closed' }, { field: 'launch_rockets', value: 'yes' }, { field: 'assignee_id', value: 99999999 }] },
    });
    expect(badActions.status).toBe(422);
    expect(badActions.body.details.actions.map((d: { description: string }) => d.description)).toEqual([
      'Actions: 1 (status): "closed" is not one of open, pending, hold, solved',
      'Actions: 2 (launch_rockets): "launch_rockets" is not a macro action',
      'Actions: 3 (assignee_id): agent 99999999 does not exist',
    ]);
    expect((await admin.api.delete(`/api/v2/macros/${adminMacro.id}`)).status).toBe(204);
    expect((await admin.api.get(`/api/v2/macros/${adminMacro.id}`)).status).toBe(404);
  });

  it('works with node-zendesk macros unchanged', async () => {
    const { result: m } = await client.macros.create({ macro: { title: `Client macro ${uniq()}`, actions: [{ field: 'priority', value: 'urgent' }, { field: 'comment_value', value: 'Escalating #{{ticket.id}}' }] } });
    const mine = m.macro ?? m;
    const listed = await client.macros.list();
    expect(listed.map((x: { id: number }) => x.id)).toContain(mine.id);
    const { ticket } = await newTicket(admin.api, { subject: 'Client macro target' });
    const applied = await client.macros.applyTicket(ticket.id, mine.id);
    const result = applied.result?.result ?? applied.result;
    expect(result.ticket.priority).toBe('urgent');
    expect(result.comment.body).toBe(`Escalating #${ticket.id}`);
    await client.macros.delete(mine.id);
    await expect(client.macros.show(mine.id)).rejects.toThrow();
  });
});

describe('triggers', () => {
  it('fire on create: tags, priority and an email with placeholders, written as a rule audit', async () => {
    const word = uniq('outage');
    const t = await trigger({
      title: `Outage intake ${word}`,
      conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }, { field: 'subject_includes_word', operator: 'includes', value: `${word} unrelated` }], any: [] },
      actions: [
        { field: 'priority', value: 'urgent' },
        { field: 'current_tags', value: 'outage sev1' },
        { field: 'notification_user', value: ['requester_id', 'We got your report #{{ticket.id}}', 'Hello {{ticket.requester.name}}, "{{ticket.title}}" is {{ticket.status}}. {{ticket.link}}'] },
        { field: 'notification_group', value: ['group_id', 'Outage in {{ticket.group.name}}: #{{ticket.id}}', 'Tags: {{ticket.tags}}'] },
      ],
    });
    const org = await createOrganization(env);
    const email = `olga@${org.domain}`;
    const { ticket, auditId } = await newTicket(agent.api, { subject: `Site down ${word}`, requester: { email, name: 'Olga Owner' } });
    const run = await cycleOf(auditId);
    expect(run.fired).toEqual([t.id]);
    expect(await ticketOf(ticket.id)).toMatchObject({ priority: 'urgent', tags: ['outage', 'sev1'] });

    const mail = await env.mail.waitFor((m) => m.to.includes(email) && m.subject === `We got your report #${ticket.id}`);
    expect(mail.text).toContain(`Hello Olga Owner, "Site down ${word}" is New. http://sundial.test/agent/tickets/${ticket.id}`);
    // The group mail goes to the ticket group's agents, rendered after every action applied.
    const groupMail = await env.mail.waitFor((m) => m.to.includes(agent.user.email) && m.subject === `Outage in Technical Support: #${ticket.id}`);
    expect(groupMail.text).toContain('Tags: outage sev1');

    const audits = (await admin.api.get(`/api/v2/tickets/${ticket.id}/audits`)).body.audits;
    const ruled = audits.find((a: { metadata: { custom: { trigger_id?: number } } }) => a.metadata.custom.trigger_id === t.id);
    expect(ruled).toMatchObject({ author_id: -1, via: { channel: 'rule' }, metadata: { custom: { trigger_id: t.id, trigger_title: t.title } } });
    expect(ruled.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Change', field_name: 'priority', previous_value: null, value: 'urgent' }),
        expect.objectContaining({ type: 'Change', field_name: 'tags', previous_value: [], value: ['outage', 'sev1'] }),
        expect.objectContaining({ type: 'Notification', field_name: 'notification_user' }),
      ]),
    );
    // The group mail went to the group's agents (every agent starts in Technical Support), not the requester.
    const groupEvent = ruled.events.find((e: { field_name: string }) => e.field_name === 'notification_group');
    expect(groupEvent.value.recipients).toEqual(expect.arrayContaining([agent.user.id, admin.user.id]));
    expect(groupEvent.value.recipients).not.toContain(ticket.requester_id);

    // An update is not a create: nothing fires again.
    const update = await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { comment: { body: `still ${word}`, public: false } } });
    expect((await cycleOf(update.body.audit.id)).fired).toEqual([]);
  });

  it('fire on update with all/any conditions, changed and changed-from, and tag actions', async () => {
    const tag = uniq('esc');
    const t = await trigger({
      title: 'Reopened VIP or urgent',
      conditions: {
        all: [
          { field: 'update_type', operator: 'is', value: 'Change' },
          { field: 'status', operator: 'value_previous', value: 'pending' },
          { field: 'current_tags', operator: 'includes', value: tag },
        ],
        any: [
          { field: 'priority', operator: 'is', value: 'urgent' },
          { field: 'current_tags', operator: 'includes', value: 'vip' },
        ],
      },
      actions: [{ field: 'current_tags', value: 'reopened_hot' }, { field: 'remove_tags', value: 'waiting' }, { field: 'group_id', value: '' }],
    });
    const watch = await trigger({
      title: 'Priority changed',
      conditions: { all: [{ field: 'priority', operator: 'changed', value: null }, { field: 'current_tags', operator: 'includes', value: tag }, { field: 'update_type', operator: 'is', value: 'Change' }], any: [] },
      actions: [{ field: 'current_tags', value: 'priority_moved' }],
    });

    // Neither `any` condition holds: nothing fires.
    const a = (await newTicket(agent.api, { subject: 'Needs info', priority: 'normal', tags: [tag, 'waiting'], assignee_id: agent.user.id, status: 'pending' })).ticket;
    const reopenA = await agent.api.put(`/api/v2/tickets/${a.id}`, { ticket: { status: 'open' } });
    expect((await cycleOf(reopenA.body.audit.id)).fired).toEqual([]);

    // vip satisfies `any`; pending → open satisfies "changed from pending".
    const b = (await newTicket(agent.api, { subject: 'Needs info', priority: 'normal', tags: [tag, 'waiting', 'vip'], assignee_id: agent.user.id, status: 'pending' })).ticket;
    const reopenB = await agent.api.put(`/api/v2/tickets/${b.id}`, { ticket: { status: 'open' } });
    expect((await cycleOf(reopenB.body.audit.id)).fired).toEqual([t.id]);
    expect((await ticketOf(b.id)).tags).toEqual([tag, 'vip', 'reopened_hot']);

    // Changing only the priority: "changed" fires, "changed from pending" does not.
    const bump = await agent.api.put(`/api/v2/tickets/${a.id}`, { ticket: { priority: 'urgent' } });
    expect((await cycleOf(bump.body.audit.id)).fired).toEqual([watch.id]);
    expect((await ticketOf(a.id)).tags).toEqual([tag, 'waiting', 'priority_moved']);
  });

  it('re-evaluate after a trigger changes the ticket (Zendesk cycle), in position order, skipping inactive ones', async () => {
    const word = uniq('cycle');
    const late = await trigger({
      title: 'Stage 3 (runs first in order, but only matches after stage 2)',
      conditions: { all: [{ field: 'current_tags', operator: 'includes', value: `${word}_stage2` }], any: [] },
      actions: [{ field: 'current_tags', value: `${word}_stage3` }, { field: 'priority', value: 'high' }],
    });
    const first = await trigger({
      title: 'Stage 2',
      conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word }], any: [] },
      actions: [{ field: 'current_tags', value: `${word}_stage2` }, { field: 'priority', value: 'low' }],
    });
    const off = await trigger({
      title: 'Inactive',
      active: false,
      conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word }], any: [] },
      actions: [{ field: 'current_tags', value: 'never' }],
    });
    expect(late.position).toBeLessThan(first.position);

    const { ticket, auditId } = await newTicket(agent.api, { subject: `Chain ${word}` });
    const run = await cycleOf(auditId);
    expect(run.fired).toEqual([first.id, late.id]);
    const after = await ticketOf(ticket.id);
    expect(after.tags).toEqual([`${word}_stage2`, `${word}_stage3`]);
    expect(after.priority).toBe('high'); // the later-firing trigger wrote last
    expect(after.tags).not.toContain('never');
    expect(run.fired).not.toContain(off.id);

    // Position decides between triggers that match at once: reorder and the other one writes last.
    const word2 = uniq('order');
    const low = await trigger({ title: 'Low', conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word2 }], any: [] }, actions: [{ field: 'priority', value: 'low' }] });
    const high = await trigger({ title: 'High', conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word2 }], any: [] }, actions: [{ field: 'priority', value: 'high' }] });
    const one = await newTicket(agent.api, { subject: `Order ${word2} one` });
    expect((await cycleOf(one.auditId)).fired).toEqual([low.id, high.id]);
    expect((await ticketOf(one.ticket.id)).priority).toBe('high');
    const reordered = await admin.api.put('/api/v2/triggers/reorder', { trigger_ids: [high.id, low.id] });
    expect(reordered.status).toBe(200);
    const two = await newTicket(agent.api, { subject: `Order ${word2} two` });
    expect((await cycleOf(two.auditId)).fired).toEqual([high.id, low.id]);
    expect((await ticketOf(two.ticket.id)).priority).toBe('low');
  });

  it('stop ping-pong: each trigger fires once per update and their own writes start no new cycle', async () => {
    const word = uniq('loop');
    const ping = await trigger({
      title: 'Ping',
      conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word }, { field: 'current_tags', operator: 'not_includes', value: 'ping' }], any: [] },
      actions: [{ field: 'current_tags', value: 'ping' }, { field: 'remove_tags', value: 'pong' }],
    });
    const pong = await trigger({
      title: 'Pong',
      conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word }, { field: 'current_tags', operator: 'includes', value: 'ping' }], any: [] },
      actions: [{ field: 'current_tags', value: 'pong' }, { field: 'remove_tags', value: 'ping' }],
    });
    const { ticket, auditId } = await newTicket(agent.api, { subject: `Bounce ${word}` });
    expect((await cycleOf(auditId)).fired).toEqual([ping.id, pong.id]);
    await sleep(1500); // any re-enqueued cycle would run meanwhile
    const runs = await env.ctx.db.selectFrom('trigger_runs').select('audit_id').where('ticket_id', '=', ticket.id).execute();
    expect(runs.map((r) => r.audit_id)).toEqual([auditId]);
    const audits = (await admin.api.get(`/api/v2/tickets/${ticket.id}/audits`)).body.audits;
    expect(audits.map((a: { metadata: { custom: { trigger_id?: number } } }) => a.metadata.custom.trigger_id ?? null)).toEqual([null, ping.id, pong.id]);
    expect((await ticketOf(ticket.id)).tags).toEqual(['pong']);
  });

  it('skip an action the workflow forbids and keep the others', async () => {
    const word = uniq('solve');
    const t = await trigger({
      title: 'Auto-solve without assignee',
      conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: word }], any: [] },
      actions: [{ field: 'status', value: 'solved' }, { field: 'type', value: 'question' }],
    });
    const { ticket, auditId } = await newTicket(agent.api, { subject: `Please ${word}` });
    const run = await cycleOf(auditId);
    expect(run.fired).toEqual([t.id]);
    expect(run.skipped).toEqual([{ trigger_id: t.id, field: 'status', reason: 'Assignee: is required when solving a ticket' }]);
    expect(await ticketOf(ticket.id)).toMatchObject({ status: 'new', type: 'question' });
  });

  it('are written by admins only, validated field by field, and described by /definitions', async () => {
    const body = { title: 'X', conditions: { all: [{ field: 'status', operator: 'is', value: 'open' }] }, actions: [{ field: 'priority', value: 'high' }] };
    expect((await agent.api.post('/api/v2/triggers', { trigger: body })).status).toBe(403);
    expect((await agent.api.get('/api/v2/triggers')).status).toBe(200);
    const bad = await admin.api.post('/api/v2/triggers', {
      trigger: {
        title: '',
        conditions: { all: [{ field: 'mood', operator: 'is', value: 'grumpy' }, { field: 'status', operator: 'includes', value: 'open' }, { field: 'priority', operator: 'is', value: 'extreme' }], any: [] },
        actions: [],
      },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details).sort()).toEqual(['title']);
    const bad2 = await admin.api.post('/api/v2/triggers', {
      trigger: {
        title: 'Bad',
        conditions: { all: [{ field: 'mood', operator: 'is', value: 'grumpy' }, { field: 'status', operator: 'includes', value: 'open' }, { field: 'priority', operator: 'is', value: 'extreme' }], any: [] },
        actions: [{ field: 'notification_webhook', value: ['01ZZZZZZZZZZZZZZZZZZZZZZZZ', '{}'] }],
      },
    });
    expect(bad2.status).toBe(422);
    expect(bad2.body.details.conditions.map((d: { description: string }) => d.description)).toEqual([
      'Conditions: all 1 (mood): "mood" is not a condition',
      expect.stringMatching(/^Conditions: all 2 \(status\): operator "includes" does not apply/),
      'Conditions: all 3 (priority): "extreme" is not one of "", low, normal, high, urgent',
    ]);
    expect(bad2.body.details.actions[0].description).toBe('Actions: 1 (notification_webhook): webhook "01ZZZZZZZZZZZZZZZZZZZZZZZZ" does not exist');
    const empty = await admin.api.post('/api/v2/triggers', { trigger: { title: 'Nothing', conditions: { all: [], any: [] }, actions: [{ field: 'priority', value: 'low' }] } });
    expect(empty.body.details.conditions[0].description).toBe('Conditions: you must select at least one condition');

    const defs = (await agent.api.get('/api/v2/triggers/definitions')).body.definitions;
    const updateType = defs.conditions_all.find((c: { subject: string }) => c.subject === 'update_type');
    expect(updateType).toMatchObject({ title: 'Ticket is', type: 'list', operators: [{ value: 'is', title: 'Is', terminal: false }, { value: 'is_not', title: 'Is not', terminal: false }] });
    expect(updateType.values.map((v: { value: string }) => v.value)).toEqual(['Create', 'Change']);
    const status = defs.conditions_all.find((c: { subject: string }) => c.subject === 'status');
    expect(status.operators.find((o: { value: string }) => o.value === 'changed')).toEqual({ value: 'changed', title: 'Changed', terminal: true });
    expect(defs.actions.map((a: { subject: string }) => a.subject)).toEqual(expect.arrayContaining(['status', 'priority', 'set_tags', 'notification_user', 'notification_group', 'notification_webhook']));
  });

  it('work with node-zendesk triggers unchanged', async () => {
    const title = `Client trigger ${uniq()}`;
    const { result } = await client.triggers.create({
      trigger: { title, conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }, { field: 'subject_includes_word', operator: 'includes', value: uniq('nomatch') }], any: [] }, actions: [{ field: 'status', value: 'open' }] },
    });
    expect(result).toMatchObject({ title, active: true });
    made.push(result.id);
    const all = await client.triggers.list();
    expect(all.map((t: { id: number }) => t.id)).toContain(result.id);
    const found = await client.triggers.search(title);
    expect(found.result.map((t: { id: number }) => t.id)).toEqual([result.id]);
    const defs = await client.triggers.definitions();
    expect(JSON.stringify(defs)).toContain('update_type');
    await client.triggers.update(result.id, { trigger: { active: false } });
    expect((await client.triggers.show(result.id)).result.active).toBe(false);
    await client.triggers.delete(result.id);
    await expect(client.triggers.show(result.id)).rejects.toThrow();
  });
});

describe('webhooks', () => {
  const verify = (secret: string, headers: Record<string, unknown>, raw: string) =>
    createHmac('sha256', secret).update(String(headers['x-zendesk-webhook-signature-timestamp']) + raw).digest('base64') === headers['x-zendesk-webhook-signature'];

  async function webhookAndTrigger(path: string, extra: Record<string, unknown> = {}) {
    const created = await admin.api.post('/api/v2/webhooks', {
      webhook: { name: `Ticket events ${path}`, endpoint: `${receiver.url}${path}`, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'], ...extra },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const webhook = created.body.webhook;
    const word = uniq('hook');
    const body = '{"ticket_id": {{ticket.id}}, "title": "{{ticket.title}}", "status": "{{ticket.status}}", "requester": "{{ticket.requester.email}}"}';
    const t = await trigger({
      title: `Notify ${path}`,
      conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }, { field: 'subject_includes_word', operator: 'includes', value: word }], any: [] },
      actions: [{ field: 'notification_webhook', value: [webhook.id, body] }],
    });
    return { webhook, word, trigger: t };
  }

  it('deliver a trigger notification signed as Zendesk signs it, with credentials, and list the invocation', async () => {
    const { webhook, word, trigger: t } = await webhookAndTrigger('/hooks/signed', { authentication: { type: 'basic_auth', add_position: 'header', data: { username: 'zd', password: 's3cret' } } });
    expect(webhook).toMatchObject({ status: 'active', http_method: 'POST', request_format: 'json', authentication: { type: 'basic_auth', add_position: 'header' }, subscriptions: ['conditional_ticket_events'] });
    expect(webhook.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(JSON.stringify(webhook)).not.toContain('s3cret');
    const secret = (await admin.api.get(`/api/v2/webhooks/${webhook.id}/signing_secret`)).body.signing_secret;
    expect(secret.algorithm).toBe('SHA256');

    const { ticket } = await newTicket(agent.api, { subject: `Quote "this" ${word}` });
    await receiver.waitFor((h) => h.some((r) => r.path === '/hooks/signed'));
    const [hit] = receiver.on('/hooks/signed');
    expect(hit.method).toBe('POST');
    expect(hit.body).toEqual({ ticket_id: ticket.id, title: `Quote "this" ${word}`, status: 'New', requester: agent.user.email });
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-zendesk-webhook-id']).toBe(webhook.id);
    expect(hit.headers['x-zendesk-webhook-signature-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(hit.headers.authorization).toBe(`Basic ${Buffer.from('zd:s3cret').toString('base64')}`);
    expect(verify(secret.secret, hit.headers, hit.raw)).toBe(true);
    expect(verify(secret.secret, hit.headers, hit.raw + ' ')).toBe(false);

    const invocations = await until('a finished invocation', async () => {
      const res = await admin.api.get(`/api/v2/webhooks/${webhook.id}/invocations`);
      return res.body.invocations[0]?.status === 'success' ? res.body : null;
    });
    expect(invocations.invocations).toHaveLength(1);
    const inv = invocations.invocations[0];
    expect(inv).toMatchObject({ id: hit.headers['x-zendesk-webhook-invocation-id'], webhook_id: webhook.id, latest_completion_status: 'success', attempts: 1, source: { event_type: 'conditional_ticket_events', ticket_id: ticket.id, trigger_id: t.id } });
    expect(invocations.meta).toEqual({ has_more: false, after_cursor: null, before_cursor: null });
    const attempts = (await admin.api.get(`/api/v2/webhooks/${webhook.id}/invocations/${inv.id}/attempts`)).body.attempts;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, status: 'success', response: { status: 200, payload: '{"ok":true}' } });
    expect(attempts[0].request.headers).toContainEqual({ key: 'authorization', value: '[FILTERED]' });

    // A new secret signs from now on.
    const reset = (await admin.api.post(`/api/v2/webhooks/${webhook.id}/signing_secret`)).body.signing_secret;
    expect(reset.secret).not.toBe(secret.secret);
  });

  it('retry with backoff when the endpoint fails, until it answers', async () => {
    const { webhook, word } = await webhookAndTrigger('/hooks/flaky');
    receiver.status = 500;
    try {
      const hitsBefore = receiver.hits;
      await newTicket(agent.api, { subject: `Flaky ${word}` });
      await until('the first failed attempt', async () => receiver.hits > hitsBefore && (await env.ctx.db.selectFrom('webhook_attempts').innerJoin('webhook_invocations', 'webhook_invocations.id', 'webhook_attempts.invocation_id').select('webhook_attempts.id').where('webhook_invocations.webhook_id', '=', webhook.id).executeTakeFirst()));
    } finally {
      receiver.status = 200;
    }
    await receiver.waitFor((h) => h.some((r) => r.path === '/hooks/flaky'), 30_000);
    const inv = await until('the invocation to succeed', async () => {
      const res = await admin.api.get(`/api/v2/webhooks/${webhook.id}/invocations?filter[status]=success`);
      return res.body.invocations[0];
    });
    expect(inv.attempts).toBe(2);
    const attempts = (await admin.api.get(`/api/v2/webhooks/${webhook.id}/invocations/${inv.id}/attempts`)).body.attempts;
    expect(attempts.map((a: { status: string; response: { status: number } }) => [a.status, a.response.status])).toEqual([['failed', 500], ['success', 200]]);
    expect(receiver.on('/hooks/flaky')).toHaveLength(1);
  });

  it('are for admins, validated with Zendesk errors, and refuse private addresses unless allowed', async () => {
    expect((await agent.api.get('/api/v2/webhooks')).status).toBe(403);
    const bad = await admin.api.post('/api/v2/webhooks', { webhook: { name: 'x', endpoint: 'ftp://example.com/x', http_method: 'TRACE', request_format: 'json' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ code: 'InvalidValue', title: 'Record validation errors', detail: expect.stringMatching(/^Http method:/), source: { pointer: '/webhook/http_method' } }]);
    const badUrl = await admin.api.post('/api/v2/webhooks', { webhook: { name: 'x', endpoint: 'ftp://example.com/x', http_method: 'POST', request_format: 'json', authentication: { type: 'bearer_token', add_position: 'header' } } });
    expect(badUrl.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer).sort()).toEqual(['/webhook/authentication', '/webhook/endpoint']);
    expect((await admin.api.get('/api/v2/webhooks/01ZZZZZZZZZZZZZZZZZZZZZZZZ')).body.errors[0].code).toBe('RecordNotFound');

    const { webhook, trigger: t } = await webhookAndTrigger('/hooks/managed');
    const patched = await admin.api.request('PATCH', `/api/v2/webhooks/${webhook.id}`, { webhook: { status: 'inactive' } });
    expect(patched.body.webhook).toMatchObject({ status: 'inactive', name: webhook.name, endpoint: webhook.endpoint });
    const inUse = await admin.api.delete(`/api/v2/webhooks/${webhook.id}`);
    expect(inUse.status).toBe(422);
    expect(inUse.body.errors[0].detail).toContain(`${t.id} "${t.title}"`);
    await admin.api.delete(`/api/v2/triggers/${t.id}`);
    expect((await admin.api.delete(`/api/v2/webhooks/${webhook.id}`)).status).toBe(204);

    const strict = await startTestApp();
    try {
      const boss = await createAgent(strict, { admin: true });
      const res = await boss.api.post('/api/v2/webhooks', { webhook: { name: 'Local', endpoint: `${receiver.url}/x`, http_method: 'POST', request_format: 'json' } });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].detail).toMatch(/loopback or private address/);
    } finally {
      await strict.close();
    }
  });

  it('work with node-zendesk webhooks unchanged, including the test call', async () => {
    const { result } = await client.webhooks.create({ webhook: { name: 'From node-zendesk', endpoint: `${receiver.url}/hooks/client`, http_method: 'PUT', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] } });
    expect(result).toMatchObject({ name: 'From node-zendesk', http_method: 'PUT' });
    const listed = await client.webhooks.list();
    expect(listed.map((w: { id: string }) => w.id)).toContain(result.id);
    expect((await client.webhooks.show(result.id)).result.id).toBe(result.id);
    const secret = await client.webhooks.getSigningSecret(result.id);
    const { secret: key } = secret.result.signing_secret ?? secret.result;
    await client.webhooks.patch(result.id, { webhook: { name: 'Renamed by client' } });
    expect((await client.webhooks.show(result.id)).result.name).toBe('Renamed by client');

    const tested = await client.webhooks.test({ request: { endpoint: `${receiver.url}/hooks/client-test`, http_method: 'POST', request_format: 'json', payload: '{"hello":"world"}' } }, result.id);
    const response = tested.result.response ?? tested.result;
    expect(response.status).toBe(200);
    const [hit] = receiver.on('/hooks/client-test');
    expect(hit.body).toEqual({ hello: 'world' });
    expect(verify(key, hit.headers, hit.raw)).toBe(true);
    expect((await client.webhooks.listInvocations(result.id)).result).toBeDefined();
    await client.webhooks.delete(result.id);
    await expect(client.webhooks.show(result.id)).rejects.toThrow();
  });
});
