import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/platform/embedded-postgres.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createCustomer, createOrganization, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import type { CaughtMail } from '../mail-catcher.js';

const INBOUND_TOKEN = 'inbound-token-for-tests-0123456789';
let env: TestEnv;
let agent: Actor;
let smtp: nodemailer.Transporter;


beforeAll(async () => {
  env = await startTestApp({ SMTP_INBOUND_PORT: String(await freePort()), SMTP_INBOUND_HOST: '127.0.0.1', INBOUND_TOKEN, SUPPORT_ADDRESSES: 'support@sundial.test,help@sundial.test' });
  smtp = nodemailer.createTransport({ host: '127.0.0.1', port: env.smtpPort!, secure: false, ignoreTLS: true });
  agent = await createAgent(env, { groups: ['technical'] });
});
afterAll(() => env?.close());

/** Sends like a customer's mail client, through Sundial's SMTP server. */
const send = (mail: nodemailer.SendMailOptions) => smtp.sendMail({ messageId: `<${uniq('m')}@client.example>`, ...mail });
const ticketsOf = (requesterId: number) => env.ctx.db.selectFrom('tickets').selectAll().where('requester_id', '=', requesterId).orderBy('id').execute();
const commentsOf = async (ticketId: number) => (await agent.api.get(`/api/v2/tickets/${ticketId}/comments`)).body.comments as { body: string; public: boolean; author_id: number; attachments: { file_name: string; size: number }[] }[];
const inboundFor = (messageId: string) => env.ctx.db.selectFrom('inbound_mail').selectAll().where('message_id', '=', messageId).executeTakeFirst();
const replyToOf = (m: CaughtMail) => m.raw.replyTo?.value[0]?.address ?? '';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function emailCustomer(plan: 'enterprise' | 'premier' | 'free' = 'enterprise') {
  const org = await createOrganization(env, { plan });
  return { org, customer: await createCustomer(env, org) };
}

describe('email in and out', () => {
  it('opens a ticket from mail to support, threads every answer, and takes replies by headers, by address and from CCs', async () => {
    const { org, customer } = await emailCustomer();
    const colleague = await createCustomer(env, org);
    const first = `<${uniq('first')}@client.example>`;
    await send({ from: customer.user.email, to: 'support@sundial.test', cc: colleague.user.email, subject: 'Jobs server stuck', text: 'The job server stopped after the upgrade.\n\n-- \nDana\nNorthwind', messageId: first });

    const [ticket] = await until(() => ticketsOf(customer.user.id), (t) => t.length === 1);
    expect(ticket).toMatchObject({ subject: 'Jobs server stuck', via_channel: 'email', status: 'new' });
    const [description] = await commentsOf(ticket.id);
    expect(description.body).toBe('The job server stopped after the upgrade.');
    expect(description.attachments.map((a) => a.file_name)).toEqual(['original-message.eml']);
    expect((await agent.api.get(`/api/v2/tickets/${ticket.id}`)).body.ticket.collaborator_ids).toContain(colleague.user.id);
    expect(await inboundFor(first)).toMatchObject({ outcome: 'ticket', ticket_id: ticket.id, channel: 'smtp' });

    const ack = await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.subject.startsWith(`[Request #${ticket.id}]`));
    expect(replyToOf(ack)).toMatch(new RegExp(`^support\\+${ticket.id}-[\\w-]{12}@sundial\\.test$`));
    expect(ack.inReplyTo).toBe(first);
    expect(ack.references).toEqual([`<ticket-${ticket.id}@sundial.test>`, first]);
    expect(ack.raw.headers.get('auto-submitted')).toBe('auto-generated');

    // An agent reply reaches requester and CC; the requester answers it with a normal reply.
    await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { assignee_id: agent.user.id, status: 'pending', comment: { body: 'Please send the server log.' } } });
    const question = await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.text.includes('Please send the server log.'));
    await env.mail.waitFor((m) => m.to.includes(colleague.user.email) && m.text.includes('Please send the server log.'));
    await send({
      from: customer.user.email,
      to: replyToOf(question),
      subject: `Re: ${question.subject}`,
      inReplyTo: question.messageId,
      references: [...question.references, question.messageId],
      text: `Log attached.\n\nOn Tue, 3 Mar 2026 at 10:00, Sundial <support@sundial.test> wrote:\n> Please send the server log.`,
      attachments: [{ filename: 'mattermost.log', content: 'level=error msg="job server stopped"' }],
    });
    await until(() => commentsOf(ticket.id), (c) => c.length === 3);
    const reply = (await commentsOf(ticket.id))[2];
    expect(reply).toMatchObject({ body: 'Log attached.', public: true, author_id: customer.user.id });
    expect(reply.attachments.map((a) => a.file_name).sort()).toEqual(['mattermost.log', 'original-message.eml']);
    expect((await agent.api.get(`/api/v2/tickets/${ticket.id}`)).body.ticket.status).toBe('open');

    // A client that drops the headers and changes the subject still threads by the reply address.
    await send({ from: customer.user.email, to: replyToOf(question), subject: 'new subject entirely', text: 'One more detail: it happens at 02:00.' });
    await until(() => commentsOf(ticket.id), (c) => c.length === 4);
    // The CC replies too; the comment is theirs.
    await send({ from: colleague.user.email, to: replyToOf(question), subject: 'Re: logs', text: 'Same here on our second node.' });
    const comments = await until(() => commentsOf(ticket.id), (c) => c.length === 5);
    expect(comments.slice(3).map((c) => [c.author_id, c.body])).toEqual([
      [customer.user.id, 'One more detail: it happens at 02:00.'],
      [colleague.user.id, 'Same here on our second node.'],
    ]);
    expect(await ticketsOf(customer.user.id)).toHaveLength(1); // never split into a new ticket
  });

  it('never mails internal notes, and takes a 20 MB attachment', async () => {
    const { customer } = await emailCustomer();
    await send({ from: customer.user.email, to: 'help@sundial.test', subject: 'Big support packet', text: 'Packet attached', attachments: [{ filename: 'support-packet.zip', content: randomBytes(20 * 1024 * 1024) }] });
    const [ticket] = await until(() => ticketsOf(customer.user.id), (t) => t.length === 1, 30_000);
    const [description] = await commentsOf(ticket.id);
    expect(description.attachments.find((a) => a.file_name === 'support-packet.zip')?.size).toBe(20 * 1024 * 1024);

    const marker = `INTERNAL-${uniq()}`;
    await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { comment: { body: `Note ${marker}`, public: false } } });
    await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { comment: { body: 'Public answer after the note' } } });
    await env.mail.waitFor((m) => m.text.includes('Public answer after the note'));
    expect(env.mail.messages.filter((m) => m.text.includes(marker) || m.html.includes(marker))).toEqual([]);
  });

  it('reopens a solved ticket, opens a follow-up for a closed one, and handles a Message-ID once', async () => {
    const { customer } = await emailCustomer();
    await send({ from: customer.user.email, to: 'support@sundial.test', subject: 'LDAP sync', text: 'LDAP sync fails' });
    const [ticket] = await until(() => ticketsOf(customer.user.id), (t) => t.length === 1);
    const ack = await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.subject.startsWith(`[Request #${ticket.id}]`));
    await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { assignee_id: agent.user.id, status: 'solved', comment: { body: 'Fixed the bind DN.' } } });

    const again = `<${uniq('again')}@client.example>`;
    await Promise.all([
      send({ from: customer.user.email, to: replyToOf(ack), subject: 'Re: LDAP', text: 'Still failing.', messageId: again }),
      send({ from: customer.user.email, to: replyToOf(ack), subject: 'Re: LDAP', text: 'Still failing.', messageId: again }),
    ]);
    await until(() => inboundFor(again), (r) => !!r);
    await new Promise((r) => setTimeout(r, 300));
    expect((await commentsOf(ticket.id)).filter((c) => c.body === 'Still failing.')).toHaveLength(1);
    expect((await agent.api.get(`/api/v2/tickets/${ticket.id}`)).body.ticket.status).toBe('open');

    await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { status: 'solved' } });
    await env.ctx.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date() }).where('id', '=', ticket.id).execute();
    await send({ from: customer.user.email, to: replyToOf(ack), subject: 'Re: LDAP', text: 'It broke again after the restart.' });
    const both = await until(() => ticketsOf(customer.user.id), (t) => t.length === 2);
    expect(both[1]).toMatchObject({ via_followup_source_id: ticket.id, via_channel: 'email' });
  });

  it('never answers robots and refuses mail it cannot place, with a reason', async () => {
    const { customer } = await emailCustomer();
    const before = env.mail.messages.length;
    const robots: nodemailer.SendMailOptions[] = [
      { from: customer.user.email, headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Out of office' },
      { from: customer.user.email, headers: { Precedence: 'bulk' }, subject: 'Newsletter' },
      { from: customer.user.email, headers: { 'List-Id': '<announce.example.com>' }, subject: 'List mail' },
      { from: 'MAILER-DAEMON@client.example', subject: 'Undelivered Mail Returned to Sender' },
      { from: customer.user.email, envelope: { from: '', to: 'support@sundial.test' }, subject: 'Bounce with empty sender' },
    ];
    for (const r of robots) {
      const messageId = `<${uniq('robot')}@client.example>`;
      await send({ to: 'support@sundial.test', text: 'automatic', messageId, ...r });
      expect({ subject: r.subject, ...(await inboundFor(messageId)) }).toMatchObject({ subject: r.subject, outcome: 'ignored' });
    }
    expect(await ticketsOf(customer.user.id)).toEqual([]);

    const free = await emailCustomer('free');
    await expect(send({ from: free.customer.user.email, to: 'support@sundial.test', subject: 'Help', text: 'Please help' })).rejects.toThrow(/Enterprise and Premier plans/);
    await expect(send({ from: customer.user.email, to: 'someone-else@sundial.test', subject: 'Hi', text: 'x' })).rejects.toThrow(/no such mailbox/);

    // A stranger cannot post to someone's ticket with its reply address.
    const { customer: owner } = await emailCustomer();
    await send({ from: owner.user.email, to: 'support@sundial.test', subject: 'Mine', text: 'mine' });
    const [ticket] = await until(() => ticketsOf(owner.user.id), (t) => t.length === 1);
    const ack = await env.mail.waitFor((m) => m.to.includes(owner.user.email) && m.subject.startsWith(`[Request #${ticket.id}]`));
    await expect(send({ from: customer.user.email, to: replyToOf(ack), subject: 'Re', text: 'intruder' })).rejects.toThrow(/may not reply on ticket/);
    await new Promise((r) => setTimeout(r, 500));
    expect(env.mail.messages.slice(before).filter((m) => m.to.includes(customer.user.email))).toEqual([]);

    // A forged reply address lands on no ticket; as plus-addressed support mail it opens a new one, so nothing is lost.
    const forged = `<${uniq('forged')}@client.example>`;
    await send({ from: customer.user.email, to: 'support+99999-aaaaaaaaaaaa@sundial.test', subject: 'Hi', text: 'x', messageId: forged });
    expect(await inboundFor(forged)).toMatchObject({ outcome: 'ticket' });
    expect((await inboundFor(forged))!.ticket_id).not.toBe(99999);
  });

  it('asks a Premier sender for a priority and pages on-call when they answer Urgent', async () => {
    const { customer } = await emailCustomer('premier');
    await send({ from: customer.user.email, to: 'support@sundial.test', subject: 'Cluster down', text: 'All nodes return 502.' });
    const [ticket] = await until(() => ticketsOf(customer.user.id), (t) => t.length === 1);
    expect(ticket.priority).toBeNull();
    const ask = await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.subject === `[Request #${ticket.id}] What is the priority of your request?`);
    await send({ from: customer.user.email, to: replyToOf(ask), subject: `Re: ${ask.subject}`, inReplyTo: ask.messageId, text: 'Urgent\nProduction is down for 18,000 users.' });
    await until(() => env.ctx.db.selectFrom('tickets').select('priority').where('id', '=', ticket.id).executeTakeFirstOrThrow(), (t) => t.priority === 'urgent');
    expect(await env.ctx.db.selectFrom('pages').select(['reason', 'status']).where('ticket_id', '=', ticket.id).execute()).toEqual([{ reason: 'priority_raised', status: 'open' }]);
  });

  it('takes raw MIME over HTTP with the inbound token', async () => {
    const { customer } = await emailCustomer();
    const raw = [`From: ${customer.user.email}`, 'To: support@sundial.test', `Message-ID: <${uniq('http')}@provider.example>`, 'Subject: Posted by the provider', 'Content-Type: text/plain', '', 'Body from HTTP'].join('\r\n');
    const post = (token: string | null) => env.app.inject({ method: 'POST', url: '/api/v2/inbound/mime', payload: raw, headers: { 'content-type': 'message/rfc822', ...(token ? { 'x-sundial-inbound-token': token } : {}) } });
    expect((await post(null)).statusCode).toBe(401);
    expect((await post('wrong-token-wrong-token-wrong')).statusCode).toBe(401);
    const ok = await post(INBOUND_TOKEN);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().inbound).toMatchObject({ outcome: 'ticket' });
    expect((await post(INBOUND_TOKEN)).json().inbound).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(/^duplicate/) });
    const admin = await createAgent(env, { admin: true });
    const log = (await admin.api.get('/api/v2/inbound/mail?outcome=ticket')).body.inbound_mail;
    expect(log[0]).toMatchObject({ subject: 'Posted by the provider', channel: 'http', ticket_id: ok.json().inbound.ticket_id });
  });
});
