import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'dist');

const MISSING_BUILD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sundial</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto"><h1>Sundial is running</h1>
<p>The web app has not been built yet. Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds it) and reload.</p>
<p>The API is at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * Serves the built web app (web/dist): hashed assets cached for good, index.html for every other
 * non-API path so the client router takes over (deep links, reloads, mailed links).
 */
export async function registerWebRoutes(app: FastifyInstance) {
  const built = existsSync(join(WEB_DIST, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      setHeaders: (res, path) => {
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const shell = (_req: unknown, reply: import('fastify').FastifyReply) =>
    built ? reply.header('Cache-Control', 'no-cache').sendFile('index.html') : reply.type('text/html; charset=utf-8').send(MISSING_BUILD);
  app.get('/', shell);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]{1,8}$/i.test(path)) return shell(req, reply);
    return reply.code(404).send({ error: 'InvalidEndpoint', description: `No route for ${req.method} ${path}` });
  });
}
