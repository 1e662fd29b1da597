import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../platform/db.js';
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

/** The columns, in order, of the rows a mail source (see insertMails) yields. */
const MAIL_COLUMNS = sql.raw('to_address, subject, text_body, html_body, message_id, in_reply_to, references_ids, ticket_id, kind, reply_to');

/** A new Message-ID, made by the statement that writes the mail. */
export const newMessageIdSql = (ctx: MailContext) => sql<string>`'<' || gen_random_uuid() || ${`@${ctx.domain}>`}`;

/**
 * Writes the mails `source` (a SELECT yielding MAIL_COLUMNS, in sending order) produces, with their
 * delivery jobs, in one statement of the caller's transaction: rolled back together, committed
 * together, each sent once after commit. Returns the outbox ids in order.
 */
export async function insertMails(tx: Executor, ctx: MailContext, source: RawBuilder<unknown>): Promise<number[]> {
  const { rows } = await sql<{ id: string }>`
    WITH mail AS (INSERT INTO mail_outbox (${MAIL_COLUMNS}) ${source} RETURNING id),
    job AS (${ctx.jobs.enqueueEachSql('mail.send', sql`(SELECT json_agg(json_build_object('mailId', id)) FROM mail)`)})
    SELECT id FROM mail ORDER BY id`.execute(tx);
  return rows.map((r) => Number(r.id));
}

/** Writes the drafted mails with their delivery jobs in one statement (see insertMails). */
export async function queueMails(tx: Executor, ctx: MailContext, drafts: MailDraft[]): Promise<number[]> {
  if (!drafts.length) return [];
  const rows = drafts.map((d) => ({
    to_address: d.to,
    subject: d.subject,
    text_body: d.text,
    html_body: d.html ?? null,
    in_reply_to: d.inReplyTo ?? null,
    references_ids: d.references ?? [],
    ticket_id: d.ticketId ?? null,
    kind: d.kind,
    reply_to: d.replyTo ?? null,
  }));
  return insertMails(tx, ctx, sql`
    SELECT to_address, subject, text_body, html_body, ${newMessageIdSql(ctx)}, in_reply_to, references_ids, ticket_id, kind, reply_to
    FROM ROWS FROM (json_to_recordset(${JSON.stringify(rows)}::json) AS (to_address text, subject text, text_body text, html_body text,
      in_reply_to text, references_ids text[], ticket_id bigint, kind text, reply_to text)) WITH ORDINALITY AS m
    ORDER BY m.ordinality`);
}

/** Writes one mail and its delivery job in the caller's transaction (see queueMails). */
export async function queueMail(tx: Executor, ctx: MailContext, draft: MailDraft): Promise<number> {
  const [id] = await queueMails(tx, ctx, [draft]);
  return id;
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
