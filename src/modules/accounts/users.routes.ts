import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, created, includes, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { emailField, idField, nameField, passwordField, timeZoneField } from '../../platform/validation.js';
import { requireActor, requireAdmin, requireAgent } from '../../permissions/guards.js';
import { isAdmin, isAgent } from './actor.js';
import { presentOrganization } from './organizations.presenter.js';
import { anonymousUser, presentUser } from './users.presenter.js';
import { createUser, deactivateUser, getUser, setPassword, updateUser, type UserChanges } from './users.service.js';
import { inviteUser } from './portal.service.js';

const role = z.enum(['end-user', 'agent', 'admin']);
const tags = z.array(z.string().trim().min(1).max(80)).max(100);

const userFields = {
  role: role.optional(),
  organization_id: idField.nullable().optional(),
  region_id: idField.nullable().optional(),
  /** Agents set themselves away; routing skips them. */
  away: z.boolean().optional(),
  time_zone: timeZoneField.nullable().optional(),
  iana_time_zone: timeZoneField.nullable().optional(),
  external_id: z.string().max(255).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  details: z.string().max(10_000).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  tags: tags.optional(),
  ticket_restriction: z.enum(['requested', 'organization']).nullable().optional(),
  suspended: z.boolean().optional(),
  verified: z.boolean().optional(),
  /** Admins may reactivate a deactivated account (deactivation is DELETE). */
  active: z.literal(true).optional(),
  default_group_id: idField.nullable().optional(),
};
const createBody = z.object({ user: z.object({ name: nameField, email: emailField, password: passwordField.optional(), send_invite: z.boolean().optional(), ...userFields }) });
const updateBody = z.object({ user: z.object({ name: nameField.optional(), ...userFields }) });
const passwordBody = z.object({ password: passwordField });

type UserFieldsInput = z.infer<typeof updateBody>['user'];
const toChanges = (u: UserFieldsInput): UserChanges => ({
  name: u.name,
  role: u.role,
  organizationId: u.organization_id,
  regionId: u.region_id,
  away: u.away,
  timeZone: u.iana_time_zone ?? u.time_zone,
  externalId: u.external_id,
  phone: u.phone,
  details: u.details,
  notes: u.notes,
  tags: u.tags,
  ticketRestriction: u.ticket_restriction,
  suspended: u.suspended,
  verified: u.verified,
  active: u.active,
  defaultGroupId: u.default_group_id,
});

export function registerUserRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/users/me', async (req) => {
    if (!req.actor) return { user: anonymousUser };
    const base = baseUrl(req);
    const body: Record<string, unknown> = { user: presentUser(base, req.actor.user, isAgent(req.actor)) };
    if (includes(req).has('organizations')) body.organizations = req.actor.organization ? [presentOrganization(base, req.actor.organization, false)] : [];
    return body;
  });

  app.get('/api/v2/users', async (req) => {
    requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const roles = [q.role, q['role[]']].flat().filter((r): r is string => typeof r === 'string' && r !== '');
    const page = readPageRequest(req);
    let query = ctx.db.selectFrom('users').selectAll();
    if (roles.length) query = query.where('role', 'in', roles as ('end-user' | 'agent' | 'admin')[]);
    if (typeof q.external_id === 'string') query = query.where('external_id', '=', q.external_id);
    const rows = await applySlice(query, 'users.id', sliceOf(page)).execute();
    const count = page.mode === 'offset' ? Number((await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).$if(roles.length > 0, (qb) => qb.where('role', 'in', roles as ('end-user' | 'agent' | 'admin')[])).executeTakeFirstOrThrow()).n) : undefined;
    return pageEnvelope(req, page, 'users', rows, (u) => presentUser(baseUrl(req), u), count);
  });

  app.get('/api/v2/users/show_many', async (req) => {
    requireAgent(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids);
    const rows = ids.length ? await ctx.db.selectFrom('users').selectAll().where('id', 'in', ids).orderBy('id').execute() : [];
    return { users: rows.map((u) => presentUser(baseUrl(req), u)) };
  });

  app.get('/api/v2/users/:id', async (req) => {
    const actor = requireActor(req);
    const id = parseId((req.params as { id: string }).id);
    // End users may read only their own profile; anyone else's is "not found".
    if (!isAgent(actor) && actor.user.id !== id) throw notFound();
    return { user: presentUser(baseUrl(req), await getUser(ctx.db, id), isAgent(actor)) };
  });

  app.post('/api/v2/users', async (req, reply) => {
    const actor = requireAgent(req);
    const { user: input } = parseBody(createBody, req.body, 'user');
    // Agents may add customers; only admins create staff or set passwords.
    if (!isAdmin(actor) && ((input.role && input.role !== 'end-user') || input.password)) throw new AppError('Forbidden', 'Only administrators can create agents or set passwords');
    // Staff get an invitation to set a password by default; customers only when asked (imports must not spam).
    const invite = !input.password && (input.send_invite ?? (input.role === 'agent' || input.role === 'admin'));
    const user = await ctx.db.transaction().execute(async (tx) => {
      const u = await createUser(tx, { ...toChanges(input), name: input.name, email: input.email, password: input.password, verified: input.verified ?? false });
      if (invite) await inviteUser(tx, ctx, u);
      return u;
    });
    return created(reply, resourceUrl(baseUrl(req), `users/${user.id}`), { user: presentUser(baseUrl(req), user) });
  });

  app.put('/api/v2/users/:id', async (req) => {
    const actor = requireActor(req);
    const id = parseId((req.params as { id: string }).id);
    const { user: input } = parseBody(updateBody, req.body, 'user');
    const self = actor.user.id === id;
    if (!isAdmin(actor)) {
      if (!self && !isAgent(actor)) throw notFound();
      const onlyProfile = Object.keys(input).every((k) => ['name', 'time_zone', 'iana_time_zone', 'phone', ...(isAgent(actor) ? ['away'] : [])].includes(k));
      const agentOnCustomer = isAgent(actor) && !self && (await getUser(ctx.db, id)).role === 'end-user' && !input.role && input.suspended === undefined && input.active === undefined;
      if (!(self && onlyProfile) && !agentOnCustomer) throw new AppError('Forbidden', 'Only administrators can change roles, organizations and account state');
    }
    if (self && input.role && input.role !== actor.user.role) throw new AppError('Forbidden', 'You cannot change your own role');
    const user = await updateUser(ctx, { userId: id, changes: toChanges(input) });
    return { user: presentUser(baseUrl(req), user) };
  });

  app.post('/api/v2/users/:id/password', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const body = parseBody(passwordBody, req.body);
    await getUser(ctx.db, id);
    await ctx.db.transaction().execute((tx) => setPassword(tx, id, body.password));
    return {};
  });

  app.delete('/api/v2/users/:id', async (req) => {
    const actor = requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    if (actor.user.id === id) throw new AppError('Forbidden', 'You cannot deactivate yourself');
    return { user: presentUser(baseUrl(req), await deactivateUser(ctx, id)) };
  });
}
