import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { enforceRateLimits } from '../../../platform/rate-limit.js';
import { isEmail, normalizeEmail } from '../../../platform/validation.js';
import type { Actor } from '../../accounts/actor.js';
import { isAgent } from '../../accounts/actor.js';
import { actorFor } from '../../accounts/authenticate.js';
import { findOrCreateEndUser, findUserByEmail, organizationIdForEmail } from '../../accounts/users.service.js';
import { canCommentOnTicket, canSeeTicket } from '../../../permissions/tickets.js';
import { uploadFile } from '../../tickets/attachments.service.js';
import { htmlToText } from '../../tickets/comment-body.js';
import { createTicket } from '../../tickets/create-ticket.service.js';
import { loadTicketRelations } from '../../tickets/tickets.repository.js';
import { updateTicket } from '../../tickets/update-ticket.service.js';
import { isSupportAddress } from '../addresses.js';
import { applyEmailedPriority, askForPriority, priorityNamed } from './email-priority.js';
import { automatedMailReason } from './loop-guard.js';
import { visibleReply } from './reply-text.js';
import { threadOf } from './threading.js';

export interface Envelope {
  channel: 'smtp' | 'http';
  /** SMTP MAIL FROM ('' for bounces); null when unknown (HTTP). */
  envelopeFrom: string | null;
  /** SMTP RCPT TO; empty means "take To and Cc from the headers". */
  recipients: string[];
}

export interface InboundResult {
  outcome: 'comment' | 'ticket' | 'follow_up' | 'ignored' | 'rejected';
  reason: string | null;
  ticketId: number | null;
}

/** Plans whose customers may open tickets by email (spec §1.3: E20/Premier). */
const EMAIL_PLANS = new Set(['enterprise', 'premier']);
/** Messages one sender may send in an hour before the rest are refused (a loop that slipped through). */
const PER_SENDER_HOURLY = 30;

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean).map(normalizeEmail);

/**
 * One ordered router for mail from the SMTP server and the HTTP endpoint: (1) a reply to a ticket
 * (signed address or known Message-ID) becomes a comment by its sender; (2) mail to a support address
 * opens a ticket; (3) anything else is refused with a reason. Robots are never answered, and a
 * Message-ID is handled once even when two nodes receive it at the same moment.
 */
export async function receiveMail(ctx: AppContext, raw: Buffer, envelope: Envelope): Promise<InboundResult> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const messageId = (mail.messageId?.trim() || `<sha256-${createHash('sha256').update(raw).digest('hex')}@inbound.sundial>`).slice(0, 998);
  const from = normalizeEmail(mail.from?.value[0]?.address ?? '');
  const recipients = envelope.recipients.length ? envelope.recipients.map(normalizeEmail) : [...addresses(mail.to), ...addresses(mail.cc)];

  // Serializes nodes on this Message-ID: the second one waits, then finds the first one's record.
  return ctx.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext(${messageId}))`.execute(conn);
    try {
      const seen = await conn.selectFrom('inbound_mail').select(['outcome', 'ticket_id']).where('message_id', '=', messageId).executeTakeFirst();
      if (seen) return { outcome: 'ignored', reason: `duplicate of a message already received (${seen.outcome})`, ticketId: seen.ticket_id } as InboundResult;
      const result = await route(ctx, mail, raw, { from, recipients, envelope, messageId });
      await conn
        .insertInto('inbound_mail')
        .values({
          message_id: messageId,
          from_address: from,
          to_addresses: recipients.slice(0, 50),
          subject: (mail.subject ?? '').slice(0, 500),
          channel: envelope.channel,
          outcome: result.outcome,
          reason: result.reason,
          ticket_id: result.ticketId,
          comment_id: result.commentId ?? null,
          size_bytes: raw.length,
        })
        .execute();
      return { outcome: result.outcome, reason: result.reason, ticketId: result.ticketId };
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${messageId}))`.execute(conn);
    }
  });
}

type Routed = InboundResult & { commentId?: number | null };
const refuse = (reason: string, ticketId: number | null = null): Routed => ({ outcome: 'rejected', reason, ticketId });

async function route(ctx: AppContext, mail: ParsedMail, raw: Buffer, m: { from: string; recipients: string[]; envelope: Envelope; messageId: string }): Promise<Routed> {
  const robot = automatedMailReason(mail, m.envelope.envelopeFrom);
  if (robot) return { outcome: 'ignored', reason: robot, ticketId: null };
  if (!isEmail(m.from)) return refuse('the message has no valid From address');
  try {
    await enforceRateLimits(ctx.db, [{ key: `inbound-mail:${m.from}`, max: PER_SENDER_HOURLY, windowSeconds: 3600 }]);
  } catch {
    return refuse(`more than ${PER_SENDER_HOURLY} messages from ${m.from} in an hour`);
  }
  const ticketId = await threadOf(ctx, mail, m.recipients);
  if (ticketId !== null) return replyToTicket(ctx, mail, raw, m.from, ticketId, m.messageId);
  if (m.recipients.some((r) => isSupportAddress(ctx.config, r))) return openTicket(ctx, mail, raw, m.from, m.messageId);
  return refuse('the message is not a reply to a ticket and not addressed to a support address');
}

/** The sender's words (quotes and signature cut), from the text part or the sanitized HTML. */
function replyBody(mail: ParsedMail): string {
  const text = mail.text?.trim() ? mail.text : mail.html ? htmlToText(mail.html) : '';
  return visibleReply(text).slice(0, 60_000) || '(empty message)';
}

/** Attachments, plus the whole original message so nothing cut from the body is lost. */
async function storeFiles(ctx: AppContext, actor: Actor, mail: ParsedMail, raw: Buffer): Promise<string[]> {
  let token: string | undefined;
  const files = [
    ...mail.attachments.filter((a) => a.contentDisposition !== 'inline' || !a.related).map((a) => ({ name: a.filename ?? 'attachment', type: a.contentType, content: a.content })),
    { name: 'original-message.eml', type: 'message/rfc822', content: raw },
  ];
  for (const f of files) {
    const stored = await uploadFile(ctx, { actor, fileName: f.name, contentType: f.type, token, body: Readable.from(f.content), declaredLength: f.content.length });
    token = stored.token;
  }
  return token ? [token] : [];
}

async function replyToTicket(ctx: AppContext, mail: ParsedMail, raw: Buffer, from: string, ticketId: number, messageId: string): Promise<Routed> {
  const user = await findUserByEmail(ctx.db, from);
  const actor = user ? await actorFor(ctx.db, user.id, 'email') : null;
  if (!actor) return refuse(`${from} is not a participant of ticket #${ticketId}`, ticketId);
  if (!isAgent(actor)) {
    const ticket = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow();
    const rel = await loadTicketRelations(ctx.db, ticketId, actor);
    if (!canSeeTicket(actor, ticket, rel) || !canCommentOnTicket(actor, ticket, rel)) return refuse(`${from} may not reply on ticket #${ticketId}`, ticketId);
  }
  const body = replyBody(mail);
  const named = !isAgent(actor) ? priorityNamed(body) : null;
  if (named) await applyEmailedPriority(ctx, ticketId, actor.user.id, named);
  try {
    const uploads = await storeFiles(ctx, actor, mail, raw);
    const outcome = await updateTicket(ctx, { actor, ticketId, via: 'email', byEmail: true, changes: { comment: { body, public: true, uploads, mailMessageId: messageId } } });
    if (outcome.followUp) return { outcome: 'follow_up', reason: `ticket #${ticketId} is closed; follow-up #${outcome.followUp.id} opened`, ticketId: outcome.followUp.id };
    const comment = await ctx.db.selectFrom('ticket_comments').select('id').where('audit_id', '=', outcome.auditId!).executeTakeFirst();
    return { outcome: 'comment', reason: null, ticketId, commentId: comment?.id ?? null };
  } catch (e) {
    if (e instanceof AppError && e.status < 500) return refuse(`ticket #${ticketId} refused the reply: ${e.description}`, ticketId);
    throw e;
  }
}

async function openTicket(ctx: AppContext, mail: ParsedMail, raw: Buffer, from: string, messageId: string): Promise<Routed> {
  const existing = await findUserByEmail(ctx.db, from);
  if (existing && existing.role !== 'end-user') return refuse(`${from} is staff; staff open tickets in the agent workspace`);
  const organizationId = existing ? existing.organization_id : await organizationIdForEmail(ctx.db, from);
  const org = organizationId ? await ctx.db.selectFrom('organizations').select(['support_plan']).where('id', '=', organizationId).executeTakeFirst() : undefined;
  if (!org || !EMAIL_PLANS.has(org.support_plan)) return refuse(`email support is part of the Enterprise and Premier plans; ${from} should use the web form`);
  const user = existing ?? (await findOrCreateEndUser(ctx.db, from, mail.from?.value[0]?.name));
  const actor = await actorFor(ctx.db, user.id, 'email');
  if (!actor) return refuse(`${from} is deactivated or suspended`);
  const technical = await ctx.db.selectFrom('ticket_forms').select('id').where('kind', '=', 'technical').where('active', '=', true).orderBy('position').executeTakeFirst();
  const ccs = [...addresses(mail.to), ...addresses(mail.cc)].filter((r) => !isSupportAddress(ctx.config, r) && r !== from && isEmail(r)).slice(0, 48).map((email) => ({ email, action: 'put' as const }));
  try {
    const uploads = await storeFiles(ctx, actor, mail, raw);
    const { ticket } = await createTicket(ctx, {
      actor,
      byEmail: true,
      input: { via: 'email', formId: technical?.id, subject: (mail.subject?.trim() || '(no subject)').slice(0, 150), comment: { body: replyBody(mail), public: true, uploads, mailMessageId: messageId }, ccs },
    });
    if (org.support_plan === 'premier') await askForPriority(ctx, ticket, from);
    return { outcome: 'ticket', reason: null, ticketId: ticket.id };
  } catch (e) {
    if (e instanceof AppError && e.status < 500) return refuse(`the ticket could not be created: ${e.description}`);
    throw e;
  }
}
