import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, created, includes, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { passwordField } from '../../platform/validation.js';
import { requireActor, requireAdmin, requireAgent } from '../../permissions/guards.js';
import { isAdmin, isAgent } from './actor.js';
import { presentOrganization } from './organizations.presenter.js';
import { anonymousUser, presentUser } from './users.presenter.js';
import { deactivateUser, findUserByEmail, findUsers, getUser, setPassword, updateUser } from './users.service.js';
import { addUser } from './add-user.service.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { toUserChanges, userCreateSchema, userUpdateSchema } from './user.schema.js';

const passwordBody = z.object({ password: passwordField });

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
    const rows = ids.length ? await findUsers(ctx.db, ids) : [];
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
    const { user: input } = parseBody(userCreateSchema, req.body, 'user');
    const user = await addUser(ctx, { actor, input });
    return created(reply, resourceUrl(baseUrl(req), `users/${user.id}`), { user: presentUser(baseUrl(req), user) });
  });

  // Upsert by email (Zendesk): 201 with a new user, 200 with the updated one.
  app.post('/api/v2/users/create_or_update', async (req, reply) => {
    const actor = requireAgent(req);
    const { user: input } = parseBody(userCreateSchema, req.body, 'user');
    const existing = await findUserByEmail(ctx.db, input.email);
    if (!existing) {
      const user = await addUser(ctx, { actor, input });
      return created(reply, resourceUrl(baseUrl(req), `users/${user.id}`), { user: presentUser(baseUrl(req), user) });
    }
    const staffChange = existing.role !== 'end-user' || input.role !== undefined || input.suspended !== undefined || input.active !== undefined;
    if (!isAdmin(actor) && staffChange) throw new AppError('Forbidden', 'Only administrators can change roles, organizations and account state');
    const { password: _password, send_invite: _invite, email: _email, ...changes } = input;
    return { user: presentUser(baseUrl(req), await updateUser(ctx, { userId: existing.id, changes: toUserChanges(changes) })) };
  });

  // Sundial has no custom user fields yet; clients that list them get Zendesk's empty envelope.
  app.get('/api/v2/user_fields', async (req) => {
    requireAgent(req);
    return { user_fields: [], next_page: null, previous_page: null, count: 0 };
  });

  app.put('/api/v2/users/:id', async (req) => {
    const actor = requireActor(req);
    const id = parseId((req.params as { id: string }).id);
    const { user: input } = parseBody(userUpdateSchema, req.body, 'user');
    const self = actor.user.id === id;
    if (!isAdmin(actor)) {
      if (!self && !isAgent(actor)) throw notFound();
      const onlyProfile = Object.keys(input).every((k) => ['name', 'time_zone', 'iana_time_zone', 'phone', ...(isAgent(actor) ? ['away'] : [])].includes(k));
      const agentOnCustomer = isAgent(actor) && !self && (await getUser(ctx.db, id)).role === 'end-user' && !input.role && input.suspended === undefined && input.active === undefined;
      if (!(self && onlyProfile) && !agentOnCustomer) throw new AppError('Forbidden', 'Only administrators can change roles, organizations and account state');
    }
    if (self && input.role && input.role !== actor.user.role) throw new AppError('Forbidden', 'You cannot change your own role');
    const user = await updateUser(ctx, { userId: id, changes: toUserChanges(input) });
    // An end user editing their profile gets the public view: notes and details are the agents'.
    return { user: presentUser(baseUrl(req), user, isAgent(actor)) };
  });

  app.post('/api/v2/users/:id/password', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const body = parseBody(passwordBody, req.body);
    const target = await getUser(ctx.db, id);
    await ctx.db.transaction().execute(async (tx) => {
      await setPassword(tx, id, body.password);
      await recordAdminAction(tx, { action: 'password_set', sourceType: 'user', sourceId: id, sourceLabel: target.email, change: 'Password set by an administrator; sessions ended' });
    });
    return {};
  });

  app.delete('/api/v2/users/:id', async (req) => {
    const actor = requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    if (actor.user.id === id) throw new AppError('Forbidden', 'You cannot deactivate yourself');
    return { user: presentUser(baseUrl(req), await deactivateUser(ctx, id)) };
  });
}
