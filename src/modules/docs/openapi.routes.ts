import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ticketCreateSchema, ticketUpdateSchema } from '../tickets/ticket.schema.js';

/** Request bodies documented from the same zod schemas the routes validate with. */
const bodies: Record<string, z.ZodType> = {
  'POST /api/v2/tickets': ticketCreateSchema,
  'PUT /api/v2/tickets/{id}': ticketUpdateSchema,
};

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

/**
 * Collects every route as it is registered and serves them as an OpenAPI 3.1 document at /api/docs:
 * the document can never list a route that does not exist or miss one that does.
 */
export function collectRoutes(app: FastifyInstance): RouteOptions[] {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  return routes;
}

export function registerDocsRoutes(app: FastifyInstance, routes: RouteOptions[]) {
  app.get('/api/docs', async () => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of routes) {
      if (!r.url.startsWith('/api/')) continue;
      const methods = [r.method].flat().filter((m) => m !== 'HEAD');
      const path = toOpenApiPath(r.url);
      for (const m of methods) {
        const key = `${m} ${path}`;
        const params = [...path.matchAll(/\{([^}]+)\}/g)].map((p) => ({ name: p[1], in: 'path', required: true, schema: { type: 'string' } }));
        (paths[path] ??= {})[m.toLowerCase()] = {
          operationId: key.replace(/[^A-Za-z0-9]+/g, '_'),
          parameters: params,
          ...(bodies[key] ? { requestBody: { content: { 'application/json': { schema: z.toJSONSchema(bodies[key], { unrepresentable: 'any' }) } } } } : {}),
          responses: { default: { description: 'Zendesk API v2 shaped JSON; errors as {error, description, details}' } },
        };
      }
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Sundial API', version: '0.1.0', description: 'Zendesk API v2 compatible help desk API. Authenticate with Basic email/token:TOKEN, Basic email:password, Bearer TOKEN, or the portal session cookie.' },
      components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ basic: [] }, { bearer: [] }],
      paths,
    };
  });
}
