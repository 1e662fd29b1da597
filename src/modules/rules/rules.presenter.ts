import type { Selectable } from 'kysely';
import type { MacrosTable, TriggersTable } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';

export type Macro = Selectable<MacrosTable>;
export type Trigger = Selectable<TriggersTable>;

/** Zendesk's macro object. */
export function presentMacro(base: string, m: Macro) {
  return {
    url: resourceUrl(base, `macros/${m.id}`),
    id: m.id,
    title: m.title,
    raw_title: m.title,
    description: m.description,
    active: m.active,
    position: m.position,
    default: false,
    restriction: m.restriction_type ? { type: m.restriction_type, id: m.restriction_ids[0], ids: m.restriction_ids } : null,
    actions: m.actions,
    created_at: iso(m.created_at),
    updated_at: iso(m.updated_at),
  };
}

/** Zendesk's trigger object. */
export function presentTrigger(base: string, t: Trigger) {
  return {
    url: resourceUrl(base, `triggers/${t.id}`),
    id: t.id,
    title: t.title,
    raw_title: t.title,
    description: t.description,
    active: t.active,
    position: t.position,
    category_id: t.category_id,
    default: false,
    conditions: { all: t.conditions.all ?? [], any: t.conditions.any ?? [] },
    actions: t.actions,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  };
}
