import type { TicketField } from '../platform/db-types.js';
import { isAgent, type Actor } from '../modules/accounts/actor.js';

type FieldAccess = Pick<TicketField, 'active' | 'visible_in_portal'>;

/**
 * Ticket fields: agents see every field; end users (and anonymous portal visitors) see the active
 * fields shown in the portal, with their options. A hidden field is "not found" to them.
 */
export const canSeeField = (actor: Actor | null, f: FieldAccess): boolean => isAgent(actor) || (f.active && f.visible_in_portal);

/**
 * A ticket's value of a field: a field not visible in the portal is agent-only, so its value never
 * appears in what an end user is shown (requests, side-loads). Deactivating a field does not hide
 * values already on tickets.
 */
export const canSeeFieldValue = (actor: Actor | null, f: Pick<TicketField, 'visible_in_portal'>): boolean => isAgent(actor) || f.visible_in_portal;
