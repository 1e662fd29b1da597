import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { idField } from '../../platform/validation.js';

/** `{field, value}`: the value's shape depends on the field and is checked by actions.ts. */
export const actionSchema = z.object({ field: z.string().trim().min(1, 'cannot be blank').max(100), value: z.unknown() });
export const conditionSchema = z.object({ field: z.string().trim().min(1, 'cannot be blank').max(100), operator: z.string().trim().min(1, 'cannot be blank').max(40), value: z.unknown() });

const title = z.string().trim().min(1, 'cannot be blank').max(255, 'is too long (maximum is 255 characters)');
const description = z.string().max(2000, 'is too long (maximum is 2000 characters)').nullable().optional();
const position = z.number().int().min(0).max(1_000_000);

const restriction = z
  .object({ type: z.enum(['User', 'Group']), id: idField.optional(), ids: z.array(idField).max(100).optional() })
  .refine((r) => r.id !== undefined || (r.ids?.length ?? 0) > 0, 'needs id or ids')
  .nullable();

const macroFields = {
  title,
  description,
  active: z.boolean().optional(),
  position: position.optional(),
  actions: z.array(actionSchema).max(100, 'can hold at most 100 actions'),
  restriction: restriction.optional(),
};
export const macroCreateSchema = z.object({ macro: z.object(macroFields) });
export const macroUpdateSchema = z.object({ macro: z.object(macroFields).partial() });
export type MacroInput = z.infer<typeof macroCreateSchema>['macro'];
export type MacroPatch = z.infer<typeof macroUpdateSchema>['macro'];

const conditions = z.object({
  all: z.array(conditionSchema).max(100).optional(),
  any: z.array(conditionSchema).max(100).optional(),
});
const triggerFields = {
  title,
  description,
  active: z.boolean().optional(),
  position: position.optional(),
  category_id: z.union([z.string().max(40), z.number().int().transform(String)]).nullable().optional(),
  conditions,
  actions: z.array(actionSchema).max(100, 'can hold at most 100 actions'),
};
export const triggerCreateSchema = z.object({ trigger: z.object(triggerFields) });
export const triggerUpdateSchema = z.object({ trigger: z.object(triggerFields).partial() });
export type TriggerInput = z.infer<typeof triggerCreateSchema>['trigger'];
export type TriggerPatch = z.infer<typeof triggerUpdateSchema>['trigger'];

/**
 * Zendesk requires the root key (`{"macro": {...}}`), but some clients' documented examples send the
 * object bare; a body without the root key that looks like the object is taken as it.
 */
export function withRoot(body: unknown, root: string): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && !(root in body) && ('title' in body || 'actions' in body || 'name' in body || 'endpoint' in body)) {
    return { [root]: body };
  }
  return body;
}

/** `active=true|false` as Zendesk list filters take it. */
export function booleanParam(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  throw new AppError('BadRequest', `${name} must be true or false`);
}
