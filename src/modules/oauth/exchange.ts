import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { digest, sameSecret } from '../../platform/secrets.js';
import { clientSecretMatches, findOAuthClientByIdentifier } from './clients.js';
import { s256 } from './authorization.js';
import { parseScopes } from './scopes.js';
import { issueOAuthToken } from './tokens.js';

/** An RFC 6749 §5.2 error of the token endpoint: `{error, error_description}`, 400 or 401. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

// The standard wording (as Zendesk's token endpoint words them) for errors that must not say more.
const INVALID_CLIENT = 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';
const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

export interface TokenRequest {
  grant_type?: string;
  code?: string;
  redirect_uri?: string;
  client_id?: string;
  client_secret?: string;
  code_verifier?: string;
  scope?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  scope: string;
}

/** Client credentials from `Authorization: Basic base64(id:secret)` (RFC 6749 §2.3.1), if sent. */
export function basicClientCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) };
}

/**
 * POST /oauth/tokens with grant_type=authorization_code: authenticates the client, then claims the
 * code under a row lock so exactly one exchange wins. A code presented again revokes the tokens it
 * produced (RFC 6749 §4.1.2): someone else has it.
 */
export async function exchangeAuthorizationCode(db: Db, clock: Clock, r: TokenRequest, basic?: { id: string; secret: string }): Promise<TokenResponse> {
  if (!r.grant_type) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
  if (r.grant_type !== 'authorization_code') throw new OAuthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');

  const clientId = basic?.id ?? r.client_id;
  const secret = basic?.secret ?? r.client_secret;
  const client = clientId && clientId.length <= 100 ? await findOAuthClientByIdentifier(db, clientId) : undefined;
  if (!client) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT);
  if (client.kind === 'confidential' && (!secret || !clientSecretMatches(client, secret))) throw new OAuthError(401, 'invalid_client', INVALID_CLIENT);

  if (!r.code) throw new OAuthError(400, 'invalid_request', 'code is required.');
  const asked = r.scope === undefined || r.scope.trim() === '' ? null : parseScopes(r.scope);
  if (asked && 'unknown' in asked) throw new OAuthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
  const now = clock.now();

  type Outcome = { token: TokenResponse } | { error: string } | { scopeError: true };
  const outcome = await db.transaction().execute(async (tx): Promise<Outcome> => {
    const code = await tx.selectFrom('oauth_codes').selectAll().where('code_hash', '=', digest(r.code!)).forUpdate().executeTakeFirst();
    if (!code || code.client_id !== client.id) return { error: INVALID_GRANT };
    if (code.used_at) {
      await tx.updateTable('oauth_tokens').set({ revoked_at: now }).where('code_id', '=', code.id).where('revoked_at', 'is', null).execute();
      return { error: INVALID_GRANT };
    }
    if (code.expires_at.getTime() <= now.getTime()) return { error: INVALID_GRANT };
    // Omitting redirect_uri is tolerated only when the client has a single registered URL, the one used.
    const redirectOk = r.redirect_uri !== undefined ? r.redirect_uri === code.redirect_uri : client.redirect_uri.length === 1 && client.redirect_uri[0] === code.redirect_uri;
    if (!redirectOk) return { error: INVALID_GRANT };
    if (code.code_challenge && (!r.code_verifier || !sameSecret(s256(r.code_verifier), code.code_challenge))) return { error: INVALID_GRANT };
    const scopes = asked && 'scopes' in asked ? asked.scopes : code.scopes;
    if (scopes.some((s) => !code.scopes.includes(s))) return { scopeError: true };
    await tx.updateTable('oauth_codes').set({ used_at: now }).where('id', '=', code.id).execute();
    const { value } = await issueOAuthToken(tx, { clientId: client.id, userId: code.user_id, scopes, codeId: code.id });
    return { token: { access_token: value, token_type: 'bearer', scope: scopes.join(' ') } as TokenResponse };
  });
  if ('token' in outcome) return outcome.token;
  if ('scopeError' in outcome) throw new OAuthError(400, 'invalid_scope', 'The requested scope exceeds the scope granted by the resource owner.');
  throw new OAuthError(400, 'invalid_grant', outcome.error);
}
