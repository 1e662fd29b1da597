import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';

export interface TicketWrite {
  /** null when the ticket was just created. */
  before: Ticket | null;
  after: Ticket;
  auditId: number;
}

/**
 * Rules that react to a ticket write (Premier paging, shift routing), registered by their modules.
 * They run in the writing transaction, after the audit and SLA refresh, and must only record state
 * and enqueue jobs: the outside world hears about a change only once it has committed.
 */
export const ticketWriteHooks: ((tx: Executor, ctx: AppContext, write: TicketWrite) => Promise<void>)[] = [];

export async function runTicketWriteHooks(tx: Executor, ctx: AppContext, write: TicketWrite): Promise<void> {
  for (const hook of ticketWriteHooks) await hook(tx, ctx, write);
}
