import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { EscalationsTable } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import { AppError } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { addLink, escalateTicket, getEscalation, issueKey, moveEscalation } from './escalations.service.js';
import { handleGithubEvent, validSignature } from './github.js';
import { moveLinkedEscalations } from './linked.js';
import { STAGES } from './stages.js';

const TEAMS = ['support', 'sustained_engineering', 'product', 'customer_success', 'leadership'] as const;
const createBody = z.object({
  escalation: z.object({
    classification: z.enum(['bug', 'feature_request', 'configuration', 'unsupported_configuration', 'needs_info']),
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
const linkBody = z.object({ link: z.object({ url: z.url({ protocol: /^https?$/ }).max(2000) }) });

const issueEvent = z.object({
  issue: z.object({ key: z.string().regex(/^[A-Z][A-Z0-9]+-\d+$/, 'must be a tracker key such as MM-61234').optional(), url: z.url().optional() }),
  transition: z.enum(STAGES.filter((s) => s !== 'escalated') as [string, ...string[]]),
  fix_version: z.string().trim().min(1).max(50).optional(),
});

type Escalation = Selectable<EscalationsTable>;

/** Engineering escalations (spec §9) in Zendesk style, and the GitHub webhook that closes the loop. */
export function registerEscalationRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = async (base: string, e: Escalation) => {
    const links = await ctx.db.selectFrom('escalation_links').selectAll().where('escalation_id', '=', e.id).orderBy('id').execute();
    return {
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
      created_at: iso(e.created_at),
      updated_at: iso(e.updated_at),
      closed_at: iso(e.closed_at),
    };
  };

  app.post('/api/v2/tickets/:id/escalations', async (req, reply) => {
    const actor = requireAgent(req);
    const { escalation: b } = parseBody(createBody, req.body, 'escalation');
    const e = await escalateTicket(ctx, { actor, ticketId: parseId((req.params as { id: string }).id), classification: b.classification, summary: b.summary, customerUpdate: b.customer_update, teams: b.teams });
    return created(reply, resourceUrl(baseUrl(req), `escalations/${e.id}`), { escalation: await present(baseUrl(req), e) });
  });

  app.get('/api/v2/escalations', async (req) => {
    requireAgent(req);
    const stage = (req.query as Record<string, unknown>).stage;
    if (stage !== undefined && !STAGES.includes(stage as never)) throw new AppError('BadRequest', `stage must be one of ${STAGES.join(', ')}`);
    const rows = await ctx.db
      .selectFrom('escalations')
      .selectAll()
      .$if(stage !== undefined, (q) => q.where('stage', '=', stage as Escalation['stage']))
      .orderBy('created_at')
      .limit(500)
      .execute();
    return { escalations: await Promise.all(rows.map((e) => present(baseUrl(req), e))), count: rows.length };
  });

  app.get('/api/v2/escalations/:id', async (req) => {
    requireAgent(req);
    return { escalation: await present(baseUrl(req), await getEscalation(ctx.db, parseId((req.params as { id: string }).id))) };
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
    return { escalation: await present(baseUrl(req), e) };
  });

  app.post('/api/v2/escalations/:id/links', async (req, reply) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { link } = parseBody(linkBody, req.body, 'link');
    await addLink(ctx, id, link.url);
    return created(reply, resourceUrl(baseUrl(req), `escalations/${id}`), { escalation: await present(baseUrl(req), await getEscalation(ctx.db, id)) });
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
