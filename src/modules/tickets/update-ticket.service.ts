import type { AppContext } from '../../platform/context.js';
import type { Status, Ticket, User } from '../../platform/db-types.js';
import type { Tx } from '../../platform/db.js';
import { checkSolveGuards } from './solve-guards.js';
import { AppError, invalid, notFound, Problems } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { isAgent } from '../accounts/actor.js';
import { findUser } from '../accounts/users.service.js';
import { requireVerified } from '../../permissions/guards.js';
import { canCommentOnTicket, canSeeTicket } from '../../permissions/tickets.js';
import { AuditWriter, type TicketChange } from './audit-writer.js';
import { ticketColumns } from '../../platform/columns.js';
import { scheduleAutoClose } from './auto-close.js';
import { refreshTicketSla } from '../sla/engine.js';
import { runTicketWriteHooks } from './write-hooks.js';
import { createTicket } from './create-ticket.service.js';
import { checkFieldValues, type CustomValues } from './field-values.js';
import { cachedForm } from './forms.repository.js';
import { notifyTicketEvent } from './notifications.js';
import { canTransition, REOPENED_BY_CUSTOMER_COMMENT } from './status-machine.js';
import type { TicketChanges } from './ticket-input.js';
import { applyCcChanges, checkAssignee, checkComment, checkGroup, checkOrganization, userIdForEmail, writeComment, type WrittenComment } from './ticket-parts.js';
import { loadTicketRelations, lockTicket, nextUpdatedAt } from './tickets.repository.js';

/** What end users may change on their requests: reply, CCs, and "this solved my problem". */
const CUSTOMER_KEYS = new Set<keyof TicketChanges>(['comment', 'ccs', 'solvedByRequester']);
/** Closed tickets are immutable but for tags (Zendesk also allows subject and priority for reporting fixes). */
const CLOSED_KEYS = new Set<keyof TicketChanges>(['tags', 'subject', 'priority']);

export interface UpdateOutcome {
  ticket: Ticket;
  auditId: number | null;
  /** Set when a reply to a closed request opened a follow-up ticket instead. */
  followUp?: Ticket;
}

export const conflict = () =>
  new AppError('Conflict', 'Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.');

/** Every editable column, set from the row as changed (a fixed shape, so compiled once). */
type TicketWrite = Pick<Ticket, 'id' | 'subject' | 'priority' | 'type' | 'status' | 'assignee_id' | 'group_id' | 'organization_id' | 'form_id' | 'do_not_close' | 'tags' | 'external_id' | 'solved_at'> & {
  /** updated_at as read under the lock: the row is written only if it still holds it. */
  was: Date;
  custom_fields: string;
};
const ticketChange =
  (p: TicketWrite): TicketChange =>
  (db) =>
    db
      .updateTable('tickets')
    .set({
      subject: p.subject,
      priority: p.priority,
      type: p.type,
      status: p.status,
      assignee_id: p.assignee_id,
      group_id: p.group_id,
      organization_id: p.organization_id,
      form_id: p.form_id,
      do_not_close: p.do_not_close,
      tags: p.tags,
      external_id: p.external_id,
      custom_fields: p.custom_fields,
      solved_at: p.solved_at,
      updated_at: nextUpdatedAt(p.was),
    })
    .where('id', '=', p.id)
    .where('updated_at', '=', p.was)
    .returning(ticketColumns);

/**
 * Applies one change set to a ticket in one transaction: field edits, assignment, CCs, a comment with
 * attachments and the status the workflow implies, with an audit of every change. The row is locked
 * and the UPDATE is compare-and-set on `updated_at`, so concurrent writers serialize and never lose work.
 */
export async function updateTicket(
  ctx: AppContext,
  args: {
    actor: Actor;
    ticketId: number;
    changes: TicketChanges;
    via: string;
    safeUpdate?: boolean;
    updatedStamp?: Date;
    /** Runs inside the same transaction after the change is written (e.g. an escalation row). */
    within?: (tx: Tx, ticket: Ticket) => Promise<void>;
    /** A reply from the customer's mailbox: allowed before they verify a portal account. */
    byEmail?: boolean;
  },
): Promise<UpdateOutcome> {
  const { actor, changes } = args;
  const agent = isAgent(actor);
  const keys = (Object.keys(changes) as (keyof TicketChanges)[]).filter((k) => changes[k] !== undefined);
  if (!agent && keys.some((k) => !CUSTOMER_KEYS.has(k))) throw new AppError('Forbidden', 'Customers can only reply, add CCs or mark a request solved');

  const outcome = await ctx.db.transaction().execute(async (tx): Promise<UpdateOutcome | { followUpFrom: Ticket }> => {
    const ticket = await lockTicket(tx, args.ticketId);
    if (!ticket) throw notFound();
    const rel = await loadTicketRelations(tx, ticket.id, actor);
    if (!canSeeTicket(actor, ticket, rel)) throw notFound();
    if (!agent) {
      if (!args.byEmail) requireVerified(actor);
      if (changes.comment && !canCommentOnTicket(actor, ticket, rel)) throw new AppError('Forbidden', 'You can view this request but not comment on it');
    }
    if (args.safeUpdate && args.updatedStamp && ticket.updated_at.getTime() > args.updatedStamp.getTime()) throw conflict();
    // Nothing to change: no audit, no new stamp.
    if (!keys.length) return { ticket, auditId: null };

    if (ticket.status === 'closed') {
      if (!agent && changes.comment) return { followUpFrom: ticket };
      if (keys.some((k) => !CLOSED_KEYS.has(k))) throw invalid('status', 'Status: closed prevents ticket update');
    }

    const problems = new Problems();
    const comment = changes.comment ? checkComment(changes.comment, problems) : null;
    const subject = changes.subject?.trim();
    if (subject !== undefined && !subject) problems.add('subject', 'Subject: cannot be blank', 'BlankValue');
    if (subject && subject.length > 150) problems.add('subject', 'Subject: is too long (maximum is 150 characters)', 'ValueTooLong');
    if (changes.priority === null && ticket.priority !== null) problems.add('priority', 'Priority: once set it can be changed but not removed');

    const formId = changes.formId ?? ticket.form_id;
    const form = await cachedForm(tx, formId);
    if (!form || !form.active) throw invalid('ticket_form_id', `Ticket form: ${formId} is not an available form`);
    const customFields: CustomValues = changes.customFields
      ? checkFieldValues({ form, current: ticket.custom_fields as CustomValues, submitted: changes.customFields, priority: ticket.priority, portal: false, enforceRequired: false }, problems)
      : (ticket.custom_fields as CustomValues);
    problems.throwIfAny();

    // Group and assignee: changing group drops an assignee who is not in it; assigning picks a group.
    let groupId = changes.groupId !== undefined ? changes.groupId : ticket.group_id;
    if (changes.groupId) await checkGroup(tx, changes.groupId);
    if (changes.organizationId) await checkOrganization(tx, changes.organizationId);
    let assigneeId = changes.assigneeId !== undefined ? changes.assigneeId : ticket.assignee_id;
    if (changes.assigneeEmail) assigneeId = await userIdForEmail(tx, changes.assigneeEmail);
    if (assigneeId !== null && assigneeId !== ticket.assignee_id) {
      const assignee = await checkAssignee(tx, assigneeId, groupId);
      if (groupId === null) groupId = assignee.default_group_id;
    } else if (assigneeId !== null && groupId !== ticket.group_id && groupId !== null) {
      const member = await tx.selectFrom('group_memberships').select('id').where('user_id', '=', assigneeId).where('group_id', '=', groupId).executeTakeFirst();
      if (!member) assigneeId = null; // moved to a group the assignee is not in
    }

    const author = await commentAuthor(tx, actor, changes.comment?.authorId);
    const isPublic = agent ? (changes.comment?.public ?? true) : true;
    const status = nextStatus({ ticket, changes, agent, assigneeId, customerComment: !!comment && author.role === 'end-user' });
    if (status === 'solved' && assigneeId === null) throw invalid('base', 'Assignee: is required when solving a ticket', null, { ticket_field_type: 'FieldAssignee' });
    if (status === 'solved' && ticket.status !== 'solved') await checkSolveGuards(tx, ticket.id, changes.solveOverrideReason);

    const write: TicketWrite = {
      id: ticket.id,
      was: ticket.updated_at,
      subject: subject ?? ticket.subject,
      priority: changes.priority !== undefined ? changes.priority : ticket.priority,
      type: changes.type !== undefined ? changes.type : ticket.type,
      status,
      assignee_id: assigneeId,
      group_id: groupId,
      organization_id: changes.organizationId !== undefined ? changes.organizationId : ticket.organization_id,
      form_id: formId,
      do_not_close: changes.doNotClose ?? ticket.do_not_close,
      tags: changes.tags ? [...new Set(changes.tags)] : ticket.tags,
      external_id: changes.externalId !== undefined ? changes.externalId : ticket.external_id,
      custom_fields: JSON.stringify(customFields),
      solved_at: status === 'solved' && ticket.status !== 'solved' ? new Date() : status === 'solved' ? ticket.solved_at : null,
    };
    // The audit is collected from the change as it will be written, and written with it in one statement.
    const audit = new AuditWriter();
    for (const field of ['subject', 'priority', 'type', 'status', 'assignee_id', 'group_id', 'organization_id', 'do_not_close', 'tags', 'external_id'] as const) {
      audit.change(field, ticket[field], write[field]);
    }
    audit.change('ticket_form_id', ticket.form_id, write.form_id);
    for (const [id, value] of Object.entries(customFields)) audit.change(id, (ticket.custom_fields as CustomValues)[id], value);

    let written: WrittenComment | null = null;
    if (comment && changes.comment) {
      written = writeComment(
        { ticketId: ticket.id, author, isPublic, body: comment.body, html: comment.html, via: args.via, uploads: changes.comment.uploads ?? [], uploaderId: actor.user.id, mailMessageId: changes.comment.mailMessageId },
        audit,
      );
    }
    if (changes.ccs) await applyCcChanges(tx, ticket, changes.ccs, audit);
    const metadata = changes.solveOverrideReason ? { solve_override_reason: changes.solveOverrideReason } : {};
    const { auditId, ticket: updated } = await audit.writeWithChange(tx, ticket.id, actor.user.id, args.via, metadata, ticketChange(write));
    if (!updated) throw conflict();
    if (args.within) await args.within(tx, updated);
    // Only public comments, status, priority and the organization (plan, time zone) move SLA clocks;
    // internal notes and field edits skip the replay (breaches still arrive through their job).
    const movesClocks = written?.public || updated.status !== ticket.status || updated.priority !== ticket.priority || updated.organization_id !== ticket.organization_id;
    if (movesClocks) await refreshTicketSla(tx, ctx, ticket.id, auditId);
    await runTicketWriteHooks(tx, ctx, { before: ticket, after: updated, auditId });

    if (written?.public && !written.authorIsEndUser) await notifyTicketEvent(tx, ctx, updated, { kind: 'public-reply', body: written.body, html: written.html, author });
    if (written?.authorIsEndUser) await notifyTicketEvent(tx, ctx, updated, { kind: 'customer-reply', body: written.body, author });
    if (updated.assignee_id && updated.assignee_id !== ticket.assignee_id && updated.assignee_id !== actor.user.id) await notifyTicketEvent(tx, ctx, updated, { kind: 'assigned' });
    if (updated.status === 'solved' && ticket.status !== 'solved') {
      if (!written?.public) await notifyTicketEvent(tx, ctx, updated, { kind: 'solved' });
      await scheduleAutoClose(tx, ctx, updated);
    }
    return { ticket: updated, auditId };
  });

  if ('followUpFrom' in outcome) {
    const { ticket: followUp } = await createTicket(ctx, {
      actor,
      byEmail: args.byEmail,
      input: { via: args.via, followupSourceId: outcome.followUpFrom.id, comment: { ...changes.comment!, public: true } },
    });
    return { ticket: outcome.followUpFrom, auditId: null, followUp };
  }
  return outcome;
}

async function commentAuthor(tx: Parameters<typeof checkAssignee>[0], actor: Actor, authorId: number | undefined): Promise<User> {
  if (authorId === undefined || authorId === actor.user.id || !isAgent(actor)) return actor.user;
  const user = await findUser(tx, authorId);
  if (!user) throw invalid('comment.author_id', `Author: user ${authorId} does not exist`);
  return user;
}

/** The workflow's status after this change (spec §5.3). */
function nextStatus(a: { ticket: Ticket; changes: TicketChanges; agent: boolean; assigneeId: number | null; customerComment: boolean }): Status {
  const from = a.ticket.status;
  if (a.changes.solvedByRequester) {
    if (!canTransition(from, 'solved', 'end_user')) throw invalid('status', `Status: a ${from} request cannot be marked solved`);
    return 'solved';
  }
  if (a.agent && a.changes.status && a.changes.status !== from) {
    if (!canTransition(from, a.changes.status, 'agent')) throw invalid('status', `Status: cannot change from ${from} to ${a.changes.status}`);
    return a.changes.status;
  }
  if (a.customerComment && REOPENED_BY_CUSTOMER_COMMENT.has(from)) return 'open';
  if (from === 'new' && a.assigneeId !== null) return 'open';
  return from;
}
