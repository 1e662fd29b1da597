import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Who performs an administrative action and from where. */
export interface AuditSource {
  actorId: number | null;
  actorLabel: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * What belongs to the request (or command) a use case runs for rather than to the use case: who and from
 * where (the admin audit log), and the configuration version read while authenticating (the config cache).
 * One AsyncLocalStorage for both: every store adds work to every promise the request creates.
 */
export interface RequestContext {
  req?: FastifyRequest;
  source?: AuditSource;
  configVersion?: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Every request runs its hooks and handler inside its context: register before any other onRequest hook. */
export function registerRequestContext(app: FastifyInstance): void {
  // Callback style on purpose: the rest of the chain runs synchronously inside `run`, so the
  // hooks and handler (and everything they await) see the store.
  app.addHook('onRequest', (req, _reply, done) => requestContext.run({ req }, done));
}
