import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let customer: Actor;
let agent: Actor;
beforeAll(async () => {
  env = await startTestApp({ MAX_UPLOAD_BYTES: String(64 * 1024) });
  customer = await createCustomer(env, await createOrganization(env));
  agent = await createAgent(env);
});
afterAll(() => env?.close());

/** Rows in every table a ticket write touches: a rejected request must leave all of them unchanged. */
async function footprint() {
  const tables = ['tickets', 'ticket_comments', 'ticket_audits', 'ticket_collaborators', 'attachments', 'uploads', 'users', 'mail_outbox'] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await env.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return counts;
}

describe('bad input gets a clear 4xx and writes nothing', () => {
  it('rejects each malformed request with a field-level message', async () => {
    const f = await formsOf(customer.api);
    const category = f.field.technical('Category').id;
    const valid = await technicalRequest(customer.api);
    const withRequest = (patch: Record<string, unknown>) => ({ request: { ...valid.request, ...patch } });
    const cases: { name: string; send: () => Promise<{ status: number; body: any }>; status: number; field?: string; text?: RegExp }[] = [
      { name: 'malformed JSON', send: () => customer.api.request('POST', '/api/v2/requests.json', '{"request": {"subject": ', { 'content-type': 'application/json' }), status: 400, text: /Malformed JSON/ },
      { name: 'body is not an object', send: () => customer.api.post('/api/v2/requests.json', [1, 2]), status: 400 },
      { name: 'missing root key', send: () => customer.api.post('/api/v2/requests.json', { subject: 'x' }), status: 422, field: 'request' },
      { name: 'wrong type for subject', send: () => customer.api.post('/api/v2/requests.json', withRequest({ subject: 42 })), status: 422, field: 'subject' },
      { name: 'unknown priority', send: () => customer.api.post('/api/v2/requests.json', withRequest({ priority: 'critical' })), status: 422, field: 'priority' },
      { name: 'missing priority on the technical form', send: () => customer.api.post('/api/v2/requests.json', withRequest({ priority: undefined })), status: 422, field: 'priority', text: /Priority: cannot be blank/ },
      {
        name: 'unknown category option',
        send: () => customer.api.post('/api/v2/requests.json', withRequest({ custom_fields: [{ id: category, value: 'teleportation' }] })),
        status: 422,
        field: `custom_fields.${category}`,
        text: /not one of the options/,
      },
      {
        name: 'mobile category without mobile version',
        send: () =>
          customer.api.post('/api/v2/requests.json', withRequest({ custom_fields: (valid.request.custom_fields as { id: number; value: string }[]).map((c) => (c.id === category ? { id: c.id, value: 'mobile' } : c)) })),
        status: 422,
        field: `custom_fields.${f.field.technical('Mattermost Mobile Version').id}`,
        text: /Mattermost Mobile Version: cannot be blank/,
      },
      { name: 'field from another form', send: () => customer.api.post('/api/v2/requests.json', withRequest({ custom_fields: [...(valid.request.custom_fields as object[]), { id: f.field.sales('Category').id, value: 'sales_pricing' }] })), status: 422, field: `custom_fields.${f.field.sales('Category').id}` },
      { name: '10 kB subject', send: () => customer.api.post('/api/v2/requests.json', withRequest({ subject: 'x'.repeat(10_240) })), status: 422, field: 'subject', text: /too long/ },
      { name: 'blank description', send: () => customer.api.post('/api/v2/requests.json', withRequest({ comment: { body: '   ' } })), status: 422, field: 'description' },
      { name: '49 CCs', send: () => customer.api.post('/api/v2/requests.json', withRequest({ email_ccs: Array.from({ length: 49 }, (_, i) => `cc${i}@example.com`) })), status: 422, field: 'email_ccs', text: /at most 48/ },
      { name: 'invalid CC email', send: () => customer.api.post('/api/v2/requests.json', withRequest({ email_ccs: ['not-an-email'] })), status: 422, field: 'email_ccs.0' },
      { name: 'unknown upload token', send: () => customer.api.post('/api/v2/requests.json', withRequest({ comment: { body: 'see file', uploads: ['nope'] } })), status: 422, field: 'uploads' },
      { name: 'bad version format', send: () => customer.api.post('/api/v2/requests.json', withRequest({ custom_fields: (valid.request.custom_fields as { id: number; value: string }[]).map((c) => (c.id === f.field.technical('Mattermost Version').id ? { id: c.id, value: 'latest please' } : c)) })), status: 422, text: /expected format/ },
      { name: 'unknown form', send: () => customer.api.post('/api/v2/requests.json', withRequest({ ticket_form_id: 999999 })), status: 422, field: 'ticket_form_id' },
      { name: 'invalid sign-up email', send: () => customer.api.post('/api/portal/signup', { name: 'X', email: 'x@', password: 'long-enough-password' }), status: 422, field: 'email' },
      { name: 'short password', send: () => customer.api.post('/api/portal/signup', { name: 'X', email: 'x@example.com', password: 'short' }), status: 422, field: 'password' },
      { name: 'agent: solve without assignee', send: () => agent.api.post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b' }, status: 'solved' } }), status: 422, field: 'base', text: /Assignee: is required when solving/ },
      { name: 'agent: assignee is a customer', send: () => agent.api.post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b' }, assignee_id: customer.user.id } }), status: 422, field: 'assignee_id' },
      { name: 'agent: invalid requester email', send: () => agent.api.post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b' }, requester: { email: 'nobody' } } }), status: 422, field: 'requester.email' },
      { name: 'agent: status new→closed', send: () => agent.api.post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b' }, status: 'closed' } }), status: 422, field: 'status' },
      { name: 'agent: string instead of id', send: () => agent.api.post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b' }, group_id: 'abc' } }), status: 422, field: 'group_id' },
      { name: 'unsupported content type', send: () => agent.api.request('POST', '/api/v2/tickets.json', 'ticket=1', { 'content-type': 'application/x-www-form-urlencoded' }), status: 415 },
    ];
    for (const c of cases) {
      const before = await footprint();
      const res = await c.send();
      expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(c.status);
      expect(res.body.error, c.name).toBeTruthy();
      if (c.field) expect(Object.keys(res.body.details ?? {}), `${c.name}: ${JSON.stringify(res.body)}`).toContain(c.field);
      if (c.text) expect(JSON.stringify(res.body), c.name).toMatch(c.text);
      expect(await footprint(), c.name).toEqual(before);
    }
  });

  it('reports every problem of a request at once', async () => {
    const res = await customer.api.post('/api/v2/requests.json', { request: { ticket_form_id: (await formsOf(customer.api)).technical.id, comment: { body: '' } } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(['description', 'subject', 'priority']));
  });

  it('refuses an oversize upload with 413 and keeps nothing on disk or in the database', async () => {
    const before = await footprint();
    const big = Buffer.alloc(64 * 1024 + 1, 7);
    const res = await customer.api.upload('huge.log', big);
    expect(res.status).toBe(413);
    expect(res.body.description).toMatch(/limit/);
    // Without Content-Length (chunked), the limit is enforced while streaming.
    const streamed = await env.app.inject({
      method: 'POST',
      url: '/api/v2/uploads?filename=huge2.log',
      headers: { authorization: `Basic ${Buffer.from(`${agent.user.email}/token:${(agent as Actor & { token: string }).token}`).toString('base64')}`, 'content-type': 'application/binary', 'transfer-encoding': 'chunked' },
      payload: big,
    });
    expect(streamed.statusCode).toBe(413);
    expect(await footprint()).toEqual(before);
  });

  it('answers unknown routes and ids with 404 JSON, never 5xx', async () => {
    expect((await agent.api.get('/api/v2/tickets/abc')).status).toBe(404);
    expect((await agent.api.get('/api/v2/tickets/99999999')).status).toBe(404);
    expect((await agent.api.get('/api/v2/nothing-here')).status).toBe(404);
    expect((await agent.api.get('/api/v2/tickets?page[size]=5&page[after]=garbage')).status).toBe(400);
    expect((await agent.api.get('/api/v2/tickets?per_page=-3')).status).toBe(400);
  });

  it('takes a repeated query parameter as a list, not a server error (found by FUZZ_SEED=random)', async () => {
    for (const q of ['label_names=a&label_names=b', 'label_names=a,b', 'label_names=a']) {
      const res = await agent.api.get(`/api/v2/help_center/articles?${q}`);
      expect(res.status, q).toBe(200);
    }
  });
});
