import type { AppContext } from '../../platform/context.js';
import type { User } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { auditSourceActingFor } from '../audit-log/audit-context.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { isAdmin, type Actor } from './actor.js';
import { inviteUser } from './portal.service.js';
import { toUserChanges, type UserCreateInput } from './user.schema.js';
import { createUser } from './users.service.js';

/**
 * An agent adds a person (POST /users, users/create_many): agents may add customers, only admins
 * create staff or set passwords. Staff get an invitation to set a password by default; customers
 * only when asked (imports must not spam).
 */
export async function addUser(ctx: AppContext, { actor, input }: { actor: Actor; input: UserCreateInput }): Promise<User> {
  if (!isAdmin(actor) && ((input.role && input.role !== 'end-user') || input.password)) throw new AppError('Forbidden', 'Only administrators can create agents or set passwords');
  const invite = !input.password && (input.send_invite ?? (input.role === 'agent' || input.role === 'admin'));
  return ctx.db.transaction().execute(async (tx) => {
    const user = await createUser(tx, { ...toUserChanges(input), name: input.name, email: input.email, password: input.password, verified: input.verified ?? false });
    if (invite) await inviteUser(tx, ctx, user);
    // A new agent or admin is access granted, like a role change; a new customer is not an admin action.
    if (user.role !== 'end-user') {
      await recordAdminAction(
        tx,
        { action: 'create', sourceType: 'user', sourceId: user.id, sourceLabel: user.email, change: `${user.role === 'admin' ? 'Admin' : 'Agent'} account created`, after: { role: user.role, password_set: !!input.password, invited: invite } },
        auditSourceActingFor(actor.user),
      );
    }
    return user;
  });
}
