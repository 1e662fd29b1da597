import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, created, includes, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { applySlice, countEnvelope, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { ticketAbilities, visibleTickets } from '../../permissions/tickets.js';
import { presentAudits } from './audits.presenter.js';
import { auditEvents } from './audits.repository.js';
import { commentAttachments } from './comments.repository.js';
import { createTicket } from './create-ticket.service.js';
import { deleteTicket } from './delete-ticket.service.js';
import { ticketCreateSchema, ticketUpdateSchema, toTicketChanges } from './ticket.schema.js';
import { toNewTicketInput } from './new-ticket-input.js';
import { presentComment } from './tickets.presenter.js';
import { commentsQuery, findTicket } from './tickets.repository.js';
import { presentTickets, sideLoads, ticketExtras } from './ticket-views.js';
import { loadExtrasWithAudit } from './ticket-extras.repository.js';
import type { TicketExtras } from './tickets.presenter.js';
import { updateTicket } from './update-ticket.service.js';
import type { Ticket } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { presentUser } from '../accounts/users.presenter.js';
import { findUsers } from '../accounts/users.service.js';
import { evaluateTicket } from '../sla/engine.js';
import { presentSlas } from '../sla/sla.presenter.js';

type ListFilter = 'requested' | 'ccd' | 'assigned' | 'organization';

/** The agent-facing Tickets API (end users get 403 here and use the Requests API instead). */
export function registerTicketRoutes(app: FastifyInstance, ctx: AppContext) {
  /** The ticket as the API shows it, with the audit of the write that returned it (read in the same statement). */
  const respondWithTicket = async (req: FastifyRequest, actor: Actor, ticket: Ticket, auditId?: number | null) => {
    const [extras, extra] = await extrasAndAudit(req, ticket, auditId);
    const present = await presentTickets(ctx.db, baseUrl(req), [ticket], extras);
    const abilities = includes(req).has('abilities') ? { abilities: ticketAbilities(actor, ticket) } : {};
    const presented: Record<string, unknown> = present(ticket);
    if (includes(req).has('slas')) presented.slas = presentSlas((await evaluateTicket(ctx.db, ticket.id)).instances);
    return { ticket: presented, ...extra, ...abilities, ...(await sideLoads(ctx.db, baseUrl(req), actor, [ticket], includes(req), extras)) };
  };
  /** The ticket's extras, and (for a write) `{ audit }`: null when the write changed nothing. */
  const extrasAndAudit = async (req: FastifyRequest, ticket: Ticket, auditId?: number | null): Promise<[Map<number, TicketExtras>, { audit?: unknown }]> => {
    if (auditId === undefined) return [await ticketExtras(ctx.db, [ticket]), {}];
    if (auditId === null) return [await ticketExtras(ctx.db, [ticket]), { audit: null }];
    const { extras, audit } = await loadExtrasWithAudit(ctx.db, ticket.id, auditId);
    return [new Map([[ticket.id, extras]]), { audit: audit && presentAudits(baseUrl(req), [audit])(audit) }];
  };

  const list = (filter: ListFilter | null) => async (req: FastifyRequest) => {
    const actor = requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const page = readPageRequest(req);
    let query = ctx.db.selectFrom('tickets').selectAll().where(visibleTickets(actor));
    const ownerId = filter ? parseId((req.params as { id: string }).id) : null;
    if (filter === 'requested') query = query.where('requester_id', '=', ownerId!);
    if (filter === 'assigned') query = query.where('assignee_id', '=', ownerId!);
    if (filter === 'organization') query = query.where('organization_id', '=', ownerId!);
    if (filter === 'ccd') query = query.where('id', 'in', ctx.db.selectFrom('ticket_collaborators').select('ticket_id').where('user_id', '=', ownerId!));
    if (typeof q.external_id === 'string') query = query.where('external_id', '=', q.external_id);
    const rows = await applySlice(query, 'tickets.id', sliceOf(page)).execute();
    const count = page.mode === 'offset' ? Number((await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : undefined;
    const extras = await ticketExtras(ctx.db, rows);
    const present = await presentTickets(ctx.db, baseUrl(req), rows, extras);
    return { ...pageEnvelope(req, page, 'tickets', rows, present, count), ...(await sideLoads(ctx.db, baseUrl(req), actor, rows, includes(req), extras)) };
  };

  app.get('/api/v2/tickets', list(null));
  app.get('/api/v2/users/:id/tickets/requested', list('requested'));
  app.get('/api/v2/users/:id/tickets/ccd', list('ccd'));
  app.get('/api/v2/users/:id/tickets/assigned', list('assigned'));
  app.get('/api/v2/organizations/:id/tickets', list('organization'));

  app.get('/api/v2/tickets/count', async (req) => {
    const actor = requireAgent(req);
    const row = await ctx.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where(visibleTickets(actor)).executeTakeFirstOrThrow();
    return countEnvelope(row.n);
  });

  app.get('/api/v2/tickets/show_many', async (req) => {
    const actor = requireAgent(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids);
    const rows = ids.length ? await ctx.db.selectFrom('tickets').selectAll().where('id', 'in', ids).where(visibleTickets(actor)).orderBy('id').execute() : [];
    const extras = await ticketExtras(ctx.db, rows);
    const present = await presentTickets(ctx.db, baseUrl(req), rows, extras);
    return { tickets: rows.map(present), ...(await sideLoads(ctx.db, baseUrl(req), actor, rows, includes(req), extras)) };
  });

  app.get('/api/v2/tickets/:id', async (req) => {
    const actor = requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    return respondWithTicket(req, actor, ticket);
  });

  app.post('/api/v2/tickets', async (req, reply) => {
    const actor = requireAgent(req);
    const { ticket: t } = parseBody(ticketCreateSchema, req.body, 'ticket');
    const { ticket, auditId } = await createTicket(ctx, { actor, input: toNewTicketInput(t, 'api') });
    const body = await respondWithTicket(req, actor, ticket, auditId);
    return created(reply, resourceUrl(baseUrl(req), `tickets/${ticket.id}`), body);
  });

  app.put('/api/v2/tickets/:id', async (req) => {
    const actor = requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { ticket: t } = parseBody(ticketUpdateSchema, req.body, 'ticket');
    const { ticket, auditId } = await updateTicket(ctx, {
      actor,
      ticketId: id,
      changes: toTicketChanges(t),
      via: 'api',
      safeUpdate: t.safe_update,
      updatedStamp: t.updated_stamp ? new Date(t.updated_stamp) : undefined,
    });
    return respondWithTicket(req, actor, ticket, auditId);
  });

  app.delete('/api/v2/tickets/:id', async (req, reply) => {
    const actor = requireAgent(req);
    await deleteTicket(ctx, { actor, ticketId: parseId((req.params as { id: string }).id) });
    return reply.code(204).send();
  });

  app.get('/api/v2/tickets/:id/comments', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    const page = readPageRequest(req);
    const desc = String((req.query as Record<string, unknown>).sort_order ?? '') === 'desc';
    const rows = await applySlice(commentsQuery(ctx.db, ticket.id, false).select(commentAttachments), 'ticket_comments.id', { ...sliceOf(page), desc }).execute();
    const out = pageEnvelope(req, page, 'comments', rows, (c) => presentComment(baseUrl(req), c));
    if (includes(req).has('users')) {
      const ids = [...new Set(rows.map((c) => c.author_id))];
      const users = ids.length ? await findUsers(ctx.db, ids) : [];
      out.users = users.map((u) => presentUser(baseUrl(req), u));
    }
    return out;
  });

  app.get('/api/v2/tickets/:id/audits', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    const page = readPageRequest(req);
    const rows = await applySlice(ctx.db.selectFrom('ticket_audits').selectAll().select(auditEvents).where('ticket_id', '=', ticket.id), 'ticket_audits.id', sliceOf(page)).execute();
    const present = presentAudits(baseUrl(req), rows);
    return pageEnvelope(req, page, 'audits', rows, present);
  });

  app.get('/api/v2/tickets/:id/audits/count', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    const row = await ctx.db.selectFrom('ticket_audits').select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow();
    return countEnvelope(row.n);
  });

  app.get('/api/v2/tickets/:id/audits/:audit_id', async (req) => {
    requireAgent(req);
    const params = req.params as { id: string; audit_id: string };
    const ticket = await findTicket(ctx.db, parseId(params.id));
    if (!ticket) throw notFound();
    const audit = await ctx.db.selectFrom('ticket_audits').selectAll().select(auditEvents).where('ticket_id', '=', ticket.id).where('id', '=', parseId(params.audit_id)).executeTakeFirst();
    if (!audit) throw notFound();
    const present = presentAudits(baseUrl(req), [audit]);
    return { audit: present(audit) };
  });
}
