import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { idField, nameField } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { presentGroup, presentMembership } from './groups.presenter.js';
import { addMembership, createGroup, deleteGroup, getGroup, removeMembership, updateGroup } from './groups.service.js';

const groupBody = z.object({ group: z.object({ name: nameField, description: z.string().max(1000).optional(), is_public: z.boolean().optional() }) });
const groupUpdate = z.object({ group: z.object({ name: nameField.optional(), description: z.string().max(1000).optional() }) });
const membershipBody = z.object({ group_membership: z.object({ user_id: idField, group_id: idField, default: z.boolean().optional() }) });

export function registerGroupRoutes(app: FastifyInstance, ctx: AppContext) {
  const listGroups = async (req: FastifyRequest) => {
    requireAgent(req);
    const page = readPageRequest(req);
    const rows = await applySlice(ctx.db.selectFrom('groups').selectAll().where('deleted_at', 'is', null), 'groups.id', sliceOf(page)).execute();
    return pageEnvelope(req, page, 'groups', rows, (g) => presentGroup(baseUrl(req), g));
  };
  app.get('/api/v2/groups', listGroups);
  app.get('/api/v2/groups/assignable', listGroups);

  app.get('/api/v2/groups/:id', async (req) => {
    requireAgent(req);
    return { group: presentGroup(baseUrl(req), await getGroup(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.post('/api/v2/groups', async (req, reply) => {
    requireAdmin(req);
    const { group } = parseBody(groupBody, req.body, 'group');
    const g = await createGroup(ctx, { name: group.name, description: group.description, isPublic: group.is_public });
    return created(reply, resourceUrl(baseUrl(req), `groups/${g.id}`), { group: presentGroup(baseUrl(req), g) });
  });

  app.put('/api/v2/groups/:id', async (req) => {
    requireAdmin(req);
    const { group } = parseBody(groupUpdate, req.body, 'group');
    return { group: presentGroup(baseUrl(req), await updateGroup(ctx, { id: parseId((req.params as { id: string }).id), ...group })) };
  });

  app.delete('/api/v2/groups/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteGroup(ctx, parseId((req.params as { id: string }).id));
    return reply.code(204).send();
  });

  const listMemberships = (filter: 'group_id' | 'user_id' | null) => async (req: FastifyRequest) => {
    requireAgent(req);
    const page = readPageRequest(req);
    let q = ctx.db.selectFrom('group_memberships').selectAll();
    if (filter) q = q.where(filter, '=', parseId((req.params as { id: string }).id));
    const rows = await applySlice(q, 'group_memberships.id', sliceOf(page)).execute();
    return pageEnvelope(req, page, 'group_memberships', rows, (m) => presentMembership(baseUrl(req), m));
  };
  app.get('/api/v2/group_memberships', listMemberships(null));
  app.get('/api/v2/groups/:id/memberships', listMemberships('group_id'));
  app.get('/api/v2/users/:id/group_memberships', listMemberships('user_id'));

  app.post('/api/v2/group_memberships', async (req, reply) => {
    requireAdmin(req);
    const { group_membership: m } = parseBody(membershipBody, req.body, 'group_membership');
    const membership = await addMembership(ctx, { userId: m.user_id, groupId: m.group_id, isDefault: m.default });
    return created(reply, resourceUrl(baseUrl(req), `group_memberships/${membership.id}`), { group_membership: presentMembership(baseUrl(req), membership) });
  });

  app.delete('/api/v2/group_memberships/:id', async (req, reply) => {
    requireAdmin(req);
    await removeMembership(ctx, parseId((req.params as { id: string }).id));
    return reply.code(204).send();
  });
}
