import { requestContext as store, type AuditSource } from '../../platform/request-context.js';

export type { AuditSource };

// The request (or command) a use case runs for is held in AsyncLocalStorage so that services record
// admin actions inside their own transaction without every service signature carrying the request:
// who and from where belong to the request, not to the use case.

/** Runs work outside HTTP (the command line) as a named source. */
export function runAsAuditSource<T>(source: AuditSource, fn: () => Promise<T>): Promise<T> {
  return store.run({ source }, fn);
}

/** The current source, read when the action is recorded (the actor is known only after authentication). */
export function currentAuditSource(): AuditSource {
  const ctx = store.getStore();
  if (ctx?.source) return ctx.source;
  const req = ctx?.req;
  if (!req) return { actorId: null, actorLabel: 'system', ip: null, userAgent: null };
  const actor = req.actor;
  // With X-On-Behalf-Of the acting user is the impersonating admin's grant; record the real user.
  const ua = req.headers['user-agent'];
  return {
    actorId: actor?.user.id ?? null,
    actorLabel: actor?.user.email ?? 'anonymous',
    ip: req.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null,
  };
}

/** The command line, for one-off commands (`sundial create-admin`, `sundial export zendesk`). */
export const commandLineSource = (command: string): AuditSource => ({ actorId: null, actorLabel: 'command line', ip: null, userAgent: command });

/**
 * The current source, or, outside any request (a bulk job a worker runs for the user who asked), that
 * user with no address: the entry names who asked rather than "system".
 */
export function auditSourceActingFor(user: { id: number; email: string }): AuditSource {
  const source = currentAuditSource();
  return source.actorId === null && source.actorLabel === 'system' ? { actorId: user.id, actorLabel: user.email, ip: null, userAgent: null } : source;
}

/**
 * A person acting on their own account: they are the actor even where the request carries no signed-in
 * user yet (two-factor enrollment during sign-in), with the request's address.
 */
export function auditSourceOfSelf(user: { id: number; email: string }): AuditSource {
  return { ...currentAuditSource(), actorId: user.id, actorLabel: user.email };
}
