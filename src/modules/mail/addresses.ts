import type { Config } from '../../config.js';
import type { Executor } from '../../platform/db.js';
import { signId, validSignedId } from '../../platform/signing.js';

const TOKEN_LENGTH = 12;

/** support@host → ["support", "host"]. */
function supportMailbox(config: Config): [string, string] {
  const [local, domain] = config.supportAddresses[0].split('@');
  return [local, domain];
}

/**
 * The Reply-To of every mail about a ticket: support+<id>-<signature>@host. A reply threads by this
 * address even when the mail client drops In-Reply-To and References; the signature stops anyone
 * from posting to a ticket by guessing its number.
 */
export async function ticketReplyAddress(db: Executor, config: Config, ticketId: number): Promise<string> {
  const [local, domain] = supportMailbox(config);
  const signature = (await signId(db, 'ticket-mail', ticketId)).slice(0, TOKEN_LENGTH);
  return `${local}+${ticketId}-${signature}@${domain}`;
}

/** The ticket a reply address points to, if its signature is valid. */
export async function ticketOfAddress(db: Executor, address: string): Promise<number | null> {
  const m = /^[^@+]+\+(\d{1,15})-([A-Za-z0-9_-]{12})@/.exec(address.trim().toLowerCase());
  if (!m) return null;
  const id = Number(m[1]);
  // Addresses are case-insensitive in practice, so the signature is compared case-insensitively too.
  const expected = (await signId(db, 'ticket-mail', id)).slice(0, TOKEN_LENGTH).toLowerCase();
  return expected === m[2] ? id : null;
}

/** Whether mail to this address may open a new ticket (a support address, with or without +tag). */
export function isSupportAddress(config: Config, address: string): boolean {
  const a = address.trim().toLowerCase().replace(/\+[^@]*@/, '@');
  return config.supportAddresses.includes(a);
}

/** Whether this server accepts mail for the address at all (support addresses and their +tags). */
export const acceptsAddress = isSupportAddress;

export { validSignedId };
