import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireActor, requireAdmin } from '../../permissions/guards.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { iso } from '../accounts/users.presenter.js';
import { findOAuthClient } from './clients.js';
import { SCOPES } from './scopes.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { findOAuthToken, issueOAuthToken, listOAuthTokens, revokeOAuthToken, type OAuthToken } from './tokens.js';

const createBody = z.object({
  token: z.object({ client_id: z.number().int().positive(), scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length) }),
});

/** Zendesk's OAuth token object; the token value itself only on creation (`full_token`). */
function presentToken(base: string, t: OAuthToken, fullToken?: string) {
  return {
    url: resourceUrl(base, `oauth/tokens/${t.id}`),
    id: t.id,
    user_id: t.user_id,
    client_id: t.client_id,
    scopes: t.scopes,
    refresh_token: null,
    created_at: iso(t.created_at),
    used_at: iso(t.used_at),
    expires_at: null,
    refresh_token_expires_at: null,
    ...(fullToken ? { full_token: fullToken } : {}),
  };
}

/** The token this request was authenticated with (for X-On-Behalf-Of, the admin's token). */
function currentTokenId(actor: Actor): number {
  if (!actor.oauth) throw notFound();
  return actor.oauth.tokenId;
}

/**
 * OAuth tokens under /api/v2/oauth/tokens: admins see and revoke every token, other users their own
 * (someone else's is a 404). `current` names the token of the request, as Mattermost's app uses it.
 */
export function registerOAuthTokenRoutes(app: FastifyInstance, ctx: AppContext) {
  const owner = (actor: Actor) => (isAdmin(actor) ? undefined : actor.user.id);
  const idParam = (req: FastifyRequest, actor: Actor) => {
    const raw = (req.params as { id: string }).id;
    return raw === 'current' ? currentTokenId(actor) : parseId(raw);
  };

  app.get('/api/v2/oauth/tokens', async (req) => {
    const actor = requireActor(req);
    const page = readPageRequest(req);
    const clientParam = (req.query as Record<string, unknown>).client_id;
    const clientId = clientParam === undefined || clientParam === '' ? undefined : parseId(clientParam);
    const rows = await listOAuthTokens(ctx.db, { userId: owner(actor), clientId, slice: sliceOf(page) });
    return pageEnvelope(req, page, 'tokens', rows, (t) => presentToken(baseUrl(req), t));
  });

  app.get('/api/v2/oauth/tokens/:id', async (req) => {
    const actor = requireActor(req);
    const raw = (req.params as { id: string }).id;
    // The current token is the caller's by definition, even when impersonating.
    const token = raw === 'current' ? await findOAuthToken(ctx.db, currentTokenId(actor)) : await findOAuthToken(ctx.db, parseId(raw), owner(actor));
    return { token: presentToken(baseUrl(req), token) };
  });

  app.post('/api/v2/oauth/tokens', async (req, reply) => {
    const actor = requireAdmin(req);
    const body = parseBody(createBody, req.body, 'token');
    const client = await findOAuthClient(ctx.db, body.token.client_id);
    const scopes = SCOPES.filter((s) => body.token.scopes.includes(s));
    const { token, value } = await ctx.db.transaction().execute(async (tx) => {
      const issued = await issueOAuthToken(tx, { clientId: client.id, userId: actor.user.id, scopes });
      await recordAdminAction(tx, { action: 'create', sourceType: 'oauth_token', sourceId: issued.token.id, sourceLabel: client.name, change: `OAuth token created for ${client.identifier} (${scopes.join(' ')})`, after: { client_id: client.id, scopes } });
      return issued;
    });
    return created(reply, resourceUrl(baseUrl(req), `oauth/tokens/${token.id}`), { token: presentToken(baseUrl(req), token, value) });
  });

  app.delete('/api/v2/oauth/tokens/:id', async (req, reply) => {
    const actor = requireActor(req);
    const raw = (req.params as { id: string }).id;
    await revokeOAuthToken(ctx.db, idParam(req, actor), raw === 'current' ? undefined : owner(actor));
    return reply.code(204).send();
  });
}
