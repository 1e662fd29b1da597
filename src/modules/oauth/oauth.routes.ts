import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { sameSecret } from '../../platform/secrets.js';
import { bySessionToken, SESSION_COOKIE } from '../accounts/authenticate.js';
import { authorizationParams, checkAuthorizationRequest, issueAuthorizationCode, redirectWith, type AuthorizationCheck, type AuthorizationParams } from './authorization.js';
import { authorizationErrorPage, consentPage } from './consent-page.js';
import { basicClientCredentials, exchangeAuthorizationCode, OAuthError, type TokenRequest } from './exchange.js';

const FORM_LIMIT = 64 * 1024;

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);

/** Where the portal sign-in page sends the user back to: the consent page with the same request. */
const loginUrl = (p: AuthorizationParams) => `/login?next=${encodeURIComponent(`/oauth/authorizations/new?${new URLSearchParams(p as Record<string, string>)}`)}`;

function tokenRequest(body: unknown): TokenRequest {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const keys = ['grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret', 'code_verifier', 'scope'] as const;
  return Object.fromEntries(keys.filter((k) => typeof b[k] === 'string' || typeof b[k] === 'number').map((k) => [k, String(b[k])]));
}

/**
 * Zendesk's OAuth endpoints outside /api/v2: the consent page (`GET /oauth/authorizations/new`),
 * its form (`POST /oauth/authorizations`) and the code exchange (`POST /oauth/tokens`). The consent
 * page runs on the portal session cookie; its form carries the session's CSRF token, since the
 * app-wide CSRF check covers /api/ only. Forms are url-encoded, parsed in this scope only.
 */
export function registerOAuthFlowRoutes(app: FastifyInstance, ctx: AppContext) {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const signedIn = (req: FastifyRequest) => {
      const token = req.cookies[SESSION_COOKIE];
      return token ? bySessionToken(ctx.db, token) : Promise.resolve(null);
    };

    /** Errors go back to a verified redirect_uri; otherwise the user sees them (never an open redirect). */
    const refuse = (reply: FastifyReply, check: Exclude<AuthorizationCheck, { ok: true }>) =>
      check.redirectUri
        ? reply.redirect(redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }), 302)
        : html(reply, 400, authorizationErrorPage(check.description));

    scope.get('/oauth/authorizations/new', async (req, reply) => {
      const params = authorizationParams(req.query);
      const check = await checkAuthorizationRequest(ctx.db, params);
      if (!check.ok) return refuse(reply, check);
      const actor = await signedIn(req);
      if (!actor?.csrfToken) return reply.redirect(loginUrl(params), 302);
      // The form posts here and then redirects to the client: CSP form-action must allow both.
      const origin = new URL(check.redirectUri).origin;
      reply.header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${origin}; frame-ancestors 'none'; base-uri 'none'`);
      return html(reply, 200, consentPage(check, actor.user, actor.csrfToken, loginUrl(params)));
    });

    scope.post('/oauth/authorizations', async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const params = authorizationParams(body);
      const actor = await signedIn(req);
      if (!actor?.csrfToken) return reply.redirect(loginUrl(params), 303);
      const sent = body.authenticity_token;
      if (typeof sent !== 'string' || !sameSecret(sent, actor.csrfToken)) {
        return html(reply, 403, authorizationErrorPage('The form expired or did not come from this site. Go back to the application and start again.'));
      }
      const check = await checkAuthorizationRequest(ctx.db, params);
      if (!check.ok) return refuse(reply, check);
      if (body.decision !== 'allow') {
        return reply.redirect(redirectWith(check.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: check.state }), 302);
      }
      const code = await issueAuthorizationCode(ctx.db, ctx.clock, { ...check, userId: actor.user.id });
      return reply.redirect(redirectWith(check.redirectUri, { code, state: check.state }), 302);
    });

    scope.post('/oauth/tokens', async (req, reply) => {
      const basic = basicClientCredentials(req.headers.authorization);
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      try {
        return await exchangeAuthorizationCode(ctx.db, ctx.clock, tokenRequest(req.body), basic);
      } catch (e) {
        if (!(e instanceof OAuthError)) throw e;
        if (e.status === 401 && basic) reply.header('WWW-Authenticate', 'Basic realm="Sundial OAuth"');
        return reply.code(e.status).send({ error: e.error, error_description: e.description });
      }
    });
  });
}
