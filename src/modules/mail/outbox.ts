import { randomUUID } from 'node:crypto';
import { compiledOnce } from '../../platform/compiled-once.js';
import type { Db, Executor } from '../../platform/db.js';
import type { MailOutboxTable } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import type { JobQueue } from '../../platform/jobs.js';
import type { MailTransport } from '../../platform/mail-transport.js';

export interface MailDraft {
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind: string;
  ticketId?: number;
  inReplyTo?: string | null;
  references?: string[];
  /** Where replies go: the ticket's signed address, so they thread without headers. */
  replyTo?: string | null;
}

export interface MailContext {
  jobs: JobQueue;
  /** Host part of generated Message-IDs. */
  domain: string;
}

type NewMail = Pick<Selectable<MailOutboxTable>, 'to_address' | 'subject' | 'text_body' | 'html_body' | 'message_id' | 'in_reply_to' | 'references_ids' | 'ticket_id' | 'kind' | 'reply_to'>;
const insertMail = compiledOnce((db, p: NewMail) =>
  db
    .insertInto('mail_outbox')
    .values({
      to_address: p.to_address,
      subject: p.subject,
      text_body: p.text_body,
      html_body: p.html_body,
      message_id: p.message_id,
      in_reply_to: p.in_reply_to,
      references_ids: p.references_ids,
      ticket_id: p.ticket_id,
      kind: p.kind,
      reply_to: p.reply_to,
    })
    .returning('id'),
);

/**
 * Writes the mail in the caller's transaction and enqueues its delivery in the same transaction:
 * rolled back together, committed together, sent once after commit.
 */
export async function queueMail(tx: Executor, ctx: MailContext, draft: MailDraft): Promise<number> {
  const [row] = await insertMail(tx, {
    to_address: draft.to,
    subject: draft.subject,
    text_body: draft.text,
    html_body: draft.html ?? null,
    message_id: `<${randomUUID()}@${ctx.domain}>`,
    in_reply_to: draft.inReplyTo ?? null,
    references_ids: draft.references ?? [],
    ticket_id: draft.ticketId ?? null,
    kind: draft.kind,
    reply_to: draft.replyTo ?? null,
  });
  await ctx.jobs.send('mail.send', { mailId: row.id }, { tx });
  return row.id;
}

/**
 * Delivers one outbox row. Claims it under a row lock so two nodes never send the same mail; a failure
 * is recorded and rethrown so the queue retries with backoff.
 */
export async function deliverMail(db: Db, transport: MailTransport, from: string, mailId: number): Promise<void> {
  let failure: Error | null = null;
  await db.transaction().execute(async (tx) => {
    const mail = await tx.selectFrom('mail_outbox').selectAll().where('id', '=', mailId).forUpdate().skipLocked().executeTakeFirst();
    if (!mail) {
      // Locked: another worker is sending it (a retry that overtook a slow send on a node shutting down).
      // Retry later rather than finish: if that send fails, nobody else would send this mail.
      const pending = await tx.selectFrom('mail_outbox').select('id').where('id', '=', mailId).where('sent_at', 'is', null).executeTakeFirst();
      if (pending) failure = new Error('another worker is sending this mail; checking again later');
      return;
    }
    if (mail.sent_at) return;
    try {
      await transport.send({
        from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        messageId: mail.message_id,
        inReplyTo: mail.in_reply_to,
        references: mail.references_ids,
        replyTo: mail.reply_to,
      });
    } catch (e) {
      failure = e as Error;
    }
    await tx
      .updateTable('mail_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        sent_at: failure ? null : new Date(),
        last_error: failure ? String(failure.message).slice(0, 1000) : null,
      }))
      .where('id', '=', mailId)
      .execute();
  });
  if (failure) throw failure;
}
