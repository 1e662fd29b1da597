import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db.js';
import { ticketColumns } from '../../platform/columns.js';
import type { Priority, Status, Ticket, TicketsTable } from '../../platform/db-types.js';
import type { Insertable } from 'kysely';
import { compiledOnce } from '../../platform/compiled-once.js';
import { AppError, invalid, notFound, Problems } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { isAgent } from '../accounts/actor.js';
import { requireVerified } from '../../permissions/guards.js';
import { canSeeTicket } from '../../permissions/tickets.js';
import { cachedGroupByKey } from '../accounts/groups.service.js';
import { AuditWriter } from './audit-writer.js';
import { checkFieldValues, formHasPriority, type CustomValues } from './field-values.js';
import { cachedDefaultFormId, cachedForm, type FormWithFields } from './forms.repository.js';
import { notifyTicketEvent } from './notifications.js';
import { canTransition } from './status-machine.js';
import type { NewTicketInput } from './ticket-input.js';
import { applyCcChanges, checkAssignee, checkComment, checkGroup, checkOrganization, resolveRequester, userIdForEmail, writeComment } from './ticket-parts.js';
import { loadTicketRelations } from './tickets.repository.js';
import { scheduleAutoClose } from './auto-close.js';
import { refreshTicketSla } from '../sla/engine.js';
import { runTicketWriteHooks } from './write-hooks.js';

const PRIVILEGED: (keyof NewTicketInput)[] = ['status', 'assigneeId', 'assigneeEmail', 'groupId', 'organizationId', 'doNotClose', 'tags', 'externalId', 'type', 'requesterId', 'requester'];

async function loadActiveForm(db: Executor, formId: number | undefined, forEndUser: boolean): Promise<FormWithFields> {
  const form = await cachedForm(db, formId ?? (await cachedDefaultFormId(db)));
  if (!form || !form.active || (forEndUser && !form.end_user_visible)) throw invalid('ticket_form_id', `Ticket form: ${formId} is not an available form`);
  return form;
}

/** A follow-up inherits what the closed ticket had, so the customer does not fill the form again. */
async function followupSource(tx: Executor, actor: Actor, sourceId: number): Promise<Ticket> {
  const source = await tx.selectFrom('tickets').selectAll().where('id', '=', sourceId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!source || !canSeeTicket(actor, source, await loadTicketRelations(tx, source.id, actor))) throw notFound();
  if (source.status !== 'closed') throw invalid('via_followup_source_id', 'Via followup source: only closed tickets can be followed up; reply to the ticket instead');
  return source;
}

/**
 * Creates a ticket with its first comment (the description), CCs and attachments, routed by its form's
 * workflow: Technical Support tickets go to the Technical Support group; Sales tickets wait New in the
 * Billing Queue (the Sales group) until an agent takes them.
 */
type NewTicketRow = Required<
  Pick<Insertable<TicketsTable>, 'form_id' | 'subject' | 'description' | 'priority' | 'type' | 'status' | 'requester_id' | 'submitter_id' | 'assignee_id' | 'group_id' | 'organization_id' | 'do_not_close' | 'via_channel' | 'via_followup_source_id' | 'external_id' | 'tags' | 'custom_fields' | 'solved_at' | 'updated_at'>
>;
/** Every new ticket's row, compiled once: all columns are always given. */
const insertTicket = compiledOnce((db, p: NewTicketRow) =>
  db
    .insertInto('tickets')
    .values({
      form_id: p.form_id,
      subject: p.subject,
      description: p.description,
      priority: p.priority,
      type: p.type,
      status: p.status,
      requester_id: p.requester_id,
      submitter_id: p.submitter_id,
      assignee_id: p.assignee_id,
      group_id: p.group_id,
      organization_id: p.organization_id,
      do_not_close: p.do_not_close,
      via_channel: p.via_channel,
      via_followup_source_id: p.via_followup_source_id,
      external_id: p.external_id,
      tags: p.tags,
      custom_fields: p.custom_fields,
      solved_at: p.solved_at,
      updated_at: p.updated_at,
    })
    .returning(ticketColumns),
);

export async function createTicket(
  ctx: AppContext,
  { actor, input, byEmail = false }: { actor: Actor; input: NewTicketInput; /** Sent from the requester's mailbox: no portal verification, form fields left to agents. */ byEmail?: boolean },
): Promise<{ ticket: Ticket; auditId: number }> {
  const agent = isAgent(actor);
  if (!agent) {
    if (!byEmail) requireVerified(actor);
    if (PRIVILEGED.some((k) => input[k] !== undefined)) throw new AppError('Forbidden', 'Only agents can set these ticket properties');
  }
  return ctx.db.transaction().execute(async (tx) => {
    const source = input.followupSourceId !== undefined ? await followupSource(tx, actor, input.followupSourceId) : null;
    const form = await loadActiveForm(tx, input.formId ?? (source ? source.form_id : undefined), !agent);
    const problems = new Problems();

    const comment = checkComment(input.comment, problems, 'description');
    const subject = (input.subject ?? source?.subject ?? (agent ? comment?.body.split('\n')[0].slice(0, 150) : undefined) ?? '').trim();
    if (!subject) problems.add('subject', 'Subject: cannot be blank', 'BlankValue');
    if (subject.length > 150) problems.add('subject', 'Subject: is too long (maximum is 150 characters)', 'ValueTooLong');

    let priority: Priority | null = input.priority ?? source?.priority ?? null;
    if (!formHasPriority(form) && !agent) priority = 'normal';
    if (!formHasPriority(form) && priority === null) priority = 'normal';
    const customFields: CustomValues = checkFieldValues(
      {
        form,
        current: source && source.form_id === form.id ? (source.custom_fields as CustomValues) : {},
        submitted: input.customFields ?? [],
        priority,
        portal: !agent,
        enforceRequired: !byEmail,
      },
      problems,
    );
    problems.throwIfAny();

    const requester = await resolveRequester(tx, input, actor.user);
    const groupId = input.groupId ?? (await cachedGroupByKey(tx, form.default_group_key))?.id ?? null;
    if (input.groupId) await checkGroup(tx, input.groupId);
    if (input.organizationId) await checkOrganization(tx, input.organizationId);
    const assigneeId = input.assigneeId ?? (input.assigneeEmail ? await userIdForEmail(tx, input.assigneeEmail) : null);
    if (assigneeId !== null) await checkAssignee(tx, assigneeId, groupId);

    let status: Status = assigneeId !== null ? 'open' : 'new';
    if (input.status && input.status !== 'new') {
      if (!canTransition('new', input.status, 'agent')) throw invalid('status', `Status: a new ticket cannot be created as ${input.status}`);
      status = input.status;
    }
    if (status === 'solved' && assigneeId === null) {
      throw invalid('base', 'Assignee: is required when solving a ticket', null, { ticket_field_type: 'FieldAssignee' });
    }

    const now = new Date();
    const [ticket] = await insertTicket(tx, {
      form_id: form.id,
      subject,
      description: comment!.body,
      priority,
      type: input.type ?? null,
      status,
      requester_id: requester.id,
      submitter_id: actor.user.id,
      assignee_id: assigneeId,
      group_id: groupId,
      organization_id: input.organizationId !== undefined ? input.organizationId : requester.organization_id,
      do_not_close: input.doNotClose ?? false,
      via_channel: input.via,
      via_followup_source_id: source?.id ?? null,
      external_id: input.externalId ?? null,
      tags: [...new Set(input.tags ?? source?.tags ?? [])],
      custom_fields: JSON.stringify(customFields),
      solved_at: status === 'solved' ? now : null,
      updated_at: new Date(Math.floor(now.getTime() / 1000) * 1000),
    });

    const audit = new AuditWriter();
    for (const [field, value] of Object.entries({
      subject, status, priority, type: ticket.type, requester_id: requester.id, group_id: groupId, assignee_id: assigneeId,
      organization_id: ticket.organization_id, ticket_form_id: form.id, tags: ticket.tags, do_not_close: ticket.do_not_close || null,
    })) audit.create(field, value);
    for (const [id, value] of Object.entries(customFields)) audit.create(id, value);
    if (source) audit.events.push({ type: 'FollowUp', field_name: 'via_followup_source_id', value: source.id });

    writeComment(
      { ticketId: ticket.id, author: actor.user, isPublic: input.comment.public ?? true, body: comment!.body, html: comment!.html, via: input.via, uploads: input.comment.uploads ?? [], uploaderId: actor.user.id, mailMessageId: input.comment.mailMessageId },
      audit,
    );
    const ccs = [...(input.ccs ?? [])];
    if (source) {
      const sourceCcs = await tx.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', '=', source.id).execute();
      ccs.unshift(...sourceCcs.map((c) => ({ userId: c.user_id, action: 'put' as const })));
    }
    await applyCcChanges(tx, ticket, ccs, audit);
    const auditId = await audit.write(tx, ticket.id, actor.user.id, input.via);
    await refreshTicketSla(tx, ctx, ticket.id, auditId);
    await runTicketWriteHooks(tx, ctx, { before: null, after: ticket, auditId });
    await afterCreate(tx, ctx, ticket, form);
    return { ticket, auditId };
  });
}

async function afterCreate(tx: Tx, ctx: AppContext, ticket: Ticket, form: FormWithFields): Promise<void> {
  await notifyTicketEvent(tx, ctx, ticket, { kind: 'created' });
  if (form.kind === 'sales' && ticket.status === 'new' && ticket.group_id) await notifyTicketEvent(tx, ctx, ticket, { kind: 'sales-queued' });
  if (ticket.assignee_id) await notifyTicketEvent(tx, ctx, ticket, { kind: 'assigned' });
  if (ticket.status === 'solved') await scheduleAutoClose(tx, ctx, ticket);
}
