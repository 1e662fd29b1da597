import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { digest, newSecret } from '../../platform/secrets.js';
import { findOAuthClientByIdentifier, type OAuthClient } from './clients.js';
import { parseScopes, type Scope } from './scopes.js';

/** Zendesk: "The code is valid for 120 seconds" (shared/spec/zendesk-api.md §2). */
export const CODE_TTL_MS = 120_000;

/** Query (GET) or form (POST) parameters of /oauth/authorizations. */
export interface AuthorizationParams {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export interface ValidAuthorization {
  ok: true;
  client: OAuthClient;
  redirectUri: string;
  scopes: Scope[];
  state?: string;
  challenge?: string;
}

/**
 * The three outcomes of checking an authorization request (RFC 6749 §4.1.2.1): valid; an error
 * that is reported to the client at its verified redirect_uri; or, when the client or redirect_uri
 * cannot be verified, an error shown to the user, since redirecting there would be an open redirect.
 */
export type AuthorizationCheck =
  | ValidAuthorization
  | { ok: false; redirectUri: string; error: string; description: string; state?: string }
  | { ok: false; redirectUri?: undefined; description: string };

const CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;
const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

/** Picks the known parameters out of a parsed query string or form body. */
export function authorizationParams(source: unknown): AuthorizationParams {
  const s = (source ?? {}) as Record<string, unknown>;
  const keys = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
  return Object.fromEntries(keys.map((k) => [k, one(s[k])]).filter(([, v]) => v !== undefined));
}

export async function checkAuthorizationRequest(db: Db, p: AuthorizationParams): Promise<AuthorizationCheck> {
  if (!p.client_id) return { ok: false, description: 'The request has no client_id.' };
  const client = p.client_id.length <= 100 ? await findOAuthClientByIdentifier(db, p.client_id) : undefined;
  if (!client) return { ok: false, description: `No OAuth client has the identifier "${p.client_id.slice(0, 100)}".` };
  // Exact match against the registered list: no prefix or pattern matching, which is how code theft happens.
  const redirectUri = p.redirect_uri ?? (client.redirect_uri.length === 1 ? client.redirect_uri[0] : undefined);
  if (!redirectUri || !client.redirect_uri.includes(redirectUri)) {
    return { ok: false, description: `The redirect_uri is not one of the redirect URLs registered for "${client.name}".` };
  }
  const state = p.state;
  const fail = (error: string, description: string) => ({ ok: false as const, redirectUri, error, description, state });
  if (state !== undefined && state.length > 2000) return fail('invalid_request', 'state is too long (2000 characters at most)');
  if (p.response_type !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  const parsed = parseScopes(p.scope ?? 'read');
  if ('unknown' in parsed) return fail('invalid_scope', `Unknown scope "${parsed.unknown.slice(0, 50)}"; use read, write or impersonate.`);
  if (parsed.scopes.length === 0) return fail('invalid_scope', 'No scope was requested; use read, write or impersonate.');
  if (p.code_challenge !== undefined) {
    if (p.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    if (!CHALLENGE.test(p.code_challenge)) return fail('invalid_request', 'code_challenge must be 43 to 128 base64url characters.');
  } else if (client.kind === 'public') {
    return fail('invalid_request', 'Public clients must use PKCE (code_challenge with code_challenge_method=S256).');
  }
  return { ok: true, client, redirectUri, scopes: parsed.scopes, state, challenge: p.code_challenge };
}

/** `redirect_uri` with extra query parameters, keeping the ones it already has. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** The user said yes: a single-use code, valid for CODE_TTL_MS, stored as its digest. */
export async function issueAuthorizationCode(db: Db, clock: Clock, a: ValidAuthorization & { userId: number }): Promise<string> {
  const code = newSecret();
  await db
    .insertInto('oauth_codes')
    .values({
      client_id: a.client.id,
      user_id: a.userId,
      code_hash: digest(code),
      redirect_uri: a.redirectUri,
      scopes: a.scopes,
      code_challenge: a.challenge ?? null,
      code_challenge_method: a.challenge ? 'S256' : null,
      expires_at: new Date(clock.now().getTime() + CODE_TTL_MS),
    })
    .execute();
  // Codes are useless an hour after expiry (replays of them are refused either way): trim as we go.
  await db.deleteFrom('oauth_codes').where('expires_at', '<', new Date(clock.now().getTime() - 3_600_000)).execute();
  return code;
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');
