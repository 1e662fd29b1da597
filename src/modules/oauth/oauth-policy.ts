import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { actorFor } from '../accounts/authenticate.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { scopeForMethod } from './scopes.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * What an OAuth token may do on this request, and who it acts as:
 * - the method needs the `read` (GET/HEAD) or `write` scope, else 403;
 * - `X-On-Behalf-Of: <email>` needs an OAuth token with the `impersonate` scope held by an admin,
 *   and names an active end user; the request then runs with that user's permissions. Any other
 *   use of the header is refused (403) rather than ignored, so a client never silently acts as the
 *   admin when it meant to act as a customer.
 */
export async function applyOAuthPolicy(db: Db, actor: Actor | null, method: string, onBehalfOf: string | string[] | undefined): Promise<Actor | null> {
  const header = Array.isArray(onBehalfOf) ? onBehalfOf[0] : onBehalfOf;
  const impersonating = header !== undefined && header.trim() !== '';
  if (!actor) {
    if (impersonating) throw new AppError('Unauthenticated', "Couldn't authenticate you");
    return actor;
  }
  const grant = actor.oauth;
  if (grant) {
    const needed = scopeForMethod(method);
    if (!grant.scopes.includes(needed)) {
      throw new AppError('Forbidden', `This OAuth token does not have the "${needed}" scope that ${method.toUpperCase()} requests need.`);
    }
  }
  if (!impersonating) return actor;

  if (!grant) throw new AppError('Forbidden', 'X-On-Behalf-Of needs an OAuth access token with the "impersonate" scope.');
  if (!grant.scopes.includes('impersonate')) throw new AppError('Forbidden', 'This OAuth token does not have the "impersonate" scope that X-On-Behalf-Of needs.');
  if (!isAdmin(actor)) throw new AppError('Forbidden', 'Only admins can make requests on behalf of other users.');
  const email = header.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw new AppError('BadRequest', 'X-On-Behalf-Of must be the email address of an end user');
  const target = await db
    .selectFrom('users')
    .select(['id', 'role'])
    .where(({ fn }) => fn('lower', ['email']), '=', email)
    .executeTakeFirst();
  // Only end users can be impersonated: acting as another agent or admin would forge staff actions.
  const notImpersonable = () => new AppError('Forbidden', 'X-On-Behalf-Of must name an active end user of this help desk.');
  if (!target || target.role !== 'end-user') throw notImpersonable();
  const as = await actorFor(db, target.id, 'oauth', { oauth: { ...grant, impersonatorId: actor.user.id } });
  if (!as) throw notImpersonable();
  return as;
}
