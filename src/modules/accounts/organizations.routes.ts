import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { invalid, notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { sql } from 'kysely';
import { idField, nameField, timeZoneField } from '../../platform/validation.js';
import { requireActor, requireAdmin, requireAgent } from '../../permissions/guards.js';
import { isAgent } from './actor.js';
import { presentOrganization } from './organizations.presenter.js';
import { presentUser } from './users.presenter.js';
import { createOrganization, deleteOrganization, getOrganization, updateOrganization, type OrganizationInput } from './organizations.service.js';

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'must be a domain such as example.com');
const orgFields = {
  support_plan: z.enum(['free', 'professional', 'enterprise', 'premier']).optional(),
  time_zone: timeZoneField.optional(),
  domain_names: z.array(domain).max(50).optional(),
  shared_tickets: z.boolean().optional(),
  shared_comments: z.boolean().optional(),
  external_id: z.string().max(255).nullable().optional(),
  details: z.string().max(10_000).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(80)).max(100).optional(),
  // Zendesk custom organization fields carry plan and time zone for clients that only know those.
  organization_fields: z.object({ support_plan: z.enum(['free', 'professional', 'enterprise', 'premier']).optional(), time_zone: timeZoneField.optional() }).optional(),
};
const createBody = z.object({ organization: z.object({ name: nameField, ...orgFields }) });
const upsertBody = z.object({ organization: z.object({ id: idField.optional(), name: nameField.optional(), ...orgFields }) });
const updateBody = z.object({ organization: z.object({ name: nameField.optional(), ...orgFields }) });

type OrgBody = z.infer<typeof updateBody>['organization'];
const toInput = (o: OrgBody): OrganizationInput => ({
  name: o.name,
  supportPlan: o.support_plan ?? o.organization_fields?.support_plan,
  timeZone: o.time_zone ?? o.organization_fields?.time_zone,
  domainNames: o.domain_names ? [...new Set(o.domain_names)] : undefined,
  sharedTickets: o.shared_tickets,
  sharedComments: o.shared_comments,
  externalId: o.external_id,
  details: o.details,
  notes: o.notes,
  tags: o.tags,
});

export function registerOrganizationRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/organizations', async (req) => {
    requireAgent(req);
    const page = readPageRequest(req);
    const rows = await applySlice(ctx.db.selectFrom('organizations').selectAll().where('deleted_at', 'is', null), 'organizations.id', sliceOf(page)).execute();
    const count = page.mode === 'offset' ? Number((await ctx.db.selectFrom('organizations').select((eb) => eb.fn.countAll().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n) : undefined;
    return pageEnvelope(req, page, 'organizations', rows, (o) => presentOrganization(baseUrl(req), o), count);
  });

  app.get('/api/v2/organizations/show_many', async (req) => {
    requireAgent(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids);
    const rows = ids.length ? await ctx.db.selectFrom('organizations').selectAll().where('id', 'in', ids).where('deleted_at', 'is', null).orderBy('id').execute() : [];
    return { organizations: rows.map((o) => presentOrganization(baseUrl(req), o)) };
  });

  app.get('/api/v2/organizations/:id', async (req) => {
    const actor = requireActor(req);
    const id = parseId((req.params as { id: string }).id);
    // A customer sees their own organization only.
    if (!isAgent(actor) && actor.user.organization_id !== id) throw notFound();
    return { organization: presentOrganization(baseUrl(req), await getOrganization(ctx.db, id), isAgent(actor)) };
  });

  app.get('/api/v2/organizations/:id/users', async (req) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    await getOrganization(ctx.db, id);
    const page = readPageRequest(req);
    const rows = await applySlice(ctx.db.selectFrom('users').selectAll().where('organization_id', '=', id), 'users.id', sliceOf(page)).execute();
    return pageEnvelope(req, page, 'users', rows, (u) => presentUser(baseUrl(req), u));
  });

  app.post('/api/v2/organizations', async (req, reply) => {
    requireAdmin(req);
    const { organization } = parseBody(createBody, req.body, 'organization');
    const org = await createOrganization(ctx, { ...toInput(organization), name: organization.name });
    return created(reply, resourceUrl(baseUrl(req), `organizations/${org.id}`), { organization: presentOrganization(baseUrl(req), org) });
  });

  // Upsert (Zendesk): matched by id, then external_id, then name; 201 when created.
  app.post('/api/v2/organizations/create_or_update', async (req, reply) => {
    requireAdmin(req);
    const { organization } = parseBody(upsertBody, req.body, 'organization');
    const match = await ctx.db
      .selectFrom('organizations')
      .select('id')
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(organization.id !== undefined ? [eb('id', '=', organization.id)] : []),
          ...(organization.external_id ? [eb('external_id', '=', organization.external_id)] : []),
          ...(organization.name ? [eb(sql`lower(name)`, '=', organization.name.toLowerCase())] : []),
        ]),
      )
      .orderBy('id')
      .executeTakeFirst();
    if (match) return { organization: presentOrganization(baseUrl(req), await updateOrganization(ctx, { id: match.id, changes: toInput(organization) })) };
    if (!organization.name) throw invalid('name', 'Name: cannot be blank', 'BlankValue');
    const org = await createOrganization(ctx, { ...toInput(organization), name: organization.name });
    return created(reply, resourceUrl(baseUrl(req), `organizations/${org.id}`), { organization: presentOrganization(baseUrl(req), org) });
  });

  app.get('/api/v2/organization_fields', async (req) => {
    requireAgent(req);
    return { organization_fields: [], next_page: null, previous_page: null, count: 0 };
  });

  app.put('/api/v2/organizations/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const { organization } = parseBody(updateBody, req.body, 'organization');
    return { organization: presentOrganization(baseUrl(req), await updateOrganization(ctx, { id, changes: toInput(organization) })) };
  });

  app.delete('/api/v2/organizations/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteOrganization(ctx, parseId((req.params as { id: string }).id));
    return reply.code(204).send();
  });
}
