import type { ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../platform/db-types.js';

/** An audit's events (in id order) as a JSON column of a `ticket_audits` query: audits and events in one statement. */
export const auditEvents = (eb: ExpressionBuilder<Database, 'ticket_audits'>) =>
  jsonArrayFrom(
    eb
      .selectFrom('ticket_audit_events as e')
      .select(['e.id', 'e.type', 'e.field_name', 'e.value', 'e.previous_value', 'e.comment_id'])
      .whereRef('e.audit_id', '=', 'ticket_audits.id')
      .orderBy('e.id'),
  ).as('events');
