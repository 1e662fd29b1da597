import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, formsOf, logIn, technicalRequest, uniq } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { linkIn } from '../mail-catcher.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({ AUTO_CLOSE_AFTER: '2s' });
});
afterAll(() => env?.close());

const waitUntil = async (check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('the support journey of the seed, end to end over the API', () => {
  it('takes a customer from sign-up to a closed request and a follow-up', async () => {
    const admin = await createAgent(env, { admin: true });
    const domain = `${uniq('acme')}.test`;
    const orgRes = await admin.api.post('/api/v2/organizations.json', {
      organization: { name: `Acme ${domain}`, support_plan: 'premier', time_zone: 'Europe/Berlin', domain_names: [domain] },
    });
    expect(orgRes.status).toBe(201);
    expect(orgRes.headers.location).toMatch(/\/api\/v2\/organizations\/\d+\.json$/);

    // Sign up with a work email: same answer as always, and a verification mail.
    const email = `ana.${uniq()}@${domain}`;
    const anon = new Api(env.app);
    const signup = await anon.post('/api/portal/signup', { name: 'Ana Lyst', email, password: 'a-strong-password-1' });
    expect(signup.status).toBe(202);
    const verifyMail = await env.mail.waitFor((m) => m.to.includes(email) && /verify/i.test(m.subject));

    // Unverified: may sign in, may not submit.
    let customer = await logIn(env, email, 'a-strong-password-1');
    const early = await customer.post('/api/v2/requests.json', await technicalRequest(customer));
    expect(early.status).toBe(403);

    const link = linkIn(verifyMail, 'http://sundial.test/api/portal/verify');
    const verified = await anon.get(link.replace('http://sundial.test', ''));
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/login?verified=1');
    const again = await anon.get(link.replace('http://sundial.test', ''));
    expect(again.headers.location).toBe('/login?verify_error=used');

    customer = await logIn(env, email, 'a-strong-password-1');
    const me = await customer.get('/api/v2/users/me.json');
    expect(me.body.user).toMatchObject({ email, verified: true, organization_id: orgRes.body.organization.id, role: 'end-user' });

    // Submit a technical request with an attachment and a CC.
    const upload = await customer.upload('mattermost.log', 'level=error msg="push proxy unreachable"\n', 'text/plain');
    expect(upload.status).toBe(201);
    const cc = `boss.${uniq()}@${domain}`;
    const submitted = await customer.post('/api/v2/requests.json', await technicalRequest(customer, { comment: { body: 'Push notifications are down for all iOS users.', uploads: [upload.body.upload.token] }, email_ccs: [cc] }));
    expect(submitted.status).toBe(201);
    const request = submitted.body.request;
    expect(request).toMatchObject({ status: 'new', priority: 'high', subject: 'Push notifications stopped after upgrade' });
    expect(request.email_cc_ids).toHaveLength(1);
    const mine = await customer.get('/api/v2/requests.json');
    expect(mine.body.requests.map((r: { id: number }) => r.id)).toContain(request.id);
    await env.mail.waitFor((m) => m.to.includes(email) && m.subject.includes(`#${request.id}`));

    // An agent works it: public reply, internal note with a file, pending.
    const agent = await createAgent(env);
    const shown = await agent.api.get(`/api/v2/tickets/${request.id}.json?include=users,groups,organizations`);
    expect(shown.status).toBe(200);
    expect(shown.body.ticket).toMatchObject({ status: 'new', group_id: expect.any(Number), ticket_form_id: (await formsOf(agent.api)).technical.id });
    expect(shown.body.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining([email, cc]));
    expect(shown.body.groups[0].name).toBe('Technical Support');

    const reply = await agent.api.put(`/api/v2/tickets/${request.id}.json`, { ticket: { assignee_id: agent.user.id, comment: { body: 'Could you send the push proxy logs?', public: true }, status: 'pending' } });
    expect(reply.status).toBe(200);
    expect(reply.body.ticket.status).toBe('pending');
    expect(reply.body.audit.events.map((e: { type: string; field_name?: string }) => `${e.type}:${e.field_name ?? ''}`)).toEqual(
      expect.arrayContaining(['Change:status', 'Change:assignee_id', 'Comment:']),
    );
    const noteFile = await agent.api.upload('internal-analysis.txt', 'SECRET-INTERNAL-ANALYSIS');
    const note = await agent.api.put(`/api/v2/tickets/${request.id}.json`, { ticket: { comment: { body: 'INTERNAL: probably the proxy cert', public: false, uploads: [noteFile.body.upload.token] } } });
    expect(note.status).toBe(200);
    const replyMail = await env.mail.waitFor((m) => m.to.includes(email) && m.text.includes('push proxy logs'));
    expect(replyMail.inReplyTo).toBe(`<ticket-${request.id}@sundial.test>`);
    await env.mail.waitFor((m) => m.to.includes(cc) && m.text.includes('push proxy logs'));

    // The customer never sees the internal note or its file.
    const comments = await customer.get(`/api/v2/requests/${request.id}/comments.json`);
    expect(comments.status).toBe(200);
    expect(JSON.stringify(comments.body)).not.toContain('INTERNAL');
    expect(comments.body.comments).toHaveLength(2);
    const noteAttachmentId = noteFile.body.upload.attachment.id;
    expect((await customer.get(`/api/v2/attachments/${noteAttachmentId}.json`)).status).toBe(404);
    expect((await customer.get(`/api/v2/attachments/${noteAttachmentId}/content`)).status).toBe(404);
    const ownFile = comments.body.comments[0].attachments[0];
    const download = await customer.get(new URL(ownFile.content_url).pathname);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.body).toContain('push proxy unreachable');
    expect(env.mail.messages.some((m) => m.text.includes('INTERNAL') || m.html.includes('INTERNAL'))).toBe(false);

    // The customer replies: pending → open, and the assignee hears about it.
    const customerReply = await customer.put(`/api/v2/requests/${request.id}.json`, { request: { comment: { body: 'Logs attached above, thanks' } } });
    expect(customerReply.status).toBe(200);
    expect(customerReply.body.request.status).toBe('open');
    await env.mail.waitFor((m) => m.to.includes(agent.user.email) && m.text.includes('Logs attached above'));

    // Solved, then closed by the auto-close job after AUTO_CLOSE_AFTER.
    const solved = await agent.api.put(`/api/v2/tickets/${request.id}.json`, { ticket: { status: 'solved', comment: { body: 'Renewed the proxy certificate.' } } });
    expect(solved.body.ticket.status).toBe('solved');
    await waitUntil(async () => (await agent.api.get(`/api/v2/tickets/${request.id}.json`)).body.ticket.status === 'closed');
    const audits = await agent.api.get(`/api/v2/tickets/${request.id}/audits.json`);
    const last = audits.body.audits[audits.body.audits.length - 1];
    expect(last.via.channel).toBe('rule');
    expect(last.events[0]).toMatchObject({ type: 'Change', field_name: 'status', previous_value: 'solved', value: 'closed' });
    const one = await agent.api.get(`/api/v2/tickets/${request.id}/audits/${last.id}.json`);
    expect(one.body).toEqual({ audit: last });
    expect((await agent.api.get(`/api/v2/tickets/${request.id}/audits/count`)).body.count.value).toBe(audits.body.audits.length);
    expect((await agent.api.get(`/api/v2/tickets/${request.id + 1000000}/audits/${last.id}`)).status).toBe(404);
    expect((await customer.get(`/api/v2/tickets/${request.id}/audits/${last.id}`)).status).toBe(403);

    // Closed is immutable; a reply opens a linked follow-up.
    const agentEdit = await agent.api.put(`/api/v2/tickets/${request.id}.json`, { ticket: { status: 'open' } });
    expect(agentEdit.status).toBe(422);
    expect(agentEdit.body.details.status[0].description).toBe('Status: closed prevents ticket update');
    const followUp = await customer.put(`/api/v2/requests/${request.id}.json`, { request: { comment: { body: 'It broke again today' } } });
    expect(followUp.status).toBe(201);
    expect(followUp.body.request).toMatchObject({ followup_source_id: request.id, status: 'new', subject: request.subject });
    const source = await agent.api.get(`/api/v2/tickets/${request.id}.json`);
    expect(source.body.ticket.followup_ids).toEqual([followUp.body.request.id]);
  });

  it('keeps every customer out of another organization\'s requests with 404s', async () => {
    const orgA = await createOrganization(env);
    const orgB = await createOrganization(env);
    const alice = await createCustomer(env, orgA);
    const mallory = await createCustomer(env, orgB);
    const agent = await createAgent(env);
    const upload = await alice.api.upload('config.json', '{"SqlSettings":{}}', 'application/json');
    const created = await alice.api.post('/api/v2/requests', await technicalRequest(alice.api, { comment: { body: 'Config attached', uploads: [upload.body.upload.token] } }));
    expect(created.status).toBe(201);
    const id = created.body.request.id;
    await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: 'internal', public: false } } });
    const attachmentId = upload.body.upload.attachment.id;

    for (const path of [`/api/v2/requests/${id}`, `/api/v2/requests/${id}/comments`, `/api/v2/attachments/${attachmentId}`, `/api/v2/attachments/${attachmentId}/content`, `/api/v2/requests/${id + 100000}`, `/api/v2/organizations/${orgA.id}`, `/api/v2/users/${alice.user.id}`]) {
      const res = await mallory.api.get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await mallory.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'hi' } } })).status).toBe(404);
    const list = await mallory.api.get('/api/v2/requests');
    expect(list.body.requests).toEqual([]);
    // End users use the Requests API; the Tickets API is for agents (403, as in Zendesk).
    expect((await mallory.api.get(`/api/v2/tickets/${id}`)).status).toBe(403);
    expect((await alice.api.get('/api/v2/tickets')).status).toBe(403);
  });
});
