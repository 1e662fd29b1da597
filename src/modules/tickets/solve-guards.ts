import type { Executor } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';

/**
 * Objections to solving a ticket, registered by other modules (an open engineering escalation).
 * Each returns a reason or null. An agent may override them with a reason, which the audit keeps.
 */
export const solveGuards: ((tx: Executor, ticketId: number) => Promise<string | null>)[] = [];

export async function checkSolveGuards(tx: Executor, ticketId: number, overrideReason: string | undefined): Promise<void> {
  if (overrideReason?.trim()) return;
  for (const guard of solveGuards) {
    const reason = await guard(tx, ticketId);
    if (reason) throw invalid('status', `Status: ${reason}. Give solve_override_reason to solve anyway.`, 'SolveBlocked');
  }
}
