import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, created, includes, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { emailField, idField } from '../../platform/validation.js';
import { requireActor } from '../../permissions/guards.js';
import { canSeeComment, canSeeTicket, visibleTickets, type TicketScope } from '../../permissions/tickets.js';
import { isAgent, type Actor } from '../accounts/actor.js';
import type { Database, Status, Ticket } from '../../platform/db-types.js';
import { createTicket } from './create-ticket.service.js';
import { commentSchema, customFieldsSchema, priority, subjectField, toCcChanges, toComment } from './ticket.schema.js';
import { MAX_CCS } from './ticket-input.js';
import { presentComment } from './tickets.presenter.js';
import { commentAttachments } from './comments.repository.js';
import { commentsQuery, findTicket, loadTicketRelations } from './tickets.repository.js';
import { presentRequests, requestExtras, sideLoads } from './ticket-views.js';
import { updateTicket } from './update-ticket.service.js';

const ccList = z.array(z.union([emailField, z.object({ user_email: emailField, user_name: z.string().max(255).optional() })])).max(MAX_CCS, `can have at most ${MAX_CCS} CCs`);

const requestCreate = z.object({
  request: z.object({
    subject: subjectField.optional(),
    comment: commentSchema.omit({ public: true, author_id: true }),
    priority: priority.optional(),
    ticket_form_id: idField.optional(),
    custom_fields: customFieldsSchema.optional(),
    fields: customFieldsSchema.optional(),
    email_ccs: ccList.optional(),
    collaborators: ccList.optional(),
    via_followup_source_id: idField.optional(),
  }),
});

const requestUpdate = z.object({
  request: z.object({
    comment: commentSchema.omit({ public: true, author_id: true }).optional(),
    solved: z.boolean().optional(),
    email_ccs: ccList.optional(),
    collaborators: ccList.optional(),
  }),
});

const ccChanges = (lists: z.infer<typeof ccList>[]) => toCcChanges(lists.map((l) => l.map((e) => (typeof e === 'string' ? e : { user_email: e.user_email, user_name: e.user_name }))));

/** A customer-visible status filter: "open" includes on-hold, which customers see as open. */
function statusFilter(raw: unknown): Status[] | null {
  if (typeof raw !== 'string' || !raw) return null;
  const wanted = raw.split(',').map((s) => s.trim());
  const out = new Set<Status>();
  for (const s of wanted) {
    if (s === 'open') out.add('open').add('hold');
    else if (['new', 'pending', 'solved', 'closed'].includes(s)) out.add(s as Status);
  }
  return [...out];
}

/**
 * Words of a customer's search, all required, against subject and description (`#123` or `123` also
 * finds request 123). Uses the stored search vectors (ticket_search) and their GIN index.
 */
function matchesText(text: string, actor: Actor) {
  const words = text.trim().slice(0, 200);
  const id = /^#?(\d{1,15})$/.exec(words)?.[1];
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    if (!words) return eb.val(true);
    const query = sql`plainto_tsquery('simple', ${words})`;
    // The stored document (every comment, internal notes too) only narrows the candidates through its
    // index, and every branch keeps that narrowing so the index drives the query; the subject and
    // description decide, so no comment's words can make a request match.
    const candidates = eb('tickets.id', 'in', sql<number>`(SELECT ticket_id FROM ticket_search WHERE vector @@ ${query})`);
    const inText = sql<SqlBool>`to_tsvector('simple', tickets.subject || ' ' || tickets.description) @@ ${query}`;
    let decides: Expression<SqlBool> = inText;
    if (!isAgent(actor)) {
      // The description is the first comment. When that comment is internal (an agent opened the
      // ticket with a note), only the subject may match, or the search would reveal the note.
      const privateStart = sql<SqlBool>`NOT COALESCE((SELECT c.public FROM ticket_comments c WHERE c.ticket_id = tickets.id ORDER BY c.id LIMIT 1), true)`;
      decides = eb.or([sql<SqlBool>`to_tsvector('simple', tickets.subject) @@ ${query}`, eb.and([inText, eb.not(privateStart)])]);
    }
    const fts = eb.and([candidates, decides]);
    return id ? eb.or([fts, eb('tickets.id', '=', Number(id))]) : fts;
  };
}

/** The Requests API: what customers (and agents, for their own requests) use. */
export function registerRequestRoutes(app: FastifyInstance, ctx: AppContext) {
  const visibleRequest = async (actor: Actor, id: number): Promise<Ticket> => {
    const ticket = await findTicket(ctx.db, id);
    if (!ticket || !canSeeTicket(actor, ticket, await loadTicketRelations(ctx.db, id, actor))) throw notFound();
    return ticket;
  };
  const respond = async (req: FastifyRequest, actor: Actor, ticket: Ticket) => {
    const extras = await requestExtras(ctx.db, [ticket]);
    const present = await presentRequests(ctx.db, baseUrl(req), actor, [ticket], extras);
    return { request: present(ticket), ...(await sideLoads(ctx.db, baseUrl(req), actor, [ticket], includes(req), extras)) };
  };

  const list = (scope: TicketScope, byOrganization = false, search = false, only?: { statuses?: Ticket['status'][]; byRequester?: boolean }) => async (req: FastifyRequest) => {
    const actor = requireActor(req);
    const q = req.query as Record<string, unknown>;
    if (byOrganization && actor.user.organization_id !== parseId((req.params as { id: string }).id) && actor.user.role === 'end-user') throw notFound();
    const requesterId = only?.byRequester ? parseId((req.params as { id: string }).id) : null;
    if (requesterId !== null && actor.user.role === 'end-user' && requesterId !== actor.user.id) throw notFound();
    const page = readPageRequest(req);
    let query = ctx.db.selectFrom('tickets').selectAll().where(visibleTickets(actor, scope));
    if (search) query = query.where(matchesText(String(q.query ?? ''), actor));
    if (byOrganization) query = query.where('organization_id', '=', parseId((req.params as { id: string }).id));
    if (requesterId !== null) query = query.where('requester_id', '=', requesterId);
    if (only?.statuses) query = query.where('status', 'in', only.statuses);
    const statuses = statusFilter(q.status);
    if (statuses) query = statuses.length ? query.where('status', 'in', statuses) : query.where('id', '<', 0);
    const rows = await applySlice(query, 'tickets.id', { ...sliceOf(page), desc: page.mode === 'offset' ? String(q.sort_order ?? 'desc') !== 'asc' : page.desc }).execute();
    const count = page.mode === 'offset' ? Number((await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : undefined;
    const extras = await requestExtras(ctx.db, rows);
    const present = await presentRequests(ctx.db, baseUrl(req), actor, rows, extras);
    return { ...pageEnvelope(req, page, 'requests', rows, present, count), ...(await sideLoads(ctx.db, baseUrl(req), actor, rows, includes(req), extras)) };
  };

  app.get('/api/v2/requests', list('requested'));
  app.get('/api/v2/requests/search', list('all', false, true));
  app.get('/api/v2/requests/ccd', list('ccd'));
  // Zendesk's shortcuts: "open" is everything not yet solved, "solved" includes closed.
  app.get('/api/v2/requests/open', list('requested', false, false, { statuses: ['new', 'open', 'pending', 'hold'] }));
  app.get('/api/v2/requests/solved', list('requested', false, false, { statuses: ['solved', 'closed'] }));
  app.get('/api/v2/users/:id/requests', list('all', false, false, { byRequester: true }));
  app.get('/api/v2/requests/organization', list('organization'));
  app.get('/api/v2/organizations/:id/requests', list('organization', true));

  app.get('/api/v2/requests/:id', async (req) => {
    const actor = requireActor(req);
    return respond(req, actor, await visibleRequest(actor, parseId((req.params as { id: string }).id)));
  });

  app.post('/api/v2/requests', async (req, reply) => {
    const actor = requireActor(req);
    const { request: r } = parseBody(requestCreate, req.body, 'request');
    const { ticket } = await createTicket(ctx, {
      actor,
      input: {
        subject: r.subject,
        comment: { ...toComment(r.comment), public: true },
        priority: r.priority,
        formId: r.ticket_form_id,
        customFields: r.custom_fields ?? r.fields,
        ccs: ccChanges([r.email_ccs ?? [], r.collaborators ?? []]),
        followupSourceId: r.via_followup_source_id,
        via: actor.via === 'session' ? 'web' : 'api',
      },
    });
    return created(reply, resourceUrl(baseUrl(req), `requests/${ticket.id}`), await respond(req, actor, ticket));
  });

  app.put('/api/v2/requests/:id', async (req, reply) => {
    const actor = requireActor(req);
    const id = parseId((req.params as { id: string }).id);
    const { request: r } = parseBody(requestUpdate, req.body, 'request');
    const outcome = await updateTicket(ctx, {
      actor,
      ticketId: id,
      via: actor.via === 'session' ? 'web' : 'api',
      changes: {
        comment: r.comment ? { ...toComment(r.comment), public: true } : undefined,
        solvedByRequester: r.solved === true ? true : undefined,
        ccs: ccChanges([r.email_ccs ?? [], r.collaborators ?? []]),
      },
    });
    // A reply to a closed request opens a follow-up; the answer is the new request.
    if (outcome.followUp) return created(reply, resourceUrl(baseUrl(req), `requests/${outcome.followUp.id}`), await respond(req, actor, outcome.followUp));
    return respond(req, actor, outcome.ticket);
  });

  const comments = async (req: FastifyRequest) => {
    const actor = requireActor(req);
    const ticket = await visibleRequest(actor, parseId((req.params as { id: string }).id));
    const page = readPageRequest(req);
    const desc = String((req.query as Record<string, unknown>).sort_order ?? '') === 'desc';
    const rows = await applySlice(commentsQuery(ctx.db, ticket.id, true).select(commentAttachments), 'ticket_comments.id', { ...sliceOf(page), desc }).execute();
    const out = pageEnvelope(req, page, 'comments', rows, (c) => presentComment(baseUrl(req), c));
    const authorIds = [...new Set(rows.map((c) => c.author_id))];
    const users = authorIds.length ? await ctx.db.selectFrom('users').select(['id', 'name', 'role']).where('id', 'in', authorIds).execute() : [];
    out.users = users.map((u) => ({ id: u.id, name: u.name, agent: u.role !== 'end-user', photo: null }));
    return out;
  };
  app.get('/api/v2/requests/:id/comments', comments);

  app.get('/api/v2/requests/:id/comments/:commentId', async (req) => {
    const actor = requireActor(req);
    const params = req.params as { id: string; commentId: string };
    const ticket = await visibleRequest(actor, parseId(params.id));
    const comment = await ctx.db.selectFrom('ticket_comments').selectAll().select(commentAttachments).where('id', '=', parseId(params.commentId)).where('ticket_id', '=', ticket.id).executeTakeFirst();
    if (!comment || !canSeeComment(actor, comment)) throw notFound();
    return { comment: presentComment(baseUrl(req), comment) };
  });
}
