import type { Status } from '../../platform/db-types.js';

export type StatusActor = 'agent' | 'end_user' | 'system';

/**
 * The ticket lifecycle as data (spec §5.3): who may move a ticket from one status to another.
 * Anything not listed is refused. `new` is never re-entered; `closed` is only reached by the system
 * and never left (a reply to a closed ticket becomes a follow-up ticket instead).
 */
export const transitions: ReadonlyArray<{ from: Status; to: Status; by: readonly StatusActor[] }> = [
  { from: 'new', to: 'open', by: ['agent', 'system'] },
  { from: 'new', to: 'pending', by: ['agent'] },
  { from: 'new', to: 'hold', by: ['agent'] },
  { from: 'new', to: 'solved', by: ['agent', 'end_user'] },
  { from: 'open', to: 'pending', by: ['agent'] },
  { from: 'open', to: 'hold', by: ['agent'] },
  { from: 'open', to: 'solved', by: ['agent', 'end_user'] },
  { from: 'pending', to: 'open', by: ['agent', 'end_user'] },
  { from: 'pending', to: 'hold', by: ['agent'] },
  { from: 'pending', to: 'solved', by: ['agent', 'end_user'] },
  { from: 'hold', to: 'open', by: ['agent', 'end_user'] },
  { from: 'hold', to: 'pending', by: ['agent'] },
  { from: 'hold', to: 'solved', by: ['agent', 'end_user'] },
  { from: 'solved', to: 'open', by: ['agent', 'end_user'] },
  { from: 'solved', to: 'pending', by: ['agent'] },
  { from: 'solved', to: 'hold', by: ['agent'] },
  { from: 'solved', to: 'closed', by: ['system'] },
];

export const canTransition = (from: Status, to: Status, by: StatusActor): boolean =>
  from === to || transitions.some((t) => t.from === from && t.to === to && t.by.includes(by));

/** Statuses an actor may pick next, for abilities sent to clients. */
export const nextStatuses = (from: Status, by: StatusActor): Status[] => transitions.filter((t) => t.from === from && t.by.includes(by)).map((t) => t.to);

/** A comment by the customer reopens a ticket that waits on them, on an internal team, or was solved. */
export const REOPENED_BY_CUSTOMER_COMMENT: ReadonlySet<Status> = new Set(['pending', 'hold', 'solved']);

/** On-hold is internal: customers see it as Open (spec §5.3). */
export const customerStatus = (s: Status): Status => (s === 'hold' ? 'open' : s);

export const STATUSES: readonly Status[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
