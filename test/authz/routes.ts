import type { FastifyInstance } from 'fastify';

export interface RouteKey {
  method: string;
  path: string;
}

/** `METHOD /path` as the matrix table spells it. */
export const keyOf = (r: RouteKey) => `${r.method} ${r.path}`;

/**
 * Every route the server answers, read from fastify's own route tree (`printRoutes`), so a route
 * added anywhere (any module, any plugin scope, before or after the docs hook) is listed. HEAD routes
 * are fastify's automatic twins of GET routes and are left out.
 */
export function serverRoutes(app: FastifyInstance): RouteKey[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const out: RouteKey[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)(?:├── |└── )(.+?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) {
      if (line.trim()) throw new Error(`Unreadable line in the route tree: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = m[1].length / 4;
    stack.length = depth;
    const parent = depth ? stack[depth - 1] : '';
    // Each node is the rest of its parent's path ("/" + "metrics", "/api/portal/password" + "-reset").
    const path = parent + m[2];
    stack[depth] = path;
    const methods = (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== '-' && s !== 'HEAD');
    for (const method of methods) out.push({ method, path });
  }
  if (out.length < 50) throw new Error(`Only ${out.length} routes read from the route tree; its format changed:\n${tree}`);
  return out;
}
