import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { requireAdmin } from '../../permissions/guards.js';
import { canSeeField } from '../../permissions/fields.js';
import { isAgent } from '../accounts/actor.js';
import { formFieldIds, listFields, listForms, type FieldOption } from './forms.repository.js';
import { presentField, presentForm } from './tickets.presenter.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';

const optionBody = z.object({ custom_field_option: z.object({ name: z.string().trim().min(1).max(255), value: z.string().trim().min(1).max(255).regex(/^[a-z0-9_:-]+$/i, 'must be a tag (letters, digits, _ - :)') }) });
const optionUpdate = z.object({ custom_field_option: z.object({ name: z.string().trim().min(1).max(255).optional(), description: z.string().max(1000).optional(), active: z.boolean().optional() }) });
const formUpdate = z.object({ ticket_form: z.object({ name: z.string().trim().min(1).max(255).optional(), display_name: z.string().trim().min(1).max(255).optional(), active: z.boolean().optional(), end_user_visible: z.boolean().optional() }) });

const presentOption = (o: FieldOption) => ({ id: o.id, name: o.name, raw_name: o.name, value: o.value, description: o.description, position: o.position, default: o.is_default, active: o.active });

/** An option's audit entry names the option: the field is the entry's source. */
const optionChange = (value: string, set: ReturnType<typeof changeSet>) => ({ ...set, change: `Option ${value}: ${set.change}` });

/** Ticket forms and fields: readable by anyone the portal serves (end-user-visible ones), edited by admins. */
export function registerFormRoutes(app: FastifyInstance, ctx: AppContext) {
  const visibleForms = async (agent: boolean) => (await listForms(ctx.db)).filter((f) => agent || (f.active && f.end_user_visible));

  app.get('/api/v2/ticket_forms', async (req) => {
    const forms = await visibleForms(isAgent(req.actor));
    const ids = await formFieldIds(ctx.db, forms.map((f) => f.id));
    return { ticket_forms: forms.map((f) => presentForm(baseUrl(req), f, ids.get(f.id) ?? [])), next_page: null, previous_page: null, count: forms.length };
  });

  app.get('/api/v2/ticket_forms/show_many', async (req) => {
    const wanted = new Set(parseIdList((req.query as Record<string, unknown>).ids));
    const forms = (await visibleForms(isAgent(req.actor))).filter((f) => wanted.has(f.id));
    const ids = await formFieldIds(ctx.db, forms.map((f) => f.id));
    return { ticket_forms: forms.map((f) => presentForm(baseUrl(req), f, ids.get(f.id) ?? [])) };
  });

  app.get('/api/v2/ticket_forms/:id', async (req) => {
    const id = parseId((req.params as { id: string }).id);
    const form = (await visibleForms(isAgent(req.actor))).find((f) => f.id === id);
    if (!form) throw notFound();
    const ids = await formFieldIds(ctx.db, [form.id]);
    return { ticket_form: presentForm(baseUrl(req), form, ids.get(form.id) ?? []) };
  });

  app.put('/api/v2/ticket_forms/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const { ticket_form: f } = parseBody(formUpdate, req.body, 'ticket_form');
    const form = await ctx.db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('ticket_forms').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound();
      const row = await tx
        .updateTable('ticket_forms')
        .set({ name: f.name, display_name: f.display_name, active: f.active, end_user_visible: f.end_user_visible, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const summary = (x: typeof row) => ({ name: x.name, display_name: x.display_name, active: x.active, end_user_visible: x.end_user_visible });
      await recordAdminAction(tx, { action: 'update', sourceType: 'ticket_form', sourceId: id, sourceLabel: row.name, ...changeSet(summary(before), summary(row)) });
      return row;
    });
    const ids = await formFieldIds(ctx.db, [form.id]);
    return { ticket_form: presentForm(baseUrl(req), form, ids.get(form.id) ?? []) };
  });

  app.get('/api/v2/ticket_fields', async (req) => {
    const fields = (await listFields(ctx.db)).filter((f) => canSeeField(req.actor, f));
    return { ticket_fields: fields.map((f) => presentField(baseUrl(req), f)), next_page: null, previous_page: null, count: fields.length };
  });

  app.get('/api/v2/ticket_fields/:id', async (req) => {
    const id = parseId((req.params as { id: string }).id);
    const [field] = await listFields(ctx.db, [id]);
    if (!field || !canSeeField(req.actor, field)) throw notFound();
    return { ticket_field: presentField(baseUrl(req), field) };
  });

  app.get('/api/v2/ticket_fields/:id/options', async (req) => {
    const [field] = await listFields(ctx.db, [parseId((req.params as { id: string }).id)]);
    // The options of an agent-only field are as hidden as the field itself.
    if (!field || !canSeeField(req.actor, field)) throw notFound();
    return { custom_field_options: presentField(baseUrl(req), field).custom_field_options ?? [], next_page: null, previous_page: null, count: field.options.length };
  });

  app.post('/api/v2/ticket_fields/:id/options', async (req, reply) => {
    requireAdmin(req);
    const fieldId = parseId((req.params as { id: string }).id);
    const [field] = await listFields(ctx.db, [fieldId]);
    if (!field) throw notFound();
    if (field.type !== 'tagger' && field.type !== 'multiselect') throw invalid('base', `${field.title} has no options`);
    const { custom_field_option: o } = parseBody(optionBody, req.body, 'custom_field_option');
    const position = Math.max(0, ...field.options.map((x) => x.position)) + 1;
    const row = await ctx.db.transaction().execute(async (tx) => {
      const option = await tx
        .insertInto('ticket_field_options')
        .values({ field_id: fieldId, name: o.name, value: o.value, position })
        .onConflict((oc) => oc.columns(['field_id', 'value']).doUpdateSet({ name: o.name }))
        .returningAll()
        .executeTakeFirstOrThrow();
      // An existing value is renamed rather than added (Zendesk's upsert); the log says which happened.
      const existed = field.options.find((x) => x.value === o.value);
      await recordAdminAction(tx, {
        action: existed ? 'option_update' : 'option_add',
        sourceType: 'ticket_field',
        sourceId: fieldId,
        sourceLabel: field.title,
        ...(existed ? optionChange(option.value, changeSet({ name: existed.name }, { name: option.name })) : { change: `Option ${option.value} added`, after: { value: option.value, name: option.name } }),
      });
      return option;
    });
    return created(reply, resourceUrl(baseUrl(req), `ticket_fields/${fieldId}/options/${row.id}`), { custom_field_option: presentOption(row) });
  });

  // Renaming keeps the value (the tag stored on tickets); deactivating hides it from new tickets only.
  app.put('/api/v2/ticket_fields/:id/options/:optionId', async (req) => {
    requireAdmin(req);
    const params = req.params as { id: string; optionId: string };
    const { custom_field_option: o } = parseBody(optionUpdate, req.body, 'custom_field_option');
    const row = await ctx.db.transaction().execute(async (tx) => {
      const where = { id: parseId(params.optionId), fieldId: parseId(params.id) };
      const before = await tx.selectFrom('ticket_field_options').selectAll().where('id', '=', where.id).where('field_id', '=', where.fieldId).forUpdate().executeTakeFirst();
      if (!before) throw notFound();
      const option = await tx
        .updateTable('ticket_field_options')
        .set({ name: o.name, description: o.description, active: o.active })
        .where('id', '=', where.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const field = await tx.updateTable('ticket_fields').set({ updated_at: new Date() }).where('id', '=', option.field_id).returning('title').executeTakeFirstOrThrow();
      const summary = (x: typeof option) => ({ value: x.value, name: x.name, description: x.description, active: x.active });
      await recordAdminAction(tx, { action: 'option_update', sourceType: 'ticket_field', sourceId: option.field_id, sourceLabel: field.title, ...optionChange(option.value, changeSet(summary(before), summary(option))) });
      return option;
    });
    return { custom_field_option: presentOption(row) };
  });
}
