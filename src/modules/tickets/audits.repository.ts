import type { ExpressionBuilder } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../platform/db-types.js';
import { commentAttachments } from './comments.repository.js';

/**
 * An audit's events (in id order) as a JSON column of a `ticket_audits` query, a comment event with
 * its comment and the comment's files: audits, events and comments in one statement.
 */
export const auditEvents = (eb: ExpressionBuilder<Database, 'ticket_audits'>) =>
  jsonArrayFrom(
    eb
      .selectFrom('ticket_audit_events as e')
      .select(['e.id', 'e.type', 'e.field_name', 'e.value', 'e.previous_value', 'e.comment_id'])
      .select((ev) => jsonObjectFrom(ev.selectFrom('ticket_comments').selectAll('ticket_comments').select(commentAttachments).whereRef('ticket_comments.id', '=', 'e.comment_id')).as('comment'))
      .whereRef('e.audit_id', '=', 'ticket_audits.id')
      .orderBy('e.id'),
  ).as('events');
