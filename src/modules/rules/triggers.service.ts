import type { Db } from '../../platform/db.js';
import type { RuleAction, RuleCondition } from '../../platform/db-types.js';
import { invalid, notFound, Problems } from '../../platform/errors.js';
import { checkActions, checkConditions } from './actions.js';
import type { Trigger } from './rules.presenter.js';
import { changedRuleValues, containsPattern, newRuleValues, ruleLookup } from './rules.repository.js';
import type { TriggerInput, TriggerPatch } from './rules.schema.js';
import { sortRules, type RuleSort } from './rule-pages.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';

export interface TriggerFilter {
  active?: boolean;
  categoryId?: string;
  query?: string;
  sortBy?: RuleSort;
  desc?: boolean;
}

/** Triggers in the order they run (position, then id), or as asked. */
export async function listTriggers(db: Db, f: TriggerFilter): Promise<Trigger[]> {
  let q = db.selectFrom('triggers').selectAll();
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  if (f.categoryId !== undefined) q = q.where('category_id', '=', f.categoryId);
  if (f.query) q = q.where('title', 'ilike', containsPattern(f.query));
  return sortRules(await q.execute(), f.sortBy, f.desc);
}

export async function findTrigger(db: Db, id: number): Promise<Trigger> {
  const t = await db.selectFrom('triggers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw notFound();
  return t;
}

const conditionsOf = (c: TriggerInput['conditions']) => ({ all: (c.all ?? []) as RuleCondition[], any: (c.any ?? []) as RuleCondition[] });

async function check(db: Db, conditions: { all: RuleCondition[]; any: RuleCondition[] }, actions: RuleAction[]): Promise<void> {
  const problems = new Problems();
  const lookup = ruleLookup(db);
  await checkConditions(conditions, lookup, problems);
  await checkActions('trigger', actions, lookup, problems);
  problems.throwIfAny();
}

/** Creates a trigger (admins), at the end of the run order unless a position is given. */
export async function createTrigger(db: Db, input: TriggerInput): Promise<Trigger> {
  const conditions = conditionsOf(input.conditions);
  await check(db, conditions, input.actions as RuleAction[]);
  const values = { ...(await newRuleValues(db, 'triggers', input)), category_id: input.category_id ?? null, conditions: JSON.stringify(conditions) };
  return db.transaction().execute(async (tx) => {
    const trigger = await tx.insertInto('triggers').values(values).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'trigger', sourceId: trigger.id, sourceLabel: trigger.title, change: 'Trigger created', after: triggerSummary(trigger) });
    return trigger;
  });
}

/** What the audit log keeps of a trigger. */
const triggerSummary = (t: Trigger) => ({ title: t.title, active: t.active, position: t.position, conditions: t.conditions, actions: t.actions });

/** Changes the given keys; conditions and actions are checked as a whole after the change. */
export async function updateTrigger(db: Db, id: number, patch: TriggerPatch): Promise<Trigger> {
  const current = await findTrigger(db, id);
  const conditions = patch.conditions ? conditionsOf(patch.conditions) : current.conditions;
  const actions = (patch.actions ?? current.actions) as RuleAction[];
  await check(db, { all: conditions.all ?? [], any: conditions.any ?? [] }, actions);
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('triggers')
      .set({ ...changedRuleValues(patch), category_id: patch.category_id, conditions: patch.conditions ? JSON.stringify(conditions) : undefined })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound();
    await recordAdminAction(tx, { action: 'update', sourceType: 'trigger', sourceId: updated.id, sourceLabel: updated.title, ...changeSet(triggerSummary(current), triggerSummary(updated)) });
    return updated;
  });
}

export async function deleteTriggers(db: Db, ids: number[]): Promise<void> {
  const found = await db.selectFrom('triggers').select('id').where('id', 'in', ids).execute();
  if (found.length !== ids.length) throw notFound();
  await db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('triggers').where('id', 'in', ids).returningAll().execute();
    for (const t of gone) await recordAdminAction(tx, { action: 'destroy', sourceType: 'trigger', sourceId: t.id, sourceLabel: t.title, change: 'Trigger deleted', before: triggerSummary(t) });
  });
}

/** `PUT /triggers/reorder`: the listed triggers take positions 0..n-1 in that order; others follow. */
export async function reorderTriggers(db: Db, ids: number[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const all = await tx.selectFrom('triggers').select(['id', 'position']).orderBy('position').orderBy('id').forUpdate().execute();
    const unknown = ids.filter((id) => !all.some((t) => t.id === id));
    if (unknown.length) throw invalid('trigger_ids', `Trigger ids: ${unknown.join(', ')} do not exist`);
    const order = [...new Set(ids), ...all.map((t) => t.id).filter((id) => !ids.includes(id))];
    for (const [position, id] of order.entries()) await tx.updateTable('triggers').set({ position, updated_at: new Date() }).where('id', '=', id).execute();
    await recordAdminAction(tx, { action: 'reorder', sourceType: 'trigger', sourceLabel: 'Trigger order', ...changeSet({ order: all.map((t) => t.id) }, { order }) });
  });
}
