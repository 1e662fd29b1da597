import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, created, includes, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { findTicket } from '../tickets/tickets.repository.js';
import { boardTickets, findEscalations, historyByEscalation, linksByEscalation, type BoardTicket, type Escalation, type EscalationFilter, type EscalationLink, type StageChange } from './board.js';
import { addLink, escalateTicket, getEscalation, issueKey, moveEscalation } from './escalations.service.js';
import { handleGithubEvent, validSignature } from './github.js';
import { moveLinkedEscalations } from './linked.js';
import { defaultCustomerUpdate, STAGES } from './stages.js';

const TEAMS = ['support', 'sustained_engineering', 'product', 'customer_success', 'leadership'] as const;
const CLASSIFICATIONS = ['bug', 'feature_request', 'configuration', 'unsupported_configuration', 'needs_info'] as const;
const createBody = z.object({
  escalation: z.object({
    // Spelled out: zod's own message for a missing enum lists every value, which reads badly on a form.
    classification: z.enum(CLASSIFICATIONS, { error: (issue) => (issue.input === undefined ? 'cannot be blank' : `must be one of ${CLASSIFICATIONS.join(', ')}`) }),
    summary: z.string().trim().min(1).max(5000),
    customer_update: z.string().trim().max(20_000).optional(),
    teams: z.array(z.enum(TEAMS)).max(5).optional(),
  }),
});
const updateBody = z.object({
  escalation: z.object({
    stage: z.enum(STAGES as [string, ...string[]]).optional(),
    fix_version: z.string().trim().min(1).max(50).optional(),
    teams: z.array(z.enum(TEAMS)).max(5).optional(),
    customer_update: z.string().trim().max(20_000).optional(),
  }),
});
const linkBody = z.object({ link: z.object({ url: z.url({ protocol: /^https?$/, error: 'must be an http(s) link to an issue or pull request' }).max(2000) }) });

const issueEvent = z.object({
  issue: z.object({ key: z.string().regex(/^[A-Z][A-Z0-9]+-\d+$/, 'must be a tracker key such as MM-61234').optional(), url: z.url().optional() }),
  transition: z.enum(STAGES.filter((s) => s !== 'escalated') as [string, ...string[]]),
  fix_version: z.string().trim().min(1).max(50).optional(),
});

const listQuery = z.object({
  stage: z.enum(STAGES as [string, ...string[]], { error: `stage must be one of ${STAGES.join(', ')}` }).optional(),
  open: z.enum(['true', 'false'], { error: 'open must be true or false' }).optional(),
  sort_order: z.enum(['asc', 'desc'], { error: 'sort_order must be asc or desc' }).optional(),
});
const templateQuery = z.object({ fix_version: z.string().trim().max(50).optional() });

/** Query-string problems are 400s (BadRequest), as for the other list endpoints. */
function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new AppError('BadRequest', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

const presentTicket = (base: string, t: BoardTicket) => ({
  url: resourceUrl(base, `tickets/${t.id}`),
  id: t.id,
  subject: t.subject,
  priority: t.priority,
  status: t.status,
  organization_id: t.organization_id,
  organization_name: t.organization_name,
  support_plan: t.support_plan,
  created_at: iso(t.created_at),
});

/** Engineering escalations (spec §9) in Zendesk style, and the GitHub webhook that closes the loop. */
export function registerEscalationRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = (base: string, e: Escalation, links: EscalationLink[], history: StageChange[]) => ({
    url: resourceUrl(base, `escalations/${e.id}`),
    id: e.id,
    ticket_id: e.ticket_id,
    classification: e.classification,
    summary: e.summary,
    stage: e.stage,
    teams: e.teams,
    fix_version: e.fix_version,
    created_by: e.created_by,
    open: e.closed_at === null,
    links: links.map((l) => ({ id: l.id, url: l.url, kind: l.kind })),
    stage_history: history.map((h) => ({ stage: h.stage, fix_version: h.fix_version, changed_by: h.changed_by, via: h.via, changed_at: iso(h.changed_at) })),
    created_at: iso(e.created_at),
    updated_at: iso(e.updated_at),
    closed_at: iso(e.closed_at),
  });
  /** One escalation with its links. */
  const presentOne = async (base: string, e: Escalation) =>
    present(base, e, (await linksByEscalation(ctx.db, [e.id])).get(e.id) ?? [], (await historyByEscalation(ctx.db, [e.id])).get(e.id) ?? []);
  /** A list: links in one batch, and with `?include=tickets` the tickets (organization, plan) in one join. */
  const presentList = async (req: FastifyRequest, filter: EscalationFilter) => {
    const base = baseUrl(req);
    const rows = await findEscalations(ctx.db, filter);
    const links = await linksByEscalation(ctx.db, rows.map((e) => e.id));
    const history = await historyByEscalation(ctx.db, rows.map((e) => e.id));
    const body: Record<string, unknown> = { escalations: rows.map((e) => present(base, e, links.get(e.id) ?? [], history.get(e.id) ?? [])), count: rows.length };
    if (includes(req).has('tickets')) body.tickets = (await boardTickets(ctx.db, rows.map((e) => e.ticket_id))).map((t) => presentTicket(base, t));
    return body;
  };

  app.post('/api/v2/tickets/:id/escalations', async (req, reply) => {
    const actor = requireAgent(req);
    const { escalation: b } = parseBody(createBody, req.body, 'escalation');
    const e = await escalateTicket(ctx, { actor, ticketId: parseId((req.params as { id: string }).id), classification: b.classification, summary: b.summary, customerUpdate: b.customer_update, teams: b.teams });
    return created(reply, resourceUrl(baseUrl(req), `escalations/${e.id}`), { escalation: await presentOne(baseUrl(req), e) });
  });

  /** The list behind the engineering board: `?stage=`, `?open=true|false`, `?sort_order=`, `?include=tickets`. */
  app.get('/api/v2/escalations', async (req) => {
    requireAgent(req);
    const q = parseQuery(listQuery, req.query);
    return presentList(req, { stage: q.stage as Escalation['stage'] | undefined, open: q.open === undefined ? undefined : q.open === 'true', order: q.sort_order });
  });

  /** Every escalation of one ticket, oldest first (at most one of them is open). */
  app.get('/api/v2/tickets/:id/escalations', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    const q = parseQuery(listQuery.pick({ open: true }), req.query);
    return presentList(req, { ticketId: ticket.id, open: q.open === undefined ? undefined : q.open === 'true' });
  });

  /** The customer update each stage posts unless the agent edits it, so the UI never repeats the wording. */
  app.get('/api/v2/escalations/templates', async (req) => {
    requireAgent(req);
    const { fix_version } = parseQuery(templateQuery, req.query);
    return { templates: Object.fromEntries(STAGES.map((stage) => [stage, defaultCustomerUpdate(stage, fix_version || null)])) };
  });

  app.get('/api/v2/escalations/:id', async (req) => {
    requireAgent(req);
    return { escalation: await presentOne(baseUrl(req), await getEscalation(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.put('/api/v2/escalations/:id', async (req) => {
    const actor = requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { escalation: b } = parseBody(updateBody, req.body, 'escalation');
    let e = await getEscalation(ctx.db, id);
    if (b.stage && b.stage !== e.stage) {
      e = await moveEscalation(ctx, { actor, escalationId: id, stage: b.stage as Escalation['stage'], fixVersion: b.fix_version, customerUpdate: b.customer_update, teams: b.teams });
    } else if (b.teams || b.fix_version) {
      e = await ctx.db.updateTable('escalations').set({ teams: b.teams, fix_version: b.fix_version, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    }
    return { escalation: await presentOne(baseUrl(req), e) };
  });

  app.post('/api/v2/escalations/:id/links', async (req, reply) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { link } = parseBody(linkBody, req.body, 'link');
    await addLink(ctx, id, link.url);
    return created(reply, resourceUrl(baseUrl(req), `escalations/${id}`), { escalation: await presentOne(baseUrl(req), await getEscalation(ctx.db, id)) });
  });

  app.register(async (scoped) => {
    // Signatures cover the exact bytes sent, so these routes keep the raw body.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const signed = (path: string, secret: () => string | undefined, header: string, handle: (req: FastifyRequest, payload: unknown) => Promise<unknown>) =>
      scoped.post(path, async (req, reply) => {
        const raw = req.body as Buffer | undefined;
        const signature = req.headers[header];
        const key = secret();
        if (!key || !raw || !validSignature(key, raw, typeof signature === 'string' ? signature : undefined)) {
          return reply.code(401).send({ error: 'InvalidSignature', description: `Missing or invalid ${header}` });
        }
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('BadRequest', 'The webhook body is not JSON');
        }
        return handle(req, payload);
      });

    signed('/api/v2/integrations/github/webhook', () => ctx.config.githubWebhookSecret, 'x-hub-signature-256', async (req, payload) => {
      const event = String(req.headers['x-github-event'] ?? '');
      return event === 'ping' ? { ok: true } : handleGithubEvent(ctx, event, payload as Parameters<typeof handleGithubEvent>[2]);
    });

    // Any tracker (Jira automation, scripts): {issue:{key}, transition:<stage>, fix_version?}.
    signed('/api/v2/integrations/issues/webhook', () => ctx.config.issuesWebhookSecret, 'x-sundial-signature', async (_req, payload) => {
      const body = parseBody(issueEvent, payload);
      const key = body.issue.key ?? (body.issue.url ? issueKey(body.issue.url) : null);
      if (!key) throw new AppError('RecordInvalid', 'Record validation errors', { issue: [{ description: 'Issue: give key (e.g. MM-61234) or url', error: 'BlankValue' }] });
      return { moved: await moveLinkedEscalations(ctx, { issueKeys: [key] }, body.transition as Escalation['stage'], body.fix_version) };
    });
  });
}
