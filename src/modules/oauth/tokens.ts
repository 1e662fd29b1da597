import type { Selectable } from 'kysely';
import type { Db, Executor } from '../../platform/db.js';
import type { OauthTokensTable } from '../../platform/db-types.js';
import { notFound } from '../../platform/errors.js';
import { applySlice, type Slice } from '../../platform/pagination.js';
import { digest, newSecret } from '../../platform/secrets.js';
import type { OAuthGrant } from '../accounts/actor.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';

export type OAuthToken = Selectable<OauthTokensTable>;

/** Creates an access token; the value is returned this once, only its digest is stored. */
export async function issueOAuthToken(db: Executor, t: { clientId: number; userId: number; scopes: string[]; codeId?: number }): Promise<{ token: OAuthToken; value: string }> {
  const value = newSecret();
  const token = await db
    .insertInto('oauth_tokens')
    .values({ client_id: t.clientId, user_id: t.userId, scopes: t.scopes, code_id: t.codeId ?? null, token_hash: digest(value) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, value };
}

/** `used_at` is informational: written at most once a minute per token, so busy tokens cost no extra writes. */
const USED_AT_GRANULARITY_MS = 60_000;

/** The live token with this value (Authorization: Bearer), as the user it belongs to and its grant. */
export async function findOAuthGrant(db: Db, value: string): Promise<{ userId: number; grant: OAuthGrant } | null> {
  const row = await db
    .selectFrom('oauth_tokens')
    .select(['id', 'user_id', 'client_id', 'scopes', 'used_at'])
    .where('token_hash', '=', digest(value))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const now = new Date();
  if (!row.used_at || now.getTime() - row.used_at.getTime() > USED_AT_GRANULARITY_MS) {
    // A lost update under concurrency is harmless.
    void db.updateTable('oauth_tokens').set({ used_at: now }).where('id', '=', row.id).execute().catch(() => {});
  }
  return { userId: row.user_id, grant: { tokenId: row.id, clientId: row.client_id, scopes: row.scopes } };
}

/** Live tokens: every user's for admins (`userId` undefined), else the caller's own. */
export function listOAuthTokens(db: Db, q: { userId?: number; clientId?: number; slice: Slice }): Promise<OAuthToken[]> {
  const base = db
    .selectFrom('oauth_tokens')
    .selectAll()
    .where('revoked_at', 'is', null)
    .$if(q.userId !== undefined, (b) => b.where('user_id', '=', q.userId!))
    .$if(q.clientId !== undefined, (b) => b.where('client_id', '=', q.clientId!));
  return applySlice(base, 'id', q.slice).execute();
}

/** A live token; `userId` restricts it to that owner (others get 404, not 403). */
export async function findOAuthToken(db: Db, id: number, userId?: number): Promise<OAuthToken> {
  const token = await db
    .selectFrom('oauth_tokens')
    .selectAll()
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .$if(userId !== undefined, (b) => b.where('user_id', '=', userId!))
    .executeTakeFirst();
  if (!token) throw notFound();
  return token;
}

/** Revokes a token at once; later requests with it get 401. */
export async function revokeOAuthToken(db: Db, id: number, userId?: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const revoked = await tx
      .updateTable('oauth_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .$if(userId !== undefined, (b) => b.where('user_id', '=', userId!))
      .returning(['id', 'user_id', 'client_id', 'scopes'])
      .executeTakeFirst();
    if (!revoked) throw notFound();
    await recordAdminAction(tx, { action: 'revoke', sourceType: 'oauth_token', sourceId: revoked.id, sourceLabel: `token of user ${revoked.user_id}`, change: 'OAuth token revoked', before: { client_id: revoked.client_id, scopes: revoked.scopes } });
  });
}
