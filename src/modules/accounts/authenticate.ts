import { sql, type Compilable } from 'kysely';
import { userColumns } from '../../platform/columns.js';
import { noteConfigVersion } from '../../platform/config-cache.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import type { Db, Executor } from '../../platform/db.js';
import { compiledOnce } from '../../platform/compiled-once.js';
import type { Organization, User } from '../../platform/db-types.js';
import { hitsForCaller, limitWindows, type CountedHits, type Limit, type LimitWindows } from '../../platform/rate-limit.js';
import { digest, verifyPassword } from '../../platform/secrets.js';
import type { Actor } from './actor.js';
import { findOAuthGrant } from '../oauth/tokens.js';
import { secondFactorNeeded } from './two-factor.service.js';

export const SESSION_COOKIE = 'sundial_session';

/** The organization row as JSON: its timestamps arrive as ISO strings. */
type OrganizationJson = Omit<Organization, 'created_at' | 'updated_at' | 'deleted_at'> & { created_at: string; updated_at: string; deleted_at: string | null };

/** A user row with the ids of the user's groups and the user's organization, read in one statement. */
const usersWithGroups = (db: Executor) =>
  db
    .selectFrom('users')
    .modifyFront(PREPARED)
    .select(userColumns)
    .select(sql<number[]>`array(SELECT gm.group_id FROM group_memberships gm WHERE gm.user_id = users.id)`.as('group_ids'))
    .select(sql<OrganizationJson | null>`(SELECT to_jsonb(o) FROM organizations o WHERE o.id = users.organization_id)`.as('organization'))
    // Rides along for the config cache: tells this request whether the node's copy of the configuration is current.
    .select(sql<string>`(SELECT version FROM config_version)`.as('config_version'));

type UserRow = User & { group_ids: number[]; organization: OrganizationJson | null; config_version: string };

/** Rate limits to count for the caller the authentication finds, in its statement (keys hold CALLER). */
export interface HitsToCount {
  limits: Limit[];
  now: Date;
}

/** Values of the authentication statements (each uses some): the rate-limit ones are empty when nothing is counted. */
type AuthValues = { hash: Buffer; email: string; now: Date } & LimitWindows;

/**
 * A way of finding the caller, compiled once as it is and once with the caller's rate limits counted in
 * the same statement (a round trip less on every request). A rate-limit count needs no durability, so
 * the counting statement's commit does not wait for the disk.
 */
function authStatement<R extends object>(find: (db: Executor, p: AuthValues) => Compilable<R>) {
  const plain = compiledOnce(find);
  const counting = compiledOnce(
    (db, p: AuthValues) => sql<R & { rate_hits: CountedHits; async_commit: string }>`
      WITH u AS (${find(db, p)}), hit AS (${hitsForCaller(p, 'u')})
      SELECT u.*, (SELECT coalesce(json_agg(json_build_object('key', key, 'hits', hits)), '[]') FROM hit) AS rate_hits,
        set_config('synchronous_commit', 'off', true) AS async_commit
      FROM u`,
  );
  return async (db: Db, p: AuthValues): Promise<(R & { rate_hits?: CountedHits }) | undefined> => {
    if (!p.keys.length) return (await plain(db, p))[0];
    const [row] = await counting(db, p);
    if (!row) return undefined;
    const { async_commit: _, ...rest } = row;
    return rest as unknown as R & { rate_hits: CountedHits };
  };
}

const authValues = (hash: Buffer, count: HitsToCount | undefined, email = ''): AuthValues => ({
  hash,
  email,
  // Sessions expire by the wall clock, whatever clock the rate limits count on.
  now: new Date(),
  ...(count ? limitWindows(count.limits, count.now) : { keys: [], starts: [] }),
});

const tokenQuery = (db: Executor, p: AuthValues) =>
  usersWithGroups(db)
    .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at as token_used_at'])
    .where('api_tokens.token_hash', '=', p.hash)
    .where('api_tokens.revoked_at', 'is', null);
const byToken = authStatement(tokenQuery);
// In SQL, so that a token sent with another user's email counts against nobody's budget.
const byTokenAndEmail = authStatement((db, p) => tokenQuery(db, p).where(sql<string>`lower(users.email)`, '=', p.email));
const bySession = authStatement((db, p) =>
  usersWithGroups(db)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .select(['sessions.id as session_id', 'sessions.csrf_token as session_csrf_token'])
    .where('sessions.token_hash', '=', p.hash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', p.now),
);
const byUserId = compiledOnce((db, p: { id: number }) => usersWithGroups(db).where('users.id', '=', p.id));

async function actorOf(row: UserRow | undefined, via: Actor['via'], extra: Partial<Actor> = {}): Promise<Actor | null> {
  if (!row) return null;
  const { group_ids: groupIds, organization: org, config_version: configVersion, ...user } = row;
  noteConfigVersion(configVersion);
  if (!user.active || user.suspended) return null;
  const organization: Organization | null = org
    ? { ...org, created_at: new Date(org.created_at), updated_at: new Date(org.updated_at), deleted_at: org.deleted_at === null ? null : new Date(org.deleted_at) }
    : null;
  return { user, organization, groupIds: user.role === 'end-user' ? [] : groupIds, via, ...extra };
}

export async function actorFor(db: Db, userId: number, via: Actor['via'], extra: Partial<Actor> = {}): Promise<Actor | null> {
  return actorOf((await byUserId(db, { id: userId }))[0], via, extra);
}

/** last_used_at is shown to the nearest minute: writing it on every request would turn each read into a write. */
const TOKEN_USE_RECORDED_EVERY_MS = 60_000;

async function byApiToken(db: Db, token: string, email?: string, count?: HitsToCount): Promise<Counting<Actor | null>> {
  const values = authValues(digest(token), count, email?.toLowerCase());
  const row = email === undefined ? await byToken(db, values) : await byTokenAndEmail(db, values);
  if (!row) return { value: null };
  const { token_id: tokenId, token_used_at: usedAt, rate_hits: counted, ...user } = row;
  if (!usedAt || Date.now() - usedAt.getTime() >= TOKEN_USE_RECORDED_EVERY_MS) {
    // Informational; a lost update under concurrency is harmless.
    void db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', tokenId).execute().catch(() => {});
  }
  return { value: await actorOf(user, 'api_token'), counted };
}

/** A result, and the rate-limit hits its statement counted (when it did). */
type Counting<T> = { value: T; counted?: CountedHits };

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

async function fromSession(db: Db, token: string, count?: HitsToCount): Promise<Counting<Actor | null>> {
  const row = await bySession(db, authValues(digest(token), count));
  if (!row) return { value: null };
  const { session_id: sessionId, session_csrf_token: csrfToken, rate_hits: counted, ...user } = row;
  const actor = await actorOf(user, 'session', { sessionId, csrfToken });
  // A staff session refused for want of two-factor has still counted against its user: a request's worth.
  return { value: actor && (await sessionAllowed(db, actor)) ? actor : null, counted };
}

export async function bySessionToken(db: Db, token: string): Promise<Actor | null> {
  return (await fromSession(db, token)).value;
}

/** `counted`: the hits counted for `actor` while authenticating, when the scheme counts them (tokens, sessions). */
export type AuthOutcome = { actor: Actor | null; failed: boolean; counted?: CountedHits };

/**
 * Zendesk's schemes: `Basic email/token:TOKEN`, `Basic email:password`, `Bearer TOKEN`; then the
 * portal session cookie. Credentials that are present but wrong are a failure, never "anonymous".
 */
export async function authenticate(db: Db, authorization: string | undefined, sessionToken: string | undefined, count?: HitsToCount): Promise<AuthOutcome> {
  if (authorization) {
    const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
    let actor: Actor | null = null;
    let counted: CountedHits | undefined;
    const token = async (secret: string, email?: string) => {
      const found = await byApiToken(db, secret, email, count);
      counted = found.counted;
      return found.value;
    };
    if (/^basic$/i.test(scheme)) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        const login = decoded.slice(0, colon);
        const secret = decoded.slice(colon + 1);
        actor = login.endsWith('/token') ? await token(secret, login.slice(0, -'/token'.length)) : await byPassword(db, login, secret);
      }
    } else if (/^bearer$/i.test(scheme) && value) {
      // OAuth access tokens first (Zendesk's Bearer scheme); API tokens are accepted as bearers too.
      const oauth = await findOAuthGrant(db, value);
      actor = oauth ? await actorFor(db, oauth.userId, 'oauth', { oauth: oauth.grant }) : await token(value);
    }
    return { actor, failed: !actor, counted: actor ? counted : undefined };
  }
  if (sessionToken) {
    const { value: actor, counted } = await fromSession(db, sessionToken, count);
    return { actor, failed: false, counted: actor ? counted : undefined };
  }
  return { actor: null, failed: false };
}
