import type { ParsedMail } from 'mailparser';
import type { AppContext } from '../../../platform/context.js';
import { mailDomain } from '../../../platform/context.js';
import { ticketOfAddress } from '../addresses.js';

/** Message-IDs a reply points at, the direct parent first. */
export function referencedIds(mail: ParsedMail): string[] {
  const refs = Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [];
  const all = [mail.inReplyTo, ...refs.slice().reverse()].flatMap((v) => String(v ?? '').match(/<[^<>\s]+>/g) ?? []);
  return [...new Set(all)].slice(0, 50);
}

/**
 * The ticket a message belongs to, in order of trust: a signed reply address (survives clients that
 * drop headers), then In-Reply-To/References against every Message-ID Sundial sent or received for a
 * ticket. Subject lines are not used: "[Request #12]" can be typed by anyone and edited by anyone.
 */
export async function threadOf(ctx: AppContext, mail: ParsedMail, recipients: string[]): Promise<number | null> {
  for (const address of recipients) {
    const id = await ticketOfAddress(ctx.db, address);
    if (id !== null && (await liveTicket(ctx, id))) return id;
  }
  const ids = referencedIds(mail);
  if (!ids.length) return null;
  const root = new RegExp(`^<ticket-(\\d{1,15})@${mailDomain(ctx).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>$`, 'i');
  for (const id of ids) {
    const m = root.exec(id);
    if (m && (await liveTicket(ctx, Number(m[1])))) return Number(m[1]);
  }
  const sent = await ctx.db.selectFrom('mail_outbox').select(['message_id', 'ticket_id']).where('message_id', 'in', ids).where('ticket_id', 'is not', null).execute();
  const received = await ctx.db.selectFrom('ticket_comments').select(['mail_message_id as message_id', 'ticket_id']).where('mail_message_id', 'in', ids).execute();
  const known = new Map([...received, ...sent].map((r) => [r.message_id!, r.ticket_id!]));
  for (const id of ids) {
    const ticketId = known.get(id);
    if (ticketId !== undefined && (await liveTicket(ctx, ticketId))) return ticketId;
  }
  return null;
}

async function liveTicket(ctx: AppContext, id: number): Promise<boolean> {
  return !!(await ctx.db.selectFrom('tickets').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst());
}
