import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { createPolicy, getPolicy, listPolicies, updatePolicy, type SlaPolicy } from './policies.service.js';

const plan = z.enum(['professional', 'enterprise', 'premier']);
const policyMetric = z.object({
  priority: z.enum(['urgent', 'high', 'normal', 'low']),
  metric: z.enum(['first_reply_time', 'next_reply_time', 'pausable_update_time', 'periodic_update_time', 'requester_wait_time', 'agent_work_time']),
  target: z.number().int().min(1, 'must be at least 1 minute').max(525_600, 'must be at most a year'),
  business_hours: z.boolean(),
  internal: z.boolean().optional(),
});
/** Zendesk's policy filter; Sundial matches on the organization's support plan. */
const filter = z.object({ all: z.array(z.object({ field: z.literal('organization.support_plan'), operator: z.literal('is'), value: plan })).length(1, 'must hold exactly one organization.support_plan condition'), any: z.array(z.unknown()).max(0).optional() });
const createBody = z.object({ sla_policy: z.object({ title: z.string().trim().min(1).max(255), description: z.string().max(2000).optional(), filter, policy_metrics: z.array(policyMetric).max(100) }) });
const updateBody = z.object({ sla_policy: z.object({ title: z.string().trim().min(1).max(255).optional(), description: z.string().max(2000).optional(), policy_metrics: z.array(policyMetric).max(100).optional() }) });

const toMetrics = (m: z.infer<typeof policyMetric>[]) => m.map((x) => ({ priority: x.priority, metric: x.metric, target_minutes: x.target, business_hours: x.business_hours, internal: x.internal }));

export const presentPolicy = (base: string, p: SlaPolicy) => ({
  url: resourceUrl(base, `slas/policies/${p.id}`),
  id: p.id,
  title: p.title,
  description: p.description,
  position: p.position,
  filter: { all: [{ field: 'organization.support_plan', operator: 'is', value: p.plan }], any: [] },
  policy_metrics: p.metrics.map((m) => ({ priority: m.priority, metric: m.metric, target: m.target_minutes, business_hours: m.business_hours, internal: m.internal })),
  created_at: iso(p.created_at),
  updated_at: iso(p.updated_at),
});

/** SLA policies in Zendesk's `/api/v2/slas/policies` shape: agents read, admins write. */
export function registerSlaPolicyRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/slas/policies', async (req) => {
    requireAgent(req);
    const policies = await listPolicies(ctx.db);
    return { sla_policies: policies.map((p) => presentPolicy(baseUrl(req), p)), next_page: null, previous_page: null, count: policies.length };
  });

  app.get('/api/v2/slas/policies/:id', async (req) => {
    requireAgent(req);
    return { sla_policy: presentPolicy(baseUrl(req), await getPolicy(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.post('/api/v2/slas/policies', async (req, reply) => {
    requireAdmin(req);
    const { sla_policy: p } = parseBody(createBody, req.body, 'sla_policy');
    const policy = await createPolicy(ctx, { title: p.title, description: p.description, plan: p.filter.all[0].value, metrics: toMetrics(p.policy_metrics) });
    return created(reply, resourceUrl(baseUrl(req), `slas/policies/${policy.id}`), { sla_policy: presentPolicy(baseUrl(req), policy) });
  });

  app.put('/api/v2/slas/policies/:id', async (req) => {
    requireAdmin(req);
    const { sla_policy: p } = parseBody(updateBody, req.body, 'sla_policy');
    const policy = await updatePolicy(ctx, parseId((req.params as { id: string }).id), { title: p.title, description: p.description, metrics: p.policy_metrics ? toMetrics(p.policy_metrics) : undefined });
    return { sla_policy: presentPolicy(baseUrl(req), policy) };
  });
}
