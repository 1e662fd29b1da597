import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMails } from '../../src/modules/mail/outbox.js';
import { threadHeaders } from '../../src/modules/tickets/notifications.js';
import { mailContext } from '../../src/platform/context.js';
import { createAgent, createCustomer } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// Workers off: the jobs stay as written, so their rows can be compared.
let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp({}, { workers: false });
});
afterAll(() => env?.close());

interface JobRow {
  id: string;
  data: Record<string, unknown>;
  state: string;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  policy: string | null;
  expire_in: { minutes?: number; seconds?: number; hours?: number };
  keep_days: number;
  start_after: Date;
  singleton_key: string | null;
}
const jobs = async (name: string, where = sql`true`) =>
  (
    await sql<JobRow>`
      SELECT id, data, state, retry_limit, retry_delay, retry_backoff, policy, expire_in,
             round(extract(epoch FROM keep_until - start_after) / 86400) AS keep_days, start_after, singleton_key
      FROM pgboss.job WHERE name = ${name} AND ${where} ORDER BY created_on, id`.execute(env.ctx.db)
  ).rows;
const drafts = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ to: `r${i}-${tag}@example.com`, subject: `Batch ${tag}`, text: `Body ${i}`, kind: 'test', references: [`<root-${tag}@x>`, `<m${i}@x>`] }));

describe('jobs enqueued within the statement of a write', () => {
  it('writes a batch of mails and one delivery job each in one statement, alike to a job sent on its own', async () => {
    const ids = await env.ctx.db.transaction().execute((tx) => queueMails(tx, mailContext(env.ctx), drafts('batch', 3)));
    expect(ids).toHaveLength(3);
    const rows = await env.ctx.db.selectFrom('mail_outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
    expect(rows.map((r) => [r.to_address, r.text_body, r.references_ids])).toEqual([0, 1, 2].map((i) => [`r${i}-batch@example.com`, `Body ${i}`, ['<root-batch@x>', `<m${i}@x>`]]));
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(3);

    const batch = await jobs('mail.send', sql`(data->>'mailId')::bigint IN (${sql.join(ids)})`);
    expect(batch.map((j) => Number(j.data.mailId)).sort((a, b) => a - b)).toEqual(ids);
    // The same job through pg-boss's own send: every stored policy column must match.
    await env.ctx.db.transaction().execute((tx) => env.ctx.jobs.send('mail.send', { mailId: -1 }, { tx }));
    const [single] = await jobs('mail.send', sql`data->>'mailId' = '-1'`);
    const policy = (j: JobRow) => ({ state: j.state, retry_limit: j.retry_limit, retry_delay: j.retry_delay, retry_backoff: j.retry_backoff, policy: j.policy, expire_in: j.expire_in, keep_days: j.keep_days });
    expect(policy(single)).toMatchObject({ state: 'created', retry_limit: 12, retry_delay: 5, retry_backoff: true });
    for (const j of batch) expect(policy(j)).toEqual(policy(single));
  });

  it('writes neither the mails nor their jobs when the transaction rolls back', async () => {
    const before = (await jobs('mail.send')).length;
    await expect(
      env.ctx.db.transaction().execute(async (tx) => {
        await queueMails(tx, mailContext(env.ctx), drafts('rollback', 2));
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await env.ctx.db.selectFrom('mail_outbox').select('id').where('subject', '=', 'Batch rollback').execute()).toEqual([]);
    expect(await jobs('mail.send')).toHaveLength(before);
    expect(await env.ctx.db.transaction().execute((tx) => queueMails(tx, mailContext(env.ctx), []))).toEqual([]);
  });

  it('keeps start time and key of a job written as part of another statement', async () => {
    const at = new Date(Date.now() + 3_600_000);
    await sql`WITH job AS (${env.ctx.jobs.enqueueSql('sla.breach-check', [{ data: { ticketId: 424242 }, startAfter: at, singletonKey: `424242:${at.getTime()}` }])}) SELECT 1`.execute(env.ctx.db);
    const [job] = await jobs('sla.breach-check', sql`data->>'ticketId' = '424242'`);
    expect(job.start_after.getTime()).toBe(at.getTime());
    expect(job.singleton_key).toBe(`424242:${at.getTime()}`);
    expect(job).toMatchObject({ state: 'created', retry_limit: 10, retry_backoff: true });
  });

  it('mails a public reply to the requester, then each active CC but its author, each with its job, threaded under the ticket', async () => {
    const [agent, author] = [await createAgent(env), await createAgent(env)];
    const [requester, cc, gone] = [await createCustomer(env, null), await createCustomer(env, null), await createCustomer(env, null)];
    const created = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Audience', comment: { body: 'start' }, requester_id: requester.user.id, collaborator_ids: [cc.user.id, gone.user.id, author.user.id] } });
    expect(created.status).toBe(201);
    const id: number = created.body.ticket.id;
    await env.ctx.db.updateTable('users').set({ active: false }).where('id', '=', gone.user.id).execute();
    expect((await author.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: 'The answer.', public: true } } })).status).toBe(200);

    const mails = await env.ctx.db.selectFrom('mail_outbox').selectAll().where('ticket_id', '=', id).where('kind', '=', 'agent-reply').orderBy('id').execute();
    expect(mails.map((m) => m.to_address)).toEqual([requester.user.email, cc.user.email]);
    const root = `<ticket-${id}@${new URL(env.config.publicUrl).hostname}>`;
    for (const m of mails) {
      expect(m).toMatchObject({ in_reply_to: root, references_ids: [root], subject: `[Request #${id}] Audience` });
      expect(m.text_body).toContain('The answer.');
      expect(m.reply_to).toMatch(new RegExp(`\\+${id}-[A-Za-z0-9_-]{12}@`));
    }
    expect(new Set(mails.map((m) => m.message_id)).size).toBe(2);
    const queued = await jobs('mail.send', sql`(data->>'mailId')::bigint IN (${sql.join(mails.map((m) => m.id))})`);
    expect(queued).toHaveLength(2);

    // Once the customer has written by mail, customer mails and agent mails both answer that message.
    const inbound = `<inbound-${id}@customer.example>`;
    await env.ctx.db.updateTable('ticket_comments').set({ mail_message_id: inbound }).where('ticket_id', '=', id).execute();
    expect((await author.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: 'Second answer.', public: true } } })).status).toBe(200);
    const second = await env.ctx.db.selectFrom('mail_outbox').select(['in_reply_to', 'references_ids']).where('ticket_id', '=', id).where('text_body', 'like', '%Second answer.%').execute();
    expect(second).toEqual([requester, cc].map(() => ({ in_reply_to: inbound, references_ids: [root, inbound] })));
    expect(await threadHeaders(env.ctx.db, env.ctx, id)).toMatchObject({ inReplyTo: inbound, references: [root, inbound] });
  });
});
