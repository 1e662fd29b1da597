import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';

type Filter = (eb: ExpressionBuilder<Database, 'tickets'>, actor: Actor) => Expression<SqlBool>;

export interface ViewDefinition {
  id: number;
  title: string;
  description: string;
  filter: Filter;
  sort: { by: SortKey; order: 'asc' | 'desc' };
  /** Its tickets depend on who asks (its filter reads the actor); the others are the same for every agent. */
  perAgent?: true;
}

export const SORT_KEYS = ['id', 'created_at', 'updated_at', 'priority', 'status', 'subject', 'sla_next_breach_at', 'solved_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * The form of a workflow, as `form_id = (scalar subquery)`: ticket_forms.kind is UNIQUE (and no route
 * changes it), so this is one id, computed once per statement (an InitPlan). The planner can then read
 * tickets_new_unassigned_idx (form_id, created_at, id) for that one form in created_at order and stop at
 * the page's LIMIT; with `form_id IN (SELECT …)` it joined and sorted every new unassigned ticket of the
 * form (~30k rows at 1M tickets) for each page. Nothing to cache or invalidate in the process.
 */
const ofForm = (eb: ExpressionBuilder<Database, 'tickets'>, kind: 'technical' | 'sales') =>
  eb('tickets.form_id', '=', eb.selectFrom('ticket_forms').select('ticket_forms.id').where('ticket_forms.kind', '=', kind));

/** The agent workspace's built-in queues, as data: the two workflows' entry queues first. */
export const VIEWS: readonly ViewDefinition[] = [
  {
    id: 1,
    title: 'Unassigned new technical',
    description: 'Technical Support requests nobody has picked up yet',
    filter: (eb) => eb.and([ofForm(eb, 'technical'), eb('tickets.status', '=', 'new'), eb('tickets.assignee_id', 'is', null)]),
    sort: { by: 'created_at', order: 'asc' },
  },
  {
    id: 2,
    title: 'My open',
    description: 'Open tickets assigned to you',
    filter: (eb, actor) => eb.and([eb('tickets.assignee_id', '=', actor.user.id), eb('tickets.status', 'in', ['new', 'open'])]),
    sort: { by: 'updated_at', order: 'asc' },
    perAgent: true,
  },
  { id: 3, title: 'Pending', description: 'Waiting on the customer', filter: (eb) => eb('tickets.status', '=', 'pending'), sort: { by: 'updated_at', order: 'asc' } },
  { id: 4, title: 'On hold', description: 'Waiting on an internal team such as Sustained Engineering', filter: (eb) => eb('tickets.status', '=', 'hold'), sort: { by: 'updated_at', order: 'asc' } },
  {
    id: 5,
    title: 'Billing Queue',
    description: 'New Sales Support requests waiting for a Sales agent to take them',
    filter: (eb) => eb.and([ofForm(eb, 'sales'), eb('tickets.status', '=', 'new'), eb('tickets.assignee_id', 'is', null)]),
    sort: { by: 'created_at', order: 'asc' },
  },
  { id: 6, title: 'All open', description: 'Every new and open ticket', filter: (eb) => eb('tickets.status', 'in', ['new', 'open']), sort: { by: 'updated_at', order: 'asc' } },
  {
    id: 7,
    title: 'Recently solved',
    description: 'Solved or closed in the last 7 days',
    filter: (eb) => eb.and([eb('tickets.status', 'in', ['solved', 'closed']), eb('tickets.solved_at', '>', sql<Date>`now() - interval '7 days'`)]),
    // The latest solve first: sorted on the column it filters on, every page is one range of
    // tickets_solved_or_closed_solved_idx (solved_at, id), in either direction (0029).
    sort: { by: 'solved_at', order: 'desc' },
  },
  {
    id: 8,
    title: 'Breaching soon',
    description: 'Running SLA targets due within the next 2 hours, or already breached and still unanswered',
    filter: (eb) =>
      eb.and([
        eb('tickets.status', 'not in', ['solved', 'closed']),
        eb.or([eb('tickets.sla_breached_since', 'is not', null), eb('tickets.sla_next_breach_at', '<', sql<Date>`now() + interval '2 hours'`)]),
      ]),
    sort: { by: 'sla_next_breach_at', order: 'asc' },
  },
];

/** Urgent first when sorting by priority descending; tickets without a priority last. */
export const priorityRank = sql<number>`CASE tickets.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;
