import type { Db } from '../../platform/db.js';
import { forbidden, notFound, Problems } from '../../platform/errors.js';
import { canManageMacro, canSeeMacro } from '../../permissions/macros.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { checkActions } from './actions.js';
import type { Macro } from './rules.presenter.js';
import { changedRuleValues, containsPattern, newRuleValues, ruleLookup } from './rules.repository.js';
import type { MacroInput, MacroPatch } from './rules.schema.js';
import { sortRules, type RuleSort } from './rule-pages.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';

export interface MacroFilter {
  active?: boolean;
  /** personal: the caller's own; shared: everyone's; agents/groups: group-restricted; account: all they see. */
  access?: 'personal' | 'shared' | 'agents' | 'account';
  groupId?: number;
  query?: string;
  sortBy?: RuleSort;
  desc?: boolean;
}

/** The macros the actor may see, filtered and sorted (position order unless asked otherwise). */
export async function listMacros(db: Db, actor: Actor, f: MacroFilter): Promise<Macro[]> {
  let q = db.selectFrom('macros').selectAll();
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.query) q = q.where('title', 'ilike', containsPattern(f.query));
  const rows = (await q.execute()).filter((m) => canSeeMacro(actor, m));
  const filtered = rows.filter((m) => {
    if (f.access === 'personal' && !(m.restriction_type === 'User' && m.restriction_ids.includes(actor.user.id))) return false;
    if (f.access === 'shared' && m.restriction_type !== null) return false;
    if (f.access === 'agents' && m.restriction_type !== 'Group') return false;
    if (f.groupId !== undefined && !(m.restriction_type === 'Group' && m.restriction_ids.includes(f.groupId))) return false;
    return true;
  });
  return sortRules(filtered, f.sortBy, f.desc);
}

/** A macro the actor may see, or 404. */
export async function findMacro(db: Db, actor: Actor, id: number): Promise<Macro> {
  const m = await db.selectFrom('macros').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m || !canSeeMacro(actor, m)) throw notFound();
  return m;
}

/** What the admin audit log keeps of a macro (personal macros included: who may apply what). */
const macroSummary = (m: Macro) => ({
  title: m.title,
  description: m.description,
  active: m.active,
  position: m.position,
  restriction: m.restriction_type ? { type: m.restriction_type, ids: m.restriction_ids } : null,
  actions: m.actions,
});

/** Restriction as stored. */
async function restrictionOf(db: Db, actor: Actor, r: MacroInput['restriction'], problems: Problems) {
  // Not given: shared for admins, personal for agents. An explicit null asks for a shared macro.
  if (r === null || (r === undefined && isAdmin(actor))) return { restriction_type: null, restriction_ids: [] };
  if (r === undefined) return { restriction_type: 'User' as const, restriction_ids: [actor.user.id] };
  const ids = [...new Set(r.ids?.length ? r.ids : [r.id!])];
  const found =
    r.type === 'User'
      ? await db.selectFrom('users').select('id').where('id', 'in', ids).where('role', 'in', ['agent', 'admin']).execute()
      : await db.selectFrom('groups').select('id').where('id', 'in', ids).where('deleted_at', 'is', null).execute();
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) problems.add('restriction', `Restriction: ${r.type === 'User' ? 'agent' : 'group'} ${missing.join(', ')} does not exist`);
  return { restriction_type: r.type, restriction_ids: ids };
}

/** Creates a macro: admins any, agents personal ones. Every problem is reported at once (422). */
export async function createMacro(db: Db, actor: Actor, input: MacroInput): Promise<Macro> {
  const problems = new Problems();
  const restriction = await restrictionOf(db, actor, input.restriction, problems);
  if (!canManageMacro(actor, restriction)) throw forbidden();
  await checkActions('macro', input.actions as never, ruleLookup(db), problems);
  problems.throwIfAny();
  const values = { ...(await newRuleValues(db, 'macros', input)), ...restriction, created_by: actor.user.id };
  return db.transaction().execute(async (tx) => {
    const macro = await tx.insertInto('macros').values(values).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'macro', sourceId: macro.id, sourceLabel: macro.title, change: 'Macro created', after: macroSummary(macro) });
    return macro;
  });
}

/** Updates the given keys of a macro the actor manages (a macro they cannot see is 404). */
export async function updateMacro(db: Db, actor: Actor, id: number, patch: MacroPatch): Promise<Macro> {
  const current = await findMacro(db, actor, id);
  if (!canManageMacro(actor, current)) throw forbidden();
  const problems = new Problems();
  const restriction = patch.restriction !== undefined ? await restrictionOf(db, actor, patch.restriction, problems) : undefined;
  if (restriction && !canManageMacro(actor, restriction)) throw forbidden();
  if (patch.actions) await checkActions('macro', patch.actions as never, ruleLookup(db), problems);
  problems.throwIfAny();
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('macros')
      .set({ ...changedRuleValues(patch), ...restriction })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound();
    await recordAdminAction(tx, { action: 'update', sourceType: 'macro', sourceId: updated.id, sourceLabel: updated.title, ...changeSet(macroSummary(current), macroSummary(updated)) });
    return updated;
  });
}

export async function deleteMacro(db: Db, actor: Actor, id: number): Promise<void> {
  const current = await findMacro(db, actor, id);
  if (!canManageMacro(actor, current)) throw forbidden();
  await db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('macros').where('id', '=', current.id).returningAll().executeTakeFirst();
    // Deleted meanwhile by someone else: their request recorded it.
    if (gone) await recordAdminAction(tx, { action: 'destroy', sourceType: 'macro', sourceId: gone.id, sourceLabel: gone.title, change: 'Macro deleted', before: macroSummary(gone) });
  });
}
