import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, parseBody } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';
import { recordDeflection, suggestForRequest } from './deflection.service.js';
import { presentSuggestion } from './helpcenter.presenter.js';
import { answeredSchema, suggestionsSchema } from './helpcenter.schema.js';

/**
 * Deflection on the request form: articles matching what the customer is typing, and "this answered my
 * question", which ends the request without creating a ticket. POST because a description can be long.
 */
export function registerDeflectionRoutes(app: FastifyInstance, ctx: AppContext) {
  app.post('/api/v2/help_center/deflection/suggestions', async (req) => {
    const { deflection } = parseBody(suggestionsSchema, req.body, 'deflection');
    const hits = await suggestForRequest(ctx.db, { actor: req.actor, subject: deflection.subject, description: deflection.description, formId: deflection.ticket_form_id });
    return { articles: hits.map((h) => presentSuggestion(baseUrl(req), h)) };
  });

  app.post('/api/v2/help_center/deflection/answered', async (req, reply) => {
    const { deflection } = parseBody(answeredSchema, req.body, 'deflection');
    const row = await recordDeflection(ctx.db, { actor: req.actor, articleId: deflection.article_id, subject: deflection.subject, formId: deflection.ticket_form_id });
    return reply.code(201).send({ deflection: { id: row.id, article_id: row.article_id, subject: row.subject, ticket_form_id: row.form_id, created_at: iso(row.created_at) } });
  });
}
