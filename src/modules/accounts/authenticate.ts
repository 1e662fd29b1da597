import type { Db } from '../../platform/db.js';
import { digest, verifyPassword } from '../../platform/secrets.js';
import type { Actor } from './actor.js';
import { findOAuthGrant } from '../oauth/tokens.js';
import { secondFactorNeeded } from './two-factor.service.js';

export const SESSION_COOKIE = 'sundial_session';

export async function actorFor(db: Db, userId: number, via: Actor['via'], extra: Partial<Actor> = {}): Promise<Actor | null> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!user || !user.active || user.suspended) return null;
  const organization = user.organization_id
    ? ((await db.selectFrom('organizations').selectAll().where('id', '=', user.organization_id).executeTakeFirst()) ?? null)
    : null;
  const groupIds =
    user.role === 'end-user'
      ? []
      : (await db.selectFrom('group_memberships').select('group_id').where('user_id', '=', user.id).execute()).map((g) => g.group_id);
  return { user, organization, groupIds, via, ...extra };
}

async function byApiToken(db: Db, token: string, email?: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.user_id', 'users.email'])
    .where('api_tokens.token_hash', '=', digest(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || (email !== undefined && row.email.toLowerCase() !== email.toLowerCase())) return null;
  // last_used_at is informational; a lost update under concurrency is harmless.
  void db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute().catch(() => {});
  return actorFor(db, row.user_id, 'api_token');
}

/**
 * Basic email:password. A password alone is not enough for an account with two-factor on, nor for
 * staff when an admin requires two-factor: those use API tokens or OAuth (issued after a full sign-in).
 */
async function byPassword(db: Db, email: string, password: string): Promise<Actor | null> {
  const user = await db.selectFrom('users').selectAll().where(({ fn }) => fn('lower', ['email']), '=', email.toLowerCase()).executeTakeFirst();
  if (!(await verifyPassword(user?.password_hash ?? null, password)) || !user) return null;
  if ((await secondFactorNeeded(db, user)) !== 'none') return null;
  return actorFor(db, user.id, 'password');
}

/**
 * While an admin requires two-factor, a staff session opened before the user enrolled (or before
 * an admin reset) no longer counts: the user signs in again and enrolls on the way.
 */
async function sessionAllowed(db: Db, actor: Actor): Promise<boolean> {
  if (actor.user.role === 'end-user') return true;
  return (await secondFactorNeeded(db, actor.user)) !== 'enroll';
}

export async function bySessionToken(db: Db, token: string): Promise<Actor | null> {
  const session = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'csrf_token'])
    .where('token_hash', '=', digest(token))
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  if (!session) return null;
  const actor = await actorFor(db, session.user_id, 'session', { sessionId: session.id, csrfToken: session.csrf_token });
  return actor && (await sessionAllowed(db, actor)) ? actor : null;
}

export type AuthOutcome = { actor: Actor | null; failed: boolean };

/**
 * Zendesk's schemes: `Basic email/token:TOKEN`, `Basic email:password`, `Bearer TOKEN`; then the
 * portal session cookie. Credentials that are present but wrong are a failure, never "anonymous".
 */
export async function authenticate(db: Db, authorization: string | undefined, sessionToken: string | undefined): Promise<AuthOutcome> {
  if (authorization) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    let actor: Actor | null = null;
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const login = decoded.slice(0, colon);
        const secret = decoded.slice(colon + 1);
        actor = login.endsWith('/token') ? await byApiToken(db, secret, login.slice(0, -'/token'.length)) : await byPassword(db, login, secret);
      }
    } else if (/^bearer$/i.test(scheme) && value) {
      // OAuth access tokens first (Zendesk's Bearer scheme); API tokens are accepted as bearers too.
      const oauth = await findOAuthGrant(db, value);
      actor = oauth ? await actorFor(db, oauth.userId, 'oauth', { oauth: oauth.grant }) : await byApiToken(db, value);
    }
    return { actor, failed: !actor };
  }
  if (sessionToken) {
    const actor = await bySessionToken(db, sessionToken);
    return { actor, failed: false };
  }
  return { actor: null, failed: false };
}
