import type { FastifyRequest } from 'fastify';
import { AppError, forbidden } from '../platform/errors.js';
import { isAdmin, isAgent, type Actor } from '../modules/accounts/actor.js';

/** Any signed-in caller. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('Unauthenticated', "Couldn't authenticate you");
  return req.actor;
}

/** Agents and admins; end users get Zendesk's 403 on agent endpoints such as /api/v2/tickets. */
export function requireAgent(req: FastifyRequest): Actor {
  const actor = requireActor(req);
  if (!isAgent(actor)) throw forbidden();
  return actor;
}

export function requireAdmin(req: FastifyRequest): Actor {
  const actor = requireActor(req);
  if (!isAdmin(actor)) throw forbidden();
  return actor;
}

/** End users must have verified their address before they can open or follow up requests. */
export function requireVerified(actor: Actor): void {
  if (!actor.user.verified) {
    throw new AppError('Forbidden', 'Verify your email address before submitting requests: open the link we sent you, or ask for a new one.');
  }
}
