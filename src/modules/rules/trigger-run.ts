import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db.js';
import type { Ticket, User } from '../../platform/db-types.js';
import { queueMails } from '../mail/outbox.js';
import { refreshTicketSla } from '../sla/engine.js';
import { AuditWriter } from '../tickets/audit-writer.js';
import { scheduleAutoClose } from '../tickets/auto-close.js';
import { textToHtml } from '../tickets/comment-body.js';
import { notifyTicketEvent, threadHeaders } from '../tickets/notifications.js';
import { nextUpdatedAt, requesterAndCcIds } from '../tickets/tickets.repository.js';
import { runTicketWriteHooks } from '../tickets/write-hooks.js';
import { conditionsHold } from './conditions.js';
import { loadPlaceholderData, placeholderValues, renderPlaceholders } from './placeholders.js';
import type { Trigger } from './rules.presenter.js';
import { ActionContext, applyTrigger, changesTicket, type TriggerEffect } from './trigger-actions.js';
import { ruleStateOf } from './trigger-state.js';
import { queueWebhookInvocation } from './webhook-delivery.js';

/**
 * Loop guard: each trigger fires at most once per update, which already ends every cycle; this caps
 * the work of one update however many triggers an account has.
 */
export const MAX_FIRES_PER_UPDATE = 100;

/** Metadata of the audits a trigger writes; the write hook recognises them by `trigger_id`. */
export const triggerAuditMetadata = (t: Trigger, sourceAuditId: number) => ({ rule: 'trigger', trigger_id: t.id, trigger_title: t.title, source_audit_id: sourceAuditId });

/**
 * Zendesk's trigger cycle for one ticket update (the triggers.run job, after the update committed):
 * active triggers are checked in position order; when one fires, its actions apply and the check
 * starts over from the first trigger, skipping those that already fired. The result is written as
 * one rule audit per fired trigger (no author, via `rule`, metadata {trigger_id, trigger_title}),
 * then its emails and webhook calls are queued with placeholders filled from the final ticket.
 * Idempotent: trigger_runs records the audit, so a retried or duplicate job does nothing.
 */
export async function runTriggers(ctx: AppContext, auditId: number): Promise<number[] | null> {
  return ctx.db.transaction().execute(async (tx) => {
    const audit = await tx.selectFrom('ticket_audits').selectAll().where('id', '=', auditId).executeTakeFirst();
    if (!audit) return null;
    // The ticket row lock orders this run with other writes and runs of the same ticket.
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', audit.ticket_id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!ticket) return null;
    const claimed = await tx.insertInto('trigger_runs').values({ audit_id: audit.id, ticket_id: ticket.id }).onConflict((oc) => oc.column('audit_id').doNothing()).returning('audit_id').executeTakeFirst();
    if (!claimed) return null;
    const triggers = await tx.selectFrom('triggers').selectAll().where('active', '=', true).orderBy('position').orderBy('id').execute();
    if (!triggers.length) return [];

    const state = await ruleStateOf(tx, audit, ticket);
    const ac = new ActionContext(tx, ticket.id);
    const effects: TriggerEffect[] = [];
    const fired = new Set<number>();
    const skipped: TriggerEffect['skipped'] = [];
    for (let restart = true; restart; ) {
      restart = false;
      if (effects.length >= MAX_FIRES_PER_UPDATE) {
        skipped.push({ trigger_id: 0, field: 'cycle', reason: `stopped after ${MAX_FIRES_PER_UPDATE} triggers fired for one update` });
        break;
      }
      for (const trigger of triggers) {
        if (fired.has(trigger.id) || !conditionsHold(state, trigger.conditions)) continue;
        fired.add(trigger.id);
        const effect = await applyTrigger(ac, state, trigger);
        effects.push(effect);
        skipped.push(...effect.skipped);
        restart = true;
        break;
      }
    }

    let current = ticket;
    const auditIds = new Map<TriggerEffect, number>();
    for (const effect of effects) {
      if (!changesTicket(effect)) continue;
      const written = await writeEffect(tx, ctx, current, effect, audit.id);
      auditIds.set(effect, written.auditId);
      current = written.ticket;
    }
    await sendEffects(tx, ctx, current, audit.author_id, effects, auditIds, audit.id);
    await tx.updateTable('trigger_runs').set({ fired: [...fired], skipped: JSON.stringify(skipped) }).where('audit_id', '=', audit.id).execute();
    return [...fired];
  });
}

/** Writes one trigger's ticket changes as a rule update, with the same follow-ups as any update. */
async function writeEffect(tx: Tx, ctx: AppContext, ticket: Ticket, effect: TriggerEffect, sourceAuditId: number): Promise<{ ticket: Ticket; auditId: number }> {
  const a = effect.after;
  const solvedNow = a.status === 'solved' && ticket.status !== 'solved';
  const updated = await tx
    .updateTable('tickets')
    .set({
      status: a.status as Ticket['status'],
      priority: a.priority as Ticket['priority'],
      type: a.type as Ticket['type'],
      group_id: a.group_id,
      assignee_id: a.assignee_id,
      tags: a.tags,
      custom_fields: JSON.stringify(a.custom_fields),
      solved_at: solvedNow ? new Date() : a.status === 'solved' ? ticket.solved_at : null,
      updated_at: nextUpdatedAt(ticket.updated_at),
    })
    .where('id', '=', ticket.id)
    .where('updated_at', '=', ticket.updated_at)
    .returningAll()
    .executeTakeFirstOrThrow(); // the row is locked by this run: the compare-and-set cannot miss

  const audit = new AuditWriter();
  const auditId = await audit.open(tx, ticket.id, null, 'rule', triggerAuditMetadata(effect.trigger, sourceAuditId));
  for (const field of ['status', 'priority', 'type', 'group_id', 'assignee_id', 'tags'] as const) audit.change(field, ticket[field], updated[field]);
  const before = ticket.custom_fields as Record<string, unknown>;
  const after = updated.custom_fields as Record<string, unknown>;
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) audit.change(id, before[id], after[id]);
  await audit.flush(tx, auditId);
  if (updated.status !== ticket.status || updated.priority !== ticket.priority) await refreshTicketSla(tx, ctx, ticket.id, auditId);
  await runTicketWriteHooks(tx, ctx, { before: ticket, after: updated, auditId });
  if (updated.assignee_id && updated.assignee_id !== ticket.assignee_id) await notifyTicketEvent(tx, ctx, updated, { kind: 'assigned' });
  if (solvedNow) {
    await notifyTicketEvent(tx, ctx, updated, { kind: 'solved' });
    await scheduleAutoClose(tx, ctx, updated);
  }
  return { ticket: updated, auditId };
}

/** Who a notification action mails. */
async function recipientsOf(tx: Executor, ticket: Ticket, updaterId: number | null, mail: TriggerEffect['mails'][number]): Promise<User[]> {
  const users = tx.selectFrom('users').selectAll().where('active', '=', true).where('suspended', '=', false);
  if (mail.kind === 'group') {
    const groupId = mail.recipient === 'group_id' ? ticket.group_id : Number(mail.recipient);
    if (!groupId) return [];
    return users.where('id', 'in', tx.selectFrom('group_memberships').select('user_id').where('group_id', '=', groupId)).where('role', 'in', ['agent', 'admin']).execute();
  }
  switch (mail.recipient) {
    case 'requester_id':
      return users.where('id', '=', ticket.requester_id).execute();
    case 'requester_and_ccs':
      return users.where('id', 'in', requesterAndCcIds(ticket)).execute();
    case 'assignee_id':
      return ticket.assignee_id ? users.where('id', '=', ticket.assignee_id).execute() : [];
    case 'current_user':
      return updaterId ? users.where('id', '=', updaterId).execute() : [];
    case 'all_agents':
      return users.where('role', 'in', ['agent', 'admin']).execute();
    default:
      return /^\d+$/.test(mail.recipient) ? users.where('id', '=', Number(mail.recipient)).execute() : [];
  }
}

/**
 * Queues the emails and webhook calls of the fired triggers, rendered against the ticket as the
 * whole cycle left it, and records them as Notification events on each trigger's audit.
 */
async function sendEffects(tx: Tx, ctx: AppContext, ticket: Ticket, updaterId: number | null, effects: TriggerEffect[], auditIds: Map<TriggerEffect, number>, sourceAuditId: number): Promise<void> {
  const sending = effects.filter((e) => e.mails.length || e.webhooks.length);
  if (!sending.length) return;
  const values = placeholderValues(await loadPlaceholderData(tx, ctx.config.publicUrl, ticket, updaterId));
  const thread = await threadHeaders(tx, ctx, ticket.id);
  for (const effect of sending) {
    const events = new AuditWriter();
    for (const mail of effect.mails) {
      const to = await recipientsOf(tx, ticket, updaterId, mail);
      const subject = renderPlaceholders(mail.subject, values).replace(/[\r\n]+/g, ' ').slice(0, 250);
      const body = renderPlaceholders(mail.body, values);
      await queueMails(tx, mailContext(ctx), to.map((user) => ({ to: user.email, subject, text: body, html: textToHtml(body), kind: 'trigger', ...thread })));
      if (to.length) events.events.push({ type: 'Notification', field_name: mail.kind === 'user' ? 'notification_user' : 'notification_group', value: { kind: 'trigger', subject, body, recipients: to.map((u) => u.id) } });
    }
    for (const hook of effect.webhooks) {
      const invocationId = await queueWebhookInvocation(tx, ctx, { webhookId: hook.webhookId, template: hook.body, values, ticketId: ticket.id, triggerId: effect.trigger.id, auditId: sourceAuditId });
      if (invocationId) events.events.push({ type: 'Notification', field_name: 'notification_webhook', value: { kind: 'webhook', webhook_id: hook.webhookId, invocation_id: invocationId } });
    }
    if (!events.events.length) continue;
    const auditId = auditIds.get(effect) ?? (await events.open(tx, ticket.id, null, 'rule', triggerAuditMetadata(effect.trigger, sourceAuditId)));
    await events.flush(tx, auditId);
  }
}
