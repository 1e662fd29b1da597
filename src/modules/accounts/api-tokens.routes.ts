import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import type { ApiTokensTable } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import { notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { digest, newSecret } from '../../platform/secrets.js';
import { requireAgent } from '../../permissions/guards.js';
import { isAdmin } from './actor.js';
import { iso } from './users.presenter.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';

const createBody = z.object({ token: z.object({ description: z.string().trim().max(255).default('') }).default({ description: '' }) });

const present = (base: string, t: Selectable<ApiTokensTable>) => ({
  url: resourceUrl(base, `api_tokens/${t.id}`),
  id: t.id,
  user_id: t.user_id,
  description: t.description,
  active: t.revoked_at === null,
  created_at: iso(t.created_at),
  last_used_at: iso(t.last_used_at),
});

/** API tokens for agents and admins: the value is shown once, only its digest is kept. */
export function registerApiTokenRoutes(app: FastifyInstance, ctx: AppContext) {
  app.post('/api/v2/api_tokens', async (req, reply) => {
    const actor = requireAgent(req);
    const body = parseBody(createBody, req.body ?? {});
    const value = newSecret();
    const token = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('api_tokens').values({ user_id: actor.user.id, description: body.token.description, token_hash: digest(value) }).returningAll().executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'create', sourceType: 'api_token', sourceId: row.id, sourceLabel: row.description || `token ${row.id}`, change: `API token created for ${actor.user.email}`, after: { user_id: row.user_id, description: row.description } });
      return row;
    });
    return created(reply, resourceUrl(baseUrl(req), `api_tokens/${token.id}`), { token: { ...present(baseUrl(req), token), value } });
  });

  app.get('/api/v2/api_tokens', async (req) => {
    const actor = requireAgent(req);
    const rows = await ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('revoked_at', 'is', null)
      .$if(!isAdmin(actor), (q) => q.where('user_id', '=', actor.user.id))
      .orderBy('id')
      .execute();
    return { api_tokens: rows.map((t) => present(baseUrl(req), t)) };
  });

  app.delete('/api/v2/api_tokens/:id', async (req, reply) => {
    const actor = requireAgent(req);
    await ctx.db.transaction().execute(async (tx) => {
      const revoked = await tx
        .updateTable('api_tokens')
        .set({ revoked_at: new Date() })
        .where('id', '=', parseId((req.params as { id: string }).id))
        .where('revoked_at', 'is', null)
        .$if(!isAdmin(actor), (q) => q.where('user_id', '=', actor.user.id))
        .returningAll()
        .executeTakeFirst();
      if (!revoked) throw notFound();
      await recordAdminAction(tx, { action: 'revoke', sourceType: 'api_token', sourceId: revoked.id, sourceLabel: revoked.description || `token ${revoked.id}`, change: `API token of user ${revoked.user_id} revoked`, before: { user_id: revoked.user_id, description: revoked.description } });
    });
    return reply.code(204).send();
  });
}
