import type { ExpressionBuilder } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db.js';
import type { Database, Ticket, User } from '../../platform/db-types.js';
import { queueMail } from '../mail/outbox.js';
import { refreshTicketSla } from '../sla/engine.js';
import { AuditWriter } from './audit-writer.js';
import { scheduleAutoClose } from './auto-close.js';
import { commentBodies, textToHtml } from './comment-body.js';
import { notifyTicketEvent, threadHeaders } from './notifications.js';
import { solveGuards } from './solve-guards.js';
import { writeComment } from './ticket-parts.js';
import { nextUpdatedAt, requesterAndCcIds } from './tickets.repository.js';
import { runTicketWriteHooks, ticketWriteHooks } from './write-hooks.js';

/**
 * Pending reminders and auto-solve (spec §5.2 proposal): a ticket waiting on its requester gets a
 * reminder at each PENDING_REMINDERS threshold and is solved at PENDING_AUTO_SOLVE, with a public
 * comment that says why. "Do not close" suppresses both. Time in pending runs from the latest entry
 * into pending (tickets.pending_since, kept by the write hook below), on the rule clock.
 */

export type PendingOutcome = 'reminded' | 'solved' | 'blocked' | 'skipped';

const DAY = 86_400_000;
const days = (ms: number) => (ms % DAY === 0 ? `${ms / DAY} day${ms === DAY ? '' : 's'}` : `${Math.round(ms / 3_600_000)} hours`);

/** Reminders due before auto-solve (one at or after it would be pointless). */
const reminderThresholds = (ctx: AppContext) => ctx.config.pendingRemindersMs.filter((ms) => ms < ctx.config.pendingAutoSolveMs);

// Entering pending (or clearing "do not close" while pending) starts the wait afresh; leaving pending
// ends it, so a customer reply that reopens the ticket resets the timer. Any other write while pending
// lifts a recorded auto-solve block: the assignment or guard that blocked it may have changed.
ticketWriteHooks.push(async (tx, ctx, { before, after }) => {
  const wasPending = before?.status === 'pending';
  let set: Partial<Pick<Ticket, 'pending_since' | 'pending_reminders_sent' | 'pending_auto_solve_blocked'>> | null = null;
  if (after.status === 'pending' && (!wasPending || (before!.do_not_close && !after.do_not_close))) {
    set = { pending_since: ctx.clock.now(), pending_reminders_sent: 0, pending_auto_solve_blocked: null };
  } else if (after.status !== 'pending' && (wasPending || after.pending_since)) {
    set = { pending_since: null, pending_reminders_sent: 0, pending_auto_solve_blocked: null };
  } else if (after.status === 'pending' && after.pending_auto_solve_blocked) {
    set = { pending_auto_solve_blocked: null };
  }
  if (set) await tx.updateTable('tickets').set(set).where('id', '=', after.id).execute();
});

/**
 * The `tickets.pending-sweep` job (every minute): finds tickets with a reminder or the auto-solve due
 * and handles each in its own transaction. Safe on several nodes at once: rows are claimed with
 * FOR UPDATE SKIP LOCKED and re-checked, and the count of reminders sent lives on the ticket.
 */
export async function sweepPendingTickets(ctx: AppContext, batch = 200): Promise<Record<PendingOutcome, number>> {
  const now = ctx.clock.now().getTime();
  const reminders = reminderThresholds(ctx);
  const before = (ms: number) => new Date(now - ms);
  const due = await ctx.db
    .selectFrom('tickets')
    .select('id')
    .where('status', '=', 'pending')
    .where('deleted_at', 'is', null)
    .where('do_not_close', '=', false)
    .where('pending_since', 'is not', null)
    .where((eb: ExpressionBuilder<Database, 'tickets'>) =>
      eb.or([
        ...reminders.map((ms, k) => eb.and([eb('pending_reminders_sent', '<=', k), eb('pending_since', '<=', before(ms))])),
        eb.and([eb('pending_since', '<=', before(ctx.config.pendingAutoSolveMs)), eb('pending_auto_solve_blocked', 'is', null)]),
      ]),
    )
    .orderBy('pending_since')
    .limit(batch)
    .execute();
  const counts: Record<PendingOutcome, number> = { reminded: 0, solved: 0, blocked: 0, skipped: 0 };
  for (const { id } of due) counts[await handlePendingTicket(ctx, id)]++;
  return counts;
}

/** Sends the reminder due now, or auto-solves; idempotent, so a ticket another sweep holds is skipped. */
export async function handlePendingTicket(ctx: AppContext, ticketId: number): Promise<PendingOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', ticketId)
      .where('status', '=', 'pending')
      .where('deleted_at', 'is', null)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!ticket || ticket.do_not_close || !ticket.pending_since) return 'skipped';
    const waited = ctx.clock.now().getTime() - ticket.pending_since.getTime();
    if (waited >= ctx.config.pendingAutoSolveMs) return ticket.pending_auto_solve_blocked ? 'skipped' : autoSolve(tx, ctx, ticket);
    const passed = reminderThresholds(ctx).filter((ms) => ms <= waited).length;
    if (passed <= ticket.pending_reminders_sent) return 'skipped';
    // Several thresholds passed at once (the sweep was down): one reminder, the latest, not a burst.
    await tx.updateTable('tickets').set({ pending_reminders_sent: passed }).where('id', '=', ticket.id).execute();
    await sendReminder(tx, ctx, ticket, passed);
    return 'reminded';
  });
}

/** The requester and CCs who still receive mail. */
async function customers(tx: Executor, ticket: Ticket): Promise<User[]> {
  return tx
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', requesterAndCcIds(ticket))
    .where('active', '=', true)
    .where('suspended', '=', false)
    .orderBy('id')
    .execute();
}

async function sendReminder(tx: Tx, ctx: AppContext, ticket: Ticket, reminder: number): Promise<void> {
  const question = await tx
    .selectFrom('ticket_comments')
    .innerJoin('users', 'users.id', 'ticket_comments.author_id')
    .select(['ticket_comments.body', 'users.name'])
    .where('ticket_comments.ticket_id', '=', ticket.id)
    .where('ticket_comments.public', '=', true)
    .where('users.role', '!=', 'end-user')
    .orderBy('ticket_comments.id', 'desc')
    .executeTakeFirst();
  const solveOn = new Date(ticket.pending_since!.getTime() + ctx.config.pendingAutoSolveMs).toISOString().slice(0, 10);
  const link = `${ctx.config.publicUrl}/requests/${ticket.id}`;
  const text = [
    `We are waiting for your reply on request #${ticket.id} "${ticket.subject}".`,
    ...(question ? [`${question.name} wrote:\n${question.body.slice(0, 4000)}`] : []),
    `Please reply to this email or on the request page so we can continue. If we do not hear from you, we will mark the request solved on ${solveOn}.`,
    `View your request: ${link}`,
  ].join('\n\n');
  const to = await customers(tx, ticket);
  const thread = await threadHeaders(tx, ctx, ticket.id);
  for (const u of to) {
    await queueMail(tx, mailContext(ctx), {
      ...thread,
      to: u.email,
      kind: 'pending-reminder',
      subject: `[Request #${ticket.id}] ${ticket.subject}`,
      text,
      html: textToHtml(text),
    });
  }
  const audit = new AuditWriter();
  const auditId = await audit.open(tx, ticket.id, null, 'rule', { rule: 'pending-reminder', reminder });
  audit.events.push({
    type: 'Notification',
    field_name: 'pending_reminder',
    value: { kind: 'pending-reminder', reminder, of: reminderThresholds(ctx).length, recipients: to.map((u) => u.id), pending_since: ticket.pending_since!.toISOString() },
  });
  await audit.flush(tx, auditId);
}

/** What stops a rule from solving: no assignee (the workflow requires one), or a solve guard such as an open escalation. */
async function solveBlocker(tx: Executor, ticket: Ticket): Promise<string | null> {
  if (ticket.assignee_id === null) return 'the ticket has no assignee';
  for (const guard of solveGuards) {
    const reason = await guard(tx, ticket.id);
    if (reason) return reason;
  }
  return null;
}

/**
 * Solves a ticket that waited PENDING_AUTO_SOLVE, as a rule (no author on the audit) with a public
 * comment in the assignee's name. Unassigned or guarded tickets are not solved: the reason is stored
 * on the ticket and in its history once, and retried after the next change to the ticket.
 */
async function autoSolve(tx: Tx, ctx: AppContext, ticket: Ticket): Promise<PendingOutcome> {
  const blocked = await solveBlocker(tx, ticket);
  const audit = new AuditWriter();
  if (blocked) {
    await tx.updateTable('tickets').set({ pending_auto_solve_blocked: blocked }).where('id', '=', ticket.id).execute();
    const auditId = await audit.open(tx, ticket.id, null, 'rule', { rule: 'pending-auto-solve', blocked });
    audit.change('pending_auto_solve_blocked', null, blocked);
    await audit.flush(tx, auditId);
    return 'blocked';
  }
  const assignee = await tx.selectFrom('users').selectAll().where('id', '=', ticket.assignee_id!).executeTakeFirstOrThrow();
  const comment = commentBodies({
    body: `We have not heard back from you for ${days(ctx.config.pendingAutoSolveMs)}, so we are marking this request as solved.\n\nIf you still need help, just reply and we will pick it up again.`,
  });
  const solved = await tx
    .updateTable('tickets')
    .set({ status: 'solved', solved_at: new Date(), updated_at: nextUpdatedAt(ticket.updated_at) })
    .where('id', '=', ticket.id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow();
  const auditId = await audit.open(tx, ticket.id, null, 'rule', { rule: 'pending-auto-solve', after_ms: ctx.config.pendingAutoSolveMs });
  audit.change('status', 'pending', 'solved');
  writeComment({ ticketId: ticket.id, author: assignee, isPublic: true, ...comment, via: 'rule', uploads: [], uploaderId: assignee.id }, audit);
  await audit.flush(tx, auditId);
  await refreshTicketSla(tx, ctx, ticket.id, auditId);
  await runTicketWriteHooks(tx, ctx, { before: ticket, after: solved, auditId });
  await notifyTicketEvent(tx, ctx, solved, { kind: 'public-reply', ...comment, author: assignee });
  await scheduleAutoClose(tx, ctx, solved);
  return 'solved';
}
