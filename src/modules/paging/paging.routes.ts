import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { PagingTargetsTable } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { outboundUrlProblem } from '../../platform/outbound-http.js';
import { validSignedId } from '../../platform/signing.js';
import { isEmail } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { isAgent } from '../accounts/actor.js';
import { findTicket } from '../tickets/tickets.repository.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';
import { acknowledgePage, type Page } from './pages.js';
import { ackPage, ackResultPage } from './ack-page.js';
import './triggers.js';

type Target = Selectable<PagingTargetsTable>;
const KINDS = ['mattermost', 'slack', 'pagerduty', 'email'] as const;
const targetFields = {
  name: z.string().trim().min(1, 'cannot be blank').max(100),
  kind: z.enum(KINDS),
  url: z.string().trim().max(2000).nullable().optional(),
  routing_key: z.string().trim().min(1).max(100).nullable().optional(),
  active: z.boolean().optional(),
};
const createBody = z.object({ target: z.object(targetFields) });
const updateBody = z.object({ target: z.object(targetFields).partial() });

/** The URL rules of each kind, checked on create and update (delivery checks the address again). */
function checkTarget(t: { kind: Target['kind']; url: string | null; routing_key: string | null }, allowPrivate: boolean) {
  if (t.kind === 'email') {
    const address = t.url?.replace(/^mailto:/i, '');
    if (address && !isEmail(address)) throw invalid('url', 'Url: must be an email address or mailto: link (or empty to email the person on call)');
    return;
  }
  if (t.kind === 'pagerduty' && !t.routing_key) throw invalid('routing_key', 'Routing key: cannot be blank (the integration key of a PagerDuty Events API v2 service)', 'BlankValue');
  if (!t.url) {
    if (t.kind === 'pagerduty') return; // the public Events API endpoint
    throw invalid('url', `Url: cannot be blank (the ${t.kind === 'slack' ? 'Slack' : 'Mattermost'} incoming webhook URL)`, 'BlankValue');
  }
  const problem = outboundUrlProblem(t.url, allowPrivate);
  if (problem) throw invalid('url', `Url: ${problem}`);
}

/**
 * What the admin audit log keeps of a paging target: never the routing key (masked as the API shows
 * it) nor a webhook URL's path, which for Slack and Mattermost is itself the credential.
 */
const targetSummary = (t: Target) => ({
  name: t.name,
  kind: t.kind,
  active: t.active,
  url: t.url && /^https?:/i.test(t.url) ? `${new URL(t.url).origin}/…` : t.url,
  routing_key: t.routing_key ? `${'•'.repeat(8)}${t.routing_key.slice(-4)}` : null,
});

/** Premier paging (spec §9.3): where pages go, the pages of a ticket, and acknowledging them. */
export function registerPagingRoutes(app: FastifyInstance, ctx: AppContext) {
  const presentTarget = (base: string, t: Target) => ({
    id: t.id,
    url: resourceUrl(base, `paging/targets/${t.id}`),
    name: t.name,
    kind: t.kind,
    target_url: t.url,
    // The routing key is a credential: shown masked, like Zendesk masks webhook secrets.
    routing_key: t.routing_key ? `${'•'.repeat(8)}${t.routing_key.slice(-4)}` : null,
    active: t.active,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
  });
  const getTarget = async (id: number) => {
    const t = await ctx.db.selectFrom('paging_targets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!t) throw notFound();
    return t;
  };

  app.get('/api/v2/paging/targets', async (req) => {
    requireAdmin(req);
    const rows = await ctx.db.selectFrom('paging_targets').selectAll().orderBy('id').execute();
    return { targets: rows.map((t) => presentTarget(baseUrl(req), t)), count: rows.length };
  });

  app.post('/api/v2/paging/targets', async (req, reply) => {
    requireAdmin(req);
    const { target: b } = parseBody(createBody, req.body, 'target');
    const values = { name: b.name, kind: b.kind, url: b.url || null, routing_key: b.routing_key ?? null };
    checkTarget(values, ctx.config.webhookAllowPrivate);
    const t = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('paging_targets').values({ ...values, active: b.active ?? true, updated_at: new Date() }).returningAll().executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'create', sourceType: 'paging_target', sourceId: row.id, sourceLabel: row.name, change: 'Paging target created', after: targetSummary(row) });
      return row;
    });
    return created(reply, resourceUrl(baseUrl(req), `paging/targets/${t.id}`), { target: presentTarget(baseUrl(req), t) });
  });

  app.put('/api/v2/paging/targets/:id', async (req) => {
    requireAdmin(req);
    const current = await getTarget(parseId((req.params as { id: string }).id));
    const { target: b } = parseBody(updateBody, req.body, 'target');
    const next = { name: b.name ?? current.name, kind: b.kind ?? current.kind, url: b.url !== undefined ? b.url || null : current.url, routing_key: b.routing_key !== undefined ? b.routing_key : current.routing_key };
    checkTarget(next, ctx.config.webhookAllowPrivate);
    const t = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx.updateTable('paging_targets').set({ ...next, active: b.active, updated_at: new Date() }).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'update', sourceType: 'paging_target', sourceId: row.id, sourceLabel: row.name, ...changeSet(targetSummary(current), targetSummary(row)) });
      return row;
    });
    return { target: presentTarget(baseUrl(req), t) };
  });

  app.delete('/api/v2/paging/targets/:id', async (req, reply) => {
    requireAdmin(req);
    const t = await getTarget(parseId((req.params as { id: string }).id));
    await ctx.db.transaction().execute(async (tx) => {
      const gone = await tx.deleteFrom('paging_targets').where('id', '=', t.id).returningAll().executeTakeFirst();
      if (gone) await recordAdminAction(tx, { action: 'destroy', sourceType: 'paging_target', sourceId: gone.id, sourceLabel: gone.name, change: 'Paging target deleted', before: targetSummary(gone) });
    });
    return reply.code(204).send();
  });

  const presentPages = async (pages: Page[]) => {
    const ids = pages.map((p) => p.id);
    const deliveries = ids.length
      ? await ctx.db
          .selectFrom('page_deliveries')
          .innerJoin('paging_targets', 'paging_targets.id', 'page_deliveries.target_id')
          .select(['page_deliveries.id', 'page_id', 'target_id', 'paging_targets.name as target_name', 'paging_targets.kind', 'send_no', 'event', 'level', 'user_id', 'status', 'attempts', 'response_status', 'error', 'page_deliveries.created_at', 'sent_at'])
          .where('page_id', 'in', ids)
          .orderBy('page_deliveries.id')
          .execute()
      : [];
    return pages.map((p) => ({
      id: p.id,
      ticket_id: p.ticket_id,
      schedule_id: p.schedule_id,
      reason: p.reason,
      level: p.level,
      user_id: p.user_id,
      status: p.status,
      sends: p.sends,
      next_send_at: p.status === 'open' ? iso(p.next_send_at) : null,
      escalate_at: p.status === 'open' && p.level === 'primary' ? iso(p.escalate_at) : null,
      created_at: iso(p.created_at),
      acknowledged_at: iso(p.acknowledged_at),
      acknowledged_by: p.acknowledged_by,
      acknowledged_via: p.acknowledged_via,
      resolved_at: iso(p.resolved_at),
      resolved_reason: p.resolved_reason,
      deliveries: deliveries
        .filter((d) => d.page_id === p.id)
        .map((d) => ({ id: d.id, target_id: d.target_id, target_name: d.target_name, kind: d.kind, send: d.send_no, event: d.event, level: d.level, user_id: d.user_id, status: d.status, attempts: d.attempts, response_status: d.response_status, error: d.error, created_at: iso(d.created_at), sent_at: iso(d.sent_at) })),
    }));
  };

  app.get('/api/v2/tickets/:id/pages', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    const pages = await ctx.db.selectFrom('pages').selectAll().where('ticket_id', '=', ticket.id).orderBy('id').execute();
    return { pages: await presentPages(pages), count: pages.length };
  });

  /** Open pages across the desk, oldest first: the agent workspace's pager bell. */
  app.get('/api/v2/pages', async (req) => {
    requireAgent(req);
    const status = (req.query as Record<string, unknown>).status ?? 'open';
    if (!['open', 'acknowledged', 'resolved'].includes(String(status))) throw new AppError('BadRequest', 'status must be one of open, acknowledged, resolved');
    const pages = await ctx.db.selectFrom('pages').selectAll().where('status', '=', status as Page['status']).orderBy('created_at', status === 'open' ? 'asc' : 'desc').limit(100).execute();
    return { pages: await presentPages(pages), count: pages.length };
  });

  // An agent in the workspace, or anyone holding the signed link that came with the page.
  app.post('/api/v2/pages/:id/acknowledge', async (req) => {
    const id = parseId((req.params as { id: string }).id);
    const signature = parseBody(z.object({ signature: z.string().max(200).optional() }), req.body ?? {}).signature;
    let userId: number | null = null;
    if (isAgent(req.actor)) userId = req.actor!.user.id;
    else if (!(await validSignedId(ctx.db, 'page-ack', id, signature))) throw notFound();
    const { page, already } = await acknowledgePage(ctx, id, { userId, via: userId ? 'agent' : 'link' });
    return { page: (await presentPages([page]))[0], already_acknowledged: already };
  });

  // The link in a page opens a confirmation; only its button acknowledges, so chat link previews
  // (which fetch every URL) cannot acknowledge on someone's behalf.
  app.register(async (scoped) => registerAckPages(scoped, ctx));
}

function registerAckPages(app: FastifyInstance, ctx: AppContext) {
  // The confirmation form posts no fields; the signature is in the URL.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));
  app.get('/pages/:id/acknowledge', async (req, reply) => {
    const id = parseId((req.params as { id: string }).id);
    const signature = (req.query as Record<string, unknown>).signature;
    if (!(await validSignedId(ctx.db, 'page-ack', id, signature))) throw notFound();
    const page = await ctx.db.selectFrom('pages').innerJoin('tickets', 'tickets.id', 'pages.ticket_id').select(['pages.id', 'pages.status', 'tickets.id as ticket_id', 'tickets.subject']).where('pages.id', '=', id).executeTakeFirstOrThrow();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ackPage(page, String(signature)));
  });

  app.post('/pages/:id/acknowledge', async (req, reply) => {
    const id = parseId((req.params as { id: string }).id);
    const signature = (req.query as Record<string, unknown>).signature;
    if (!(await validSignedId(ctx.db, 'page-ack', id, signature))) throw notFound();
    const { page, already } = await acknowledgePage(ctx, id, { userId: null, via: 'link' });
    const who = page.acknowledged_by ? await ctx.db.selectFrom('users').select('name').where('id', '=', page.acknowledged_by).executeTakeFirst() : undefined;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ackResultPage(page, already, who?.name ?? null));
  });
}
