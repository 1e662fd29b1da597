import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestEnv } from '../harness.js';
import { keyOf, serverRoutes, type RouteKey } from '../authz/routes.js';
import { buildWorld, ROLE_NOTES, ROLES, send, type Identity, type Res, type Role, type World } from '../authz/world.js';
import { defaultParam, TABLE, type CellContext, type Entry, type Outcome } from './authz-matrix.table.js';

/**
 * Issue 11, authorization: every route of the server (read from fastify's own route tree) × every
 * kind of caller, each cell with its expected outcome from authz-matrix.table.ts. A route without an
 * entry fails the first test by name, so a new route cannot ship without deciding who may call it.
 */

let env: TestEnv;
let w: World;
let routes: RouteKey[];

beforeAll(async () => {
  env = await startTestApp(
    {
      METRICS_TOKEN: 'metrics-token-for-the-matrix-0001',
      INBOUND_TOKEN: 'inbound-token-for-the-matrix-0001',
      GITHUB_WEBHOOK_SECRET: 'github-secret-for-the-matrix-01',
      ISSUES_WEBHOOK_SECRET: 'issues-secret-for-the-matrix-01',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    },
    { listen: true },
  );
  w = await buildWorld(env);
  routes = serverRoutes(env.app);
}, 180_000);
afterAll(() => env?.close());

export function matches(outcome: Outcome, status: number): boolean {
  return outcome.split('|').some((o) => (o.endsWith('xx') ? Math.floor(status / 100) === Number(o[0]) : Number(o) === status));
}

async function fill(route: RouteKey, entry: Entry, c: CellContext): Promise<string> {
  const given = entry.params ? await entry.params(c) : {};
  const path = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(String(given[name] ?? defaultParam(route.path, name, c))));
  const query = entry.query ? await entry.query(c) : '';
  return query ? `${path}?${query}` : path;
}

/** Streams answer headers and then stay open: read the status over real HTTP and hang up. */
async function streamStatus(who: Identity, url: string): Promise<Res> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const res = await fetch(`${env.url}${url}`, { headers: who.auth, signal: abort.signal });
    const body = res.headers.get('content-type')?.includes('event-stream') ? '' : await res.text();
    return { status: res.status, body, json: null, headers: Object.fromEntries(res.headers) };
  } finally {
    abort.abort();
    clearTimeout(timer);
  }
}

/** One cell: fill the path from the role's fixtures, send as that role, return status and body. */
export async function runCell(route: RouteKey, entry: Entry, role: Role): Promise<{ url: string; res: Res }> {
  let who = w.ident[role];
  if (entry.freshSession) who = await w.relogin(role);
  const c: CellContext = { w, role, who, s: w.subjectOf(role) };
  const url = await fill(route, entry, c);
  if (entry.stream) return { url, res: await streamStatus(who, url) };
  const body = entry.body ? await entry.body(c) : undefined;
  return { url, res: await send(env.app, who, route.method, url, body, entry.headers) };
}

describe('the route × role authorization matrix', () => {
  it('has an entry for every route the server answers, and none for routes it does not', () => {
    const known = new Set(routes.map(keyOf));
    const missing = routes.map(keyOf).filter((k) => !TABLE[k]);
    const stale = Object.keys(TABLE).filter((k) => !known.has(k));
    expect(missing, `Routes without an entry in test/int/authz-matrix.table.ts (add one per route):\n  ${missing.join('\n  ')}\n`).toEqual([]);
    expect(stale, `Entries in authz-matrix.table.ts for routes the server does not have:\n  ${stale.join('\n  ')}\n`).toEqual([]);
  });

  it('gives every caller the expected outcome on every route', async () => {
    expect(w.ids.liveSuspendedToken, 'the suspended agent keeps a live token row, so the check is the suspension').toBe(true);
    const failures: string[] = [];
    let cells = 0;
    const checked = routes.filter((r) => TABLE[keyOf(r)]);
    for (const route of checked) {
      const entry = TABLE[keyOf(route)];
      for (const role of ROLES) {
        const expected = entry.expect[role];
        if (!expected) {
          failures.push(`${keyOf(route)} has no outcome for ${role}`);
          continue;
        }
        const { url, res } = await runCell(route, entry, role);
        cells++;
        if (!matches(expected, res.status)) failures.push(`${route.method} ${url} as ${role}: expected ${expected}, got ${res.status} ${res.body.slice(0, 200)}`);
        // A 5xx is never an authorization answer.
        else if (res.status >= 500) failures.push(`${route.method} ${url} as ${role}: ${res.status}`);
      }
    }
    console.log(
      `authz matrix: ${checked.length} routes × ${ROLES.length} roles = ${cells} cells checked, ${failures.length} unexpected\n` +
        ROLES.map((r) => `  ${r}: ${ROLE_NOTES[r]}`).join('\n'),
    );
    expect(failures, failures.join('\n')).toEqual([]);
    expect(cells).toBeGreaterThan(200 * ROLES.length);
  }, 900_000);

  it('answers failed credentials on /users/me as the anonymous user, never as the suspended or revoked account', async () => {
    for (const role of ['suspendedAgent', 'revokedToken', 'suspendedUser', 'anonymous'] as const) {
      const res = await send(env.app, w.ident[role], 'GET', '/api/v2/users/me');
      expect(res.status).toBe(200);
      expect(res.json.user.id, role).toBeNull();
    }
    expect((await send(env.app, w.ident.owner, 'GET', '/api/v2/users/me')).json.user.id).toBe(w.users.owner.user.id);
  });

  it('tells a customer 404 for a ticket, comment or attachment that is not theirs, exactly as for one that does not exist', async () => {
    const missing = 999_999_999;
    const T = w.subjects.T;
    for (const role of ['otherOrg', 'memberUnshared'] as const) {
      const who = w.ident[role];
      for (const [theirs, none] of [
        [`/api/v2/requests/${T.ticket}`, `/api/v2/requests/${missing}`],
        [`/api/v2/requests/${T.ticket}/comments`, `/api/v2/requests/${missing}/comments`],
        [`/api/v2/attachments/${T.attachment}`, `/api/v2/attachments/${missing}`],
      ]) {
        const a = await send(env.app, who, 'GET', theirs);
        const b = await send(env.app, who, 'GET', none);
        expect([a.status, a.json], `${role} ${theirs}`).toEqual([b.status, b.json]);
        expect(a.status).toBe(404);
      }
    }
    // The owner's internal note is not a comment they can open either.
    const note = await send(env.app, w.ident.owner, 'GET', `/api/v2/requests/${T.ticket}/comments/${w.internal.T}`);
    expect(note.status).toBe(404);
  });
});
