import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import { queueMail } from '../mail/outbox.js';
import { WARNING_SHARE, type Instance } from './clocks.js';

export interface SlaWarning {
  ticketId: number;
  metric: string;
  instance: number;
  breachAt: Date;
}

/**
 * Called once per warning, in the transaction that records it. The escalation module registers
 * Premier on-call paging here; handlers must only enqueue work (jobs), never call out directly.
 */
export const slaWarningHooks: ((tx: Executor, ctx: AppContext, warning: SlaWarning) => Promise<void>)[] = [];

const LABELS: Record<string, string> = {
  first_reply_time: 'First reply',
  next_reply_time: 'Next reply',
  pausable_update_time: 'Regular update',
  periodic_update_time: 'Periodic update',
  requester_wait_time: 'Requester wait',
  agent_work_time: 'Agent work',
};

/** Records and announces warnings for running targets past 75 % that have not been warned yet. */
export async function raiseWarnings(tx: Executor, ctx: AppContext, ticketId: number, instances: Instance[]): Promise<number> {
  const due = instances.filter((i) => i.stage === 'active' && !i.breached && i.target && i.breachAt && i.elapsedMs >= WARNING_SHARE * i.target.minutes * 60_000);
  let raised = 0;
  for (const i of due) {
    const row = await tx
      .insertInto('sla_warnings')
      .values({ ticket_id: ticketId, metric: i.metric, instance_id: i.instance, breach_at: i.breachAt! })
      .onConflict((oc) => oc.columns(['ticket_id', 'metric', 'instance_id']).doNothing())
      .returning('ticket_id')
      .executeTakeFirst();
    if (!row) continue;
    raised++;
    const warning = { ticketId, metric: i.metric, instance: i.instance, breachAt: i.breachAt! };
    await mailAssignee(tx, ctx, warning);
    for (const hook of slaWarningHooks) await hook(tx, ctx, warning);
  }
  return raised;
}

async function mailAssignee(tx: Executor, ctx: AppContext, w: SlaWarning): Promise<void> {
  const ticket = await tx
    .selectFrom('tickets')
    .innerJoin('users', 'users.id', 'tickets.assignee_id')
    .select(['tickets.id', 'tickets.subject', 'users.email', 'users.name'])
    .where('tickets.id', '=', w.ticketId)
    .executeTakeFirst();
  if (!ticket) return;
  const label = LABELS[w.metric] ?? w.metric;
  const link = `${ctx.config.publicUrl}/agent/tickets/${ticket.id}`;
  const due = w.breachAt.toISOString().replace('T', ' ').slice(0, 16);
  await queueMail(tx, mailContext(ctx), {
    to: ticket.email,
    kind: 'sla-warning',
    ticketId: ticket.id,
    subject: `[SLA] ${label} on ticket #${ticket.id} is due at ${due} UTC`,
    text: `${ticket.name}, 75% of the ${label.toLowerCase()} target on ticket #${ticket.id} "${ticket.subject}" has passed. It breaches at ${due} UTC.\n\n${link}`,
  });
}
