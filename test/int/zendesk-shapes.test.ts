import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../../src/platform/embedded-postgres.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../api.js';
import { createAgent, createCustomer, createOrganization, formsOf, logIn, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { checkShape, compareToGolden, deriveShape, type GoldenFile } from '../zendesk-shape.js';

/*
 * Golden tests of response shapes: Sundial builds the same objects as recorded Zendesk responses
 * (test/fixtures/zendesk-shapes/*.json, derived from go-zendesk and node-zendesk recordings) and
 * every response must have every recorded key with a compatible JSON type. Extra keys are fine.
 */
const SHAPES = new URL('../fixtures/zendesk-shapes/', import.meta.url);
const golden = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, SHAPES), 'utf8')) as GoldenFile;
const checked = new Set<string>();

/** Asserts one response against its golden file; the failure names the endpoint and each key path. */
function expectGolden(name: string, res: ApiResponse) {
  const file = golden(name);
  checked.add(name);
  const where = `${file.endpoint} [${name}.json ← ${file.source.repo} ${file.source.path}]`;
  const missing = file.known_gaps.find((g) => g.path === '(endpoint)');
  if (missing) {
    // A known missing endpoint: still missing, or this gap must come out of the fixture.
    expect(res.status, `${where}: answers ${res.status} now; remove the "(endpoint)" known gap`).toBe(404);
    return;
  }
  expect(res.status, `${where}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(300);
  const { problems, stale } = compareToGolden(file, res.body);
  // Soft, so one run lists every difference of every endpoint in the test.
  expect.soft(problems.map((p) => `${file.endpoint}: ${p.path} ${p.message}`).join('\n'), `${where}: Sundial's response differs from the recorded shape`).toBe('');
  expect.soft(stale.join('\n'), `${where}: these exceptions or known gaps no longer apply; remove them from the fixture`).toBe('');
}

/** A list response narrowed to the objects this test built (seeded objects are not what was recorded). */
function only(res: ApiResponse, key: string, ids: (number | string)[]): ApiResponse {
  const items = (res.body[key] as { id: number | string }[]).filter((x) => ids.includes(x.id));
  expect(items.map((x) => x.id).sort(), `${key} should list ${ids.join(', ')}`).toEqual([...ids].sort());
  return { ...res, body: { ...res.body, [key]: items } };
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}


let env: TestEnv;
let admin: Actor & { token: string };
let org: Awaited<ReturnType<typeof createOrganization>>;
beforeAll(async () => {
  // Sundial's own SMTP server is on, so one ticket can arrive by email as the recorded one did.
  env = await startTestApp({ SMTP_INBOUND_PORT: String(await freePort()), SMTP_INBOUND_HOST: '127.0.0.1', SUPPORT_ADDRESSES: 'support@sundial.test' });
  admin = await createAgent(env, { admin: true, groups: ['technical'] });
  org = await createOrganization(env);
});
afterAll(() => env?.close());

const technicalGroupId = async () => (await env.ctx.db.selectFrom('groups').select('id').where('key', '=', 'technical').executeTakeFirstOrThrow()).id;

describe('tickets, comments, audits, uploads and tags', () => {
  let apiTicket: { id: number };
  let emailTicketId: number;

  it('POST /uploads, POST /tickets (with CCs, tags, custom fields, an attachment) and GET /tickets/{id}', async () => {
    const upload = await admin.api.upload('crash.log', 'boom\n', 'text/plain');
    expectGolden('upload', upload);

    const f = await formsOf(admin.api);
    const cc = await createCustomer(env, org);
    const res = await admin.api.post('/api/v2/tickets', {
      ticket: {
        subject: `Shapes ${uniq()}`,
        comment: { body: 'Created for the golden shape test', uploads: [upload.body.upload.token] },
        priority: 'urgent',
        requester: { email: `req-${uniq()}@${org.domain}`, name: 'Golden Requester' },
        email_ccs: [{ user_id: cc.user.id }],
        group_id: await technicalGroupId(),
        ticket_form_id: f.technical.id,
        tags: ['golden', 'shape'],
        custom_fields: [
          { id: f.field.technical('Category').id, value: 'notifications_status' },
          { id: f.field.technical('Mattermost Version').id, value: '9.11.2' },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expectGolden('ticket_create', res);
    apiTicket = res.body.ticket;
  });

  it('GET /tickets/{id}/comments and /audits after an update with a change and a second attachment', async () => {
    const upload = await admin.api.upload('second.txt', 'two\n', 'text/plain');
    // A 1×1 PNG, as the recorded image attachment (a profile photo) is an image.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const image = await admin.api.upload('pixel.png', png, 'image/png', upload.body.upload.token);
    const upd = await admin.api.put(`/api/v2/tickets/${apiTicket.id}`, { ticket: { status: 'open', assignee_id: admin.user.id, comment: { body: 'Private note', public: false, uploads: [image.body.upload.token] } } });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expectGolden('ticket_custom_field', await admin.api.get(`/api/v2/tickets/${apiTicket.id}`));
    const comments = await admin.api.get(`/api/v2/tickets/${apiTicket.id}/comments`);
    expectGolden('ticket_comments', comments);
    const attachments = (comments.body.comments as { attachments: { id: number; content_type: string }[] }[]).flatMap((c) => c.attachments);
    const pixel = attachments.find((a) => a.content_type === 'image/png')!;
    expectGolden('attachment_object_image', { ...comments, body: pixel });
    expectGolden('attachment', await admin.api.get(`/api/v2/attachments/${pixel.id}`));
    const audits = await admin.api.get(`/api/v2/tickets/${apiTicket.id}/audits`);
    expectGolden('ticket_audits', audits);
    const last = audits.body.audits[audits.body.audits.length - 1];
    expectGolden('ticket_audit', await admin.api.get(`/api/v2/tickets/${apiTicket.id}/audits/${last.id}`));
  });

  it('GET /tickets/{id} of a ticket that came in by email, then GET /tickets', async () => {
    const customer = await createCustomer(env, org);
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: env.smtpPort!, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: `Golden Mailer <${customer.user.email}>`, to: 'support@sundial.test', subject: `Mail to create a ticket ${uniq()}`, text: 'Sent by email.', messageId: `<${uniq('m')}@client.example>` });
    const [row] = await until(
      () => env.ctx.db.selectFrom('tickets').selectAll().where('requester_id', '=', customer.user.id).execute(),
      (t) => t.length === 1,
    );
    emailTicketId = row.id;
    const solved = await admin.api.put(`/api/v2/tickets/${emailTicketId}`, { ticket: { status: 'solved', assignee_id: admin.user.id, group_id: await technicalGroupId(), comment: { body: 'Solved', public: true } } });
    expect(solved.status, JSON.stringify(solved.body)).toBe(200);
    expectGolden('ticket', await admin.api.get(`/api/v2/tickets/${emailTicketId}`));
    expectGolden('tickets', only(await admin.api.get('/api/v2/tickets'), 'tickets', [emailTicketId, apiTicket.id]));
  });

  it('PUT and GET /tickets/{id}/tags', async () => {
    expectGolden('tags_add', await admin.api.put(`/api/v2/tickets/${apiTicket.id}/tags`, { tags: ['example'] }));
    expectGolden('tags', await admin.api.get(`/api/v2/tickets/${apiTicket.id}/tags`));
  });

  it('GET /search for tickets', async () => {
    const subject = (await admin.api.get(`/api/v2/tickets/${apiTicket.id}`)).body.ticket.subject as string;
    const res = await admin.api.get(`/api/v2/search?query=${encodeURIComponent(`type:ticket "${subject}"`)}`);
    expect(res.body.results?.map((r: { id: number }) => r.id)).toEqual([apiTicket.id]);
    expectGolden('search_ticket', res);
  });

  it('POST /tickets/create_many and GET /job_statuses/{id} until completed', async () => {
    const queued = await admin.api.post('/api/v2/tickets/create_many', {
      tickets: [1, 2].map((i) => ({ subject: `Bulk ${i} ${uniq()}`, comment: { body: 'bulk' }, requester: { email: `bulk-${uniq()}@${org.domain}` } })),
    });
    expectGolden('job_status_queued_real', queued);
    const done = await until(
      () => admin.api.get(`/api/v2/job_statuses/${queued.body.job_status.id}`),
      (r) => r.body.job_status?.status === 'completed',
    );
    expectGolden('job_status_completed_real', done);
  });
});

describe('users, organizations, groups and memberships', () => {
  it('POST, GET /users/{id}, GET /users, GET /users/me, GET /search for users', async () => {
    const created = await admin.api.post('/api/v2/users', { user: { name: `Golden ${uniq()}`, email: `golden-${uniq()}@${org.domain}`, role: 'end-user' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectGolden('user_create', created);
    const id = created.body.user.id as number;
    expectGolden('user', await admin.api.get(`/api/v2/users/${id}`));
    expectGolden('users', only(await admin.api.get('/api/v2/users?per_page=100'), 'users', [id, admin.user.id]));
    // As the recorded admin: in an organization, with details and notes, and signed in once.
    const profile = await admin.api.put(`/api/v2/users/${admin.user.id}`, { user: { organization_id: org.id, details: 'Admin of the golden test', notes: 'Has notes' } });
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    await logIn(env, admin.user.email, admin.password);
    expectGolden('users_me_real', await admin.api.get('/api/v2/users/me'));
    const search = await admin.api.get(`/api/v2/search?query=${encodeURIComponent(`type:user ${admin.user.email}`)}`);
    expect(search.body.results?.map((r: { id: number }) => r.id)).toEqual([admin.user.id]);
    expectGolden('search_user', search);
  });

  it('POST /organizations, GET /organizations, GET /organizations/search, cursor pages to the end', async () => {
    const externalId = uniq('ext');
    const created = await admin.api.post('/api/v2/organizations', { organization: { name: `Golden Org ${uniq()}`, domain_names: [`${uniq('d')}.test`], tags: ['test'], external_id: externalId, notes: 'foo' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectGolden('organization_create', created);
    expectGolden('organization_create_real', created);
    const id = created.body.organization.id as number;
    expectGolden('organizations', only(await admin.api.get('/api/v2/organizations'), 'organizations', [id]));
    expectGolden('organizations_search_real', await admin.api.get(`/api/v2/organizations/search?external_id=${externalId}`));

    let page = await admin.api.get('/api/v2/organizations?page[size]=1');
    expect(page.body.meta?.has_more).toBe(true);
    expectGolden('organizations_cursor_page_real', page);
    for (let i = 0; page.body.meta.has_more && i < 100; i++) page = await admin.api.get(new URL(page.body.links.next).pathname + new URL(page.body.links.next).search);
    expect(page.body.meta.has_more).toBe(false);
    expectGolden('organizations_cursor_last_real', page);
  });

  it('groups, GET /search for groups, and group memberships', async () => {
    const name = `Golden group ${uniq()}`;
    const created = await admin.api.post('/api/v2/groups', { group: { name, description: 'For the golden test' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.group.id as number;
    expectGolden('group', await admin.api.get(`/api/v2/groups/${id}`));
    expectGolden('groups', only(await admin.api.get('/api/v2/groups'), 'groups', [id]));
    const search = await admin.api.get(`/api/v2/search?query=${encodeURIComponent(`type:group "${name}"`)}`);
    expect(search.body.results?.map((r: { id: number }) => r.id)).toEqual([id]);
    expectGolden('search_group', search);

    const member = await createAgent(env);
    const membership = await admin.api.post('/api/v2/group_memberships', { group_membership: { user_id: member.user.id, group_id: id } });
    expect(membership.status, JSON.stringify(membership.body)).toBe(201);
    expectGolden('group_memberships', only(await admin.api.get('/api/v2/group_memberships'), 'group_memberships', [membership.body.group_membership.id]));
  });
});

describe('forms, fields, SLA policies and views', () => {
  it('GET /ticket_fields, /ticket_forms and /ticket_forms/{id}', async () => {
    expectGolden('ticket_fields', await admin.api.get('/api/v2/ticket_fields'));
    const forms = await admin.api.get('/api/v2/ticket_forms');
    expectGolden('ticket_forms', forms);
    expectGolden('ticket_form', await admin.api.get(`/api/v2/ticket_forms/${forms.body.ticket_forms[0].id}`));
  });

  it('POST (refused), PUT, GET /slas/policies/{id} and GET /slas/policies', async () => {
    const body = {
      sla_policy: {
        title: `Golden SLA ${uniq()}`,
        description: 'For urgent incidents, we will respond in 10 minutes',
        filter: { all: [{ field: 'organization.support_plan', operator: 'is', value: 'premier' }], any: [] },
        policy_metrics: [
          { priority: 'urgent', metric: 'first_reply_time', target: 10, business_hours: false },
          { priority: 'normal', metric: 'requester_wait_time', target: 160, business_hours: false },
        ],
      },
    };
    // Sundial keeps one policy per support plan and seeds all three, so POST cannot create one in a
    // fresh install (422 DuplicateValue); PUT answers with the same object as POST would.
    const posted = await admin.api.post('/api/v2/slas/policies', body);
    expect(posted.status).toBe(422);
    const premier = (await admin.api.get('/api/v2/slas/policies')).body.sla_policies.find((p: { filter: { all: { value: string }[] } }) => p.filter.all[0].value === 'premier');
    const { filter: _filter, ...changes } = body.sla_policy;
    const put = await admin.api.put(`/api/v2/slas/policies/${premier.id}`, { sla_policy: changes });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expectGolden('sla_policy_create', put);
    expectGolden('sla_policy', await admin.api.get(`/api/v2/slas/policies/${premier.id}`));
    expectGolden('sla_policies', only(await admin.api.get('/api/v2/slas/policies'), 'sla_policies', [premier.id]));
  });

  it('GET /views/{id}, /views and /views/count_many', async () => {
    // Sundial's views are built in (there is no POST /api/v2/views): the first two stand in.
    const views = await admin.api.get('/api/v2/views');
    expectGolden('views', views);
    const [a, b] = views.body.views as { id: number }[];
    expectGolden('view', await admin.api.get(`/api/v2/views/${a.id}`));
    expectGolden('views_ticket_count', await admin.api.get(`/api/v2/views/count_many?ids=${a.id},${b.id}`));
  });
});

describe('business rules', () => {
  it('POST, GET /macros/{id} and GET /macros', async () => {
    const created = await admin.api.post('/api/v2/macros', {
      macro: {
        title: `Close and redirect ${uniq()}`,
        description: 'Sets the ticket status to solved',
        actions: [{ field: 'status', value: 'solved' }, { field: 'comment_value', value: 'This is a known issue.' }],
        restriction: { type: 'Group', ids: [await technicalGroupId()] },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectGolden('macro_create', created);
    const id = created.body.macro.id as number;
    expectGolden('macro', await admin.api.get(`/api/v2/macros/${id}`));
    expectGolden('macros', only(await admin.api.get('/api/v2/macros'), 'macros', [id]));
  });

  it('POST, PUT /triggers/{id} and GET /triggers', async () => {
    const post = async (trigger: Record<string, unknown>) => {
      const res = await admin.api.post('/api/v2/triggers', { trigger: { title: `Golden trigger ${uniq()}`, ...trigger } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.trigger.id as number;
    };
    const notify = [{ field: 'notification_user', value: ['requester_id', '[Request received]', 'Your request ({{ticket.id}}) has been received.'] }];
    const first = await post({ actions: notify, conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Create' }, { field: 'status', operator: 'is_not', value: 'solved' }], any: [] } });
    const second = await post({ actions: notify, conditions: { all: [{ field: 'assignee_id', operator: 'not_changed', value: null }], any: [] } });
    const third = await post({
      actions: notify,
      conditions: { all: [{ field: 'group_id', operator: 'is_not', value: '' }], any: [{ field: 'group_id', operator: 'changed', value: '' }] },
    });
    const fourth = await post({ actions: [{ field: 'assignee_id', value: 'current_user' }], conditions: { all: [{ field: 'update_type', operator: 'is', value: 'Change' }], any: [] } });
    expectGolden('trigger_update', await admin.api.put(`/api/v2/triggers/${first}`, { trigger: { title: 'Notify requester of received request' } }));
    expectGolden('triggers', only(await admin.api.get('/api/v2/triggers'), 'triggers', [first, second, third, fourth]));
  });

  it('POST and GET /webhooks/{id}', async () => {
    const created = await admin.api.post('/api/v2/webhooks', {
      webhook: {
        name: 'Example Webhook',
        endpoint: 'https://example.com/status/200',
        http_method: 'POST',
        request_format: 'json',
        status: 'active',
        subscriptions: ['conditional_ticket_events'],
        authentication: { type: 'basic_auth', add_position: 'header', data: { username: 'u', password: 'p' } },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expectGolden('webhook', await admin.api.get(`/api/v2/webhooks/${created.body.webhook.id}`));
  });
});

describe('the shape checker', () => {
  it('reports missing keys, other types, unexpected nulls and arrays left empty, and allows extra keys', () => {
    const shape = deriveShape({ t: { id: 1, via: { channel: 'api' }, tags: ['a'], due_at: null, photo: { id: 1 }, events: [{ type: 'Create', value: 'x' }, { type: 'Change', value: 'y', previous_value: 'x' }] } });
    const problems = (v: unknown) => checkShape(shape, v).map((p) => `${p.path} ${p.message}`);
    expect(problems({ t: { id: 2, via: { channel: 'web', extra: 1 }, tags: ['b'], due_at: 'any', photo: { id: 2 }, events: [{ type: 'Change', value: 'v', previous_value: null }], more: true } })).toEqual([
      't.events[].previous_value is null; the recording has string',
    ]);
    expect(problems({ t: { id: '2', via: {}, tags: [], photo: null, events: [{ type: 'Create' }] } })).toEqual([
      't.id is string; the recording has number',
      't.via.channel is missing',
      't.due_at is missing',
      't.photo is null; the recording has object',
      't.events[].value is missing',
      't.tags[] is always an empty array, so the recorded element shape went unchecked',
    ]);
    // Exceptions and gaps excuse what they name, and are reported once they no longer match anything.
    const file = { shape, sundial_exceptions: [{ path: 't.photo', reason: 'r' }], known_gaps: [{ path: 't.due_at', problem: 'is missing', finding: 'f' }] } as unknown as GoldenFile;
    const t = { id: 1, via: { channel: 'x' }, tags: ['a'], events: [{ type: 'Create', value: 'v' }] };
    expect(compareToGolden(file, { t: { ...t, photo: null } })).toEqual({ problems: [], stale: [] });
    expect(compareToGolden(file, { t: { ...t, due_at: null, photo: { id: 1 } } })).toEqual({ problems: [], stale: ['t.photo', 't.due_at is missing'] });
  });
});

describe('the golden files', () => {
  it('are each checked by a test above', () => {
    const all = readdirSync(SHAPES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(all.filter((n) => !checked.has(n)).sort()).toEqual([]);
  });
});
