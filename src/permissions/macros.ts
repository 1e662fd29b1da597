import type { Selectable } from 'kysely';
import type { MacrosTable } from '../platform/db-types.js';
import { isAdmin, isAgent, type Actor } from '../modules/accounts/actor.js';

type MacroAccess = Pick<Selectable<MacrosTable>, 'restriction_type' | 'restriction_ids'>;

/**
 * Macros (Zendesk): admins see and manage every macro. Agents see shared macros, macros restricted to
 * one of their groups and their own personal ones, and manage only their personal macros.
 */
export function canSeeMacro(actor: Actor, m: MacroAccess): boolean {
  if (!isAgent(actor)) return false;
  if (isAdmin(actor) || m.restriction_type === null) return true;
  if (m.restriction_type === 'User') return m.restriction_ids.map(Number).includes(actor.user.id);
  return m.restriction_ids.map(Number).some((g) => actor.groupIds.includes(g));
}

/** Whether the actor may create, change or delete a macro with this restriction. */
export function canManageMacro(actor: Actor, m: MacroAccess): boolean {
  if (isAdmin(actor)) return true;
  return isAgent(actor) && m.restriction_type === 'User' && m.restriction_ids.length === 1 && Number(m.restriction_ids[0]) === actor.user.id;
}
