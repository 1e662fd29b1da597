import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../platform/context.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { sameSecret } from '../../../platform/secrets.js';
import { requireAdmin } from '../../../permissions/guards.js';
import { iso } from '../../accounts/users.presenter.js';
import { receiveMail } from './router.js';

const MIME_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

/** Inbound mail over HTTP (for providers that POST raw MIME) and the log of what came in. */
export function registerInboundMailRoutes(app: FastifyInstance, ctx: AppContext) {
  app.register(async (scoped) => {
    for (const type of MIME_TYPES) scoped.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: ctx.config.inboundMaxBytes }, (_req, body, done) => done(null, body));
    scoped.post('/api/v2/inbound/mime', async (req, reply) => {
      const expected = ctx.config.inboundToken;
      const given = req.headers['x-sundial-inbound-token'] ?? (req.query as Record<string, unknown>).token;
      // Without INBOUND_TOKEN the endpoint does not exist; a wrong token is told nothing more.
      if (!expected) throw notFound();
      if (typeof given !== 'string' || !sameSecret(given, expected)) return reply.code(401).send({ error: 'InvalidToken', description: 'Missing or invalid inbound token' });
      const raw = req.body;
      if (!Buffer.isBuffer(raw) || !raw.length) throw new AppError('BadRequest', `Send the raw message as the body, with Content-Type ${MIME_TYPES.join(', ')}`);
      const result = await receiveMail(ctx, raw, { channel: 'http', envelopeFrom: null, recipients: [] });
      const body = { inbound: { outcome: result.outcome, reason: result.reason, ticket_id: result.ticketId } };
      return reply.code(result.outcome === 'rejected' ? 422 : 200).send(body);
    });
  });

  app.get('/api/v2/inbound/mail', async (req) => {
    requireAdmin(req);
    const outcome = (req.query as Record<string, unknown>).outcome;
    if (outcome !== undefined && !['comment', 'ticket', 'follow_up', 'ignored', 'rejected'].includes(String(outcome))) {
      throw new AppError('BadRequest', 'outcome must be one of comment, ticket, follow_up, ignored, rejected');
    }
    const rows = await ctx.db
      .selectFrom('inbound_mail')
      .selectAll()
      .$if(outcome !== undefined, (q) => q.where('outcome', '=', outcome as 'comment'))
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    return {
      inbound_mail: rows.map((r) => ({
        id: r.id,
        message_id: r.message_id,
        from: r.from_address,
        to: r.to_addresses,
        subject: r.subject,
        channel: r.channel,
        outcome: r.outcome,
        reason: r.reason,
        ticket_id: r.ticket_id,
        comment_id: r.comment_id,
        size: r.size_bytes,
        received_at: iso(r.received_at),
      })),
      count: rows.length,
    };
  });
}
