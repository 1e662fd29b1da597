import type { Executor } from '../../platform/db.js';
import type { Selectable } from 'kysely';
import type { Ticket, TicketAuditsTable } from '../../platform/db-types.js';
import { latestRatings } from '../satisfaction/ratings.repository.js';
import type { RuleState, RuleTicket } from './conditions.js';

export type Audit = Selectable<TicketAuditsTable>;

/** The condition field an audit event's field_name stands for (custom fields are stored by id). */
function conditionField(fieldName: string | null): string | null {
  if (!fieldName) return null;
  if (/^\d+$/.test(fieldName)) return `custom_fields_${fieldName}`;
  if (fieldName === 'satisfaction_rating') return 'satisfaction_score';
  return fieldName;
}

export const ruleTicketOf = (t: Ticket): RuleTicket => ({
  status: t.status,
  priority: t.priority,
  type: t.type,
  group_id: t.group_id,
  assignee_id: t.assignee_id,
  requester_id: t.requester_id,
  organization_id: t.organization_id,
  form_id: t.form_id,
  tags: [...t.tags],
  custom_fields: { ...(t.custom_fields as Record<string, unknown>) },
  subject: t.subject,
  description: t.description,
  via_channel: t.via_channel,
});

/**
 * How one update (an audit) looks to trigger conditions: the ticket as it is now, what the update
 * changed (from its Change/Create events), who made it and through which channel, and its comment.
 */
export async function ruleStateOf(tx: Executor, audit: Audit, ticket: Ticket): Promise<RuleState> {
  const events = await tx.selectFrom('ticket_audit_events').selectAll().where('audit_id', '=', audit.id).orderBy('id').execute();
  const earlier = await tx.selectFrom('ticket_audits').select('id').where('ticket_id', '=', ticket.id).where('id', '<', audit.id).limit(1).executeTakeFirst();
  const previous = new Map<string, unknown>();
  let commentId: number | null = null;
  for (const e of events) {
    const field = conditionField(e.field_name);
    if (e.type === 'Change' && field) previous.set(field, e.previous_value);
    else if (e.type === 'Create' && field) previous.set(field, null);
    else if (e.type === 'SatisfactionRating' && field) {
      const v = (e.value ?? {}) as { score?: string; previous?: { score?: string } | null };
      previous.set('satisfaction_score', v.previous?.score ?? (v.score === 'offered' ? 'unoffered' : 'offered'));
    } else if (e.type === 'Comment' && e.comment_id && commentId === null) commentId = e.comment_id;
  }
  const comment = commentId ? await tx.selectFrom('ticket_comments').select(['body', 'public']).where('id', '=', commentId).executeTakeFirst() : undefined;
  const updater = audit.author_id ? await tx.selectFrom('users').select(['id', 'role']).where('id', '=', audit.author_id).executeTakeFirst() : undefined;
  const rating = (await latestRatings(tx, [ticket.id])).get(ticket.id);
  return {
    ticket: ruleTicketOf(ticket),
    previous,
    isCreate: !earlier,
    updater: { id: updater?.id ?? null, role: updater?.role ?? null },
    updateVia: audit.via_channel,
    comment: comment ?? null,
    satisfaction: rating?.score ?? 'unoffered',
  };
}
