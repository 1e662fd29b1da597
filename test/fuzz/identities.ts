import { authenticate, SESSION_COOKIE } from '../../src/modules/accounts/authenticate.js';
import { openSession } from '../../src/modules/accounts/portal.service.js';
import { digest } from '../../src/platform/secrets.js';
import type { World } from '../authz/world.js';
import type { TestEnv } from '../harness.js';
import type { Credentials, FuzzRole } from './request.js';

interface Holder {
  role: FuzzRole;
  userId: number;
  email: string;
  userRole: 'end-user' | 'agent' | 'admin';
  organizationId: number | null;
  passwordHash: string | null;
  token?: string;
  creds: Credentials;
}

/**
 * The fuzzer's callers: the matrix world's ticket owner (portal session), agent and admin (API
 * tokens), and nobody. Fuzzed requests that succeed may suspend, demote, sign out or revoke them
 * (random ids hit their rows too); `heal` puts them back between requests, so every role keeps
 * being exercised. It runs only after a request that succeeded: a refused one must change nothing.
 */
export async function fuzzIdentities(env: TestEnv, w: World) {
  const db = env.ctx.db;
  const row = (id: number) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const holder = async (role: FuzzRole, actor: { user: { id: number; email: string } }, creds: Credentials, token?: string): Promise<Holder> => {
    const u = await row(actor.user.id);
    return { role, userId: u.id, email: u.email, userRole: u.role as Holder['userRole'], organizationId: u.organization_id, passwordHash: u.password_hash, token, creds };
  };
  const owner = w.ident.owner;
  const holders: Holder[] = [
    await holder('endUser', w.users.owner, { cookie: owner.auth.cookie, csrf: owner.csrf!, email: w.users.owner.user.email, ip: owner.ip }),
    await holder('agent', w.users.agent, { authorization: w.ident.agent.auth.authorization, email: w.users.agent.user.email, ip: w.ident.agent.ip }, w.users.agent.token),
    await holder('admin', w.users.admin, { authorization: w.ident.admin.auth.authorization, email: w.users.admin.user.email, ip: w.ident.admin.ip }, w.users.admin.token),
  ];
  const anonymous: Credentials = { ip: '10.99.0.1' };
  const technical = (await db.selectFrom('groups').select('id').where('key', '=', 'technical').executeTakeFirstOrThrow()).id;

  const healthy = async (h: Holder) => {
    const cookie = h.creds.cookie?.slice(`${SESSION_COOKIE}=`.length);
    const { actor } = await authenticate(db, h.creds.authorization, cookie);
    return actor?.user.id === h.userId && actor.user.role === h.userRole && (h.creds.cookie ? actor.csrfToken === h.creds.csrf : true);
  };

  async function repair(h: Holder) {
    const orgExists = h.organizationId !== null && (await db.selectFrom('organizations').select('id').where('id', '=', h.organizationId).executeTakeFirst());
    await db
      .updateTable('users')
      .set({ active: true, suspended: false, role: h.userRole, email: h.email, password_hash: h.passwordHash, ...(orgExists ? { organization_id: h.organizationId } : {}) })
      .where('id', '=', h.userId)
      .execute();
    await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', h.userId).execute();
    await db.deleteFrom('user_two_factor').where('user_id', '=', h.userId).execute();
    if (h.token) {
      const hash = digest(h.token);
      const t = await db.selectFrom('api_tokens').select('id').where('token_hash', '=', hash).executeTakeFirst();
      if (t) await db.updateTable('api_tokens').set({ revoked_at: null, user_id: h.userId }).where('id', '=', t.id).execute();
      else await db.insertInto('api_tokens').values({ user_id: h.userId, description: 'fuzz', token_hash: hash }).execute();
      if (h.userRole !== 'end-user')
        await db.insertInto('group_memberships').values({ user_id: h.userId, group_id: technical, updated_at: new Date() }).onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing()).execute();
    }
    if (h.creds.cookie && !(await healthy(h))) {
      const s = await openSession(env.ctx, await row(h.userId));
      h.creds.cookie = `${SESSION_COOKIE}=${s.token}`;
      h.creds.csrf = s.csrfToken;
    }
    if (!(await healthy(h))) throw new Error(`could not restore the fuzzer's ${h.role} (user ${h.userId})`);
  }

  return {
    creds: (role: FuzzRole): Credentials => (role === 'anonymous' ? anonymous : holders.find((h) => h.role === role)!.creds),
    /** The ids of the callers' own users (kept out of the fuzzer's id pool, though random ids may still hit them). */
    userIds: holders.map((h) => h.userId),
    repairs: 0,
    /** Restores any caller a successful request disabled; true when something was restored. */
    async heal(): Promise<boolean> {
      let any = false;
      for (const h of holders) {
        if (await healthy(h)) continue;
        await repair(h);
        this.repairs++;
        any = true;
      }
      return any;
    },
  };
}
