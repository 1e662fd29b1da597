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
    const token = await ctx.db
      .insertInto('api_tokens')
      .values({ user_id: actor.user.id, description: body.token.description, token_hash: digest(value) })
      .returningAll()
      .executeTakeFirstOrThrow();
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
    const res = await ctx.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', parseId((req.params as { id: string }).id))
      .where('revoked_at', 'is', null)
      .$if(!isAdmin(actor), (q) => q.where('user_id', '=', actor.user.id))
      .executeTakeFirst();
    if (!res.numUpdatedRows) throw notFound();
    return reply.code(204).send();
  });
}
