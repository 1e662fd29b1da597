import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireAdmin } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import {
  createOAuthClient,
  deleteOAuthClient,
  findOAuthClient,
  listOAuthClients,
  regenerateOAuthClientSecret,
  updateOAuthClient,
  type OAuthClient,
} from './clients.js';

function isRedirectUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.hash && !text.includes('#');
  } catch {
    return false;
  }
}

const redirectUri = z.string().trim().max(2000).refine(isRedirectUrl, 'must be an absolute http or https URL without a #fragment');
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const fields = {
  company: optionalText(255),
  description: optionalText(2000),
  logo_url: optionalText(2000),
  kind: z.enum(['confidential', 'public']).optional(),
  // Zendesk sends a list; a single URL is accepted as a list of one.
  redirect_uri: z.union([z.array(redirectUri).max(20), redirectUri.transform((u) => [u])]).optional(),
};
const name = z.string().trim().min(1, 'cannot be blank').max(255);
const identifier = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'may only contain letters, digits, "_", "-" and "." (100 at most)');
const createBody = z.object({ client: z.object({ name, identifier, ...fields }) });
const updateBody = z.object({ client: z.object({ name: name.optional(), identifier: identifier.optional(), ...fields }) });

/** Zendesk's OAuth client object; `secret` only right after it was generated (it is stored as a digest). */
function presentClient(base: string, c: OAuthClient, secret?: string) {
  return {
    url: resourceUrl(base, `oauth/clients/${c.id}`),
    id: c.id,
    user_id: c.user_id,
    name: c.name,
    identifier: c.identifier,
    company: c.company,
    description: c.description,
    logo_url: c.logo_url,
    redirect_uri: c.redirect_uri,
    kind: c.kind,
    global: false,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
    ...(secret ? { secret } : {}),
  };
}

/** OAuth clients (admins only): `/api/v2/oauth/clients`, as node-zendesk's `oauthclients` calls them. */
export function registerOAuthClientRoutes(app: FastifyInstance, ctx: AppContext) {
  const idOf = (params: unknown) => parseId((params as { id: string }).id);

  app.get('/api/v2/oauth/clients', async (req) => {
    requireAdmin(req);
    const page = readPageRequest(req);
    const rows = await listOAuthClients(ctx.db, sliceOf(page));
    return pageEnvelope(req, page, 'clients', rows, (c) => presentClient(baseUrl(req), c));
  });

  app.get('/api/v2/oauth/clients/:id', async (req) => {
    requireAdmin(req);
    return { client: presentClient(baseUrl(req), await findOAuthClient(ctx.db, idOf(req.params))) };
  });

  app.post('/api/v2/oauth/clients', async (req, reply) => {
    const actor = requireAdmin(req);
    const body = parseBody(createBody, req.body, 'client');
    const { client, secret } = await createOAuthClient(ctx.db, { userId: actor.user.id, fields: body.client });
    return created(reply, resourceUrl(baseUrl(req), `oauth/clients/${client.id}`), { client: presentClient(baseUrl(req), client, secret) });
  });

  app.put('/api/v2/oauth/clients/:id', async (req) => {
    requireAdmin(req);
    const id = idOf(req.params);
    const body = parseBody(updateBody, req.body, 'client');
    return { client: presentClient(baseUrl(req), await updateOAuthClient(ctx.db, { id, fields: body.client })) };
  });

  app.put('/api/v2/oauth/clients/:id/generate_secret', async (req) => {
    requireAdmin(req);
    const { client, secret } = await regenerateOAuthClientSecret(ctx.db, idOf(req.params));
    return { client: presentClient(baseUrl(req), client, secret) };
  });

  app.delete('/api/v2/oauth/clients/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteOAuthClient(ctx.db, idOf(req.params));
    return reply.code(204).send();
  });
}
