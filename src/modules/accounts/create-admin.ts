import { z } from 'zod';
import type { Db } from '../../platform/db.js';
import type { User } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { emailField, nameField, passwordField } from '../../platform/validation.js';
import { commandLineSource } from '../audit-log/audit-context.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';
import { createUser, findUserByEmail, setPassword } from './users.service.js';

const input = z.object({ email: emailField, password: passwordField, name: nameField });

/** Creates a verified administrator, or promotes an existing account and sets its password. */
export async function createAdmin(db: Db, raw: { email: string; password: string; name: string }): Promise<User> {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new AppError('RecordInvalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const { email, password, name } = parsed.data;
  return db.transaction().execute(async (tx) => {
    const source = commandLineSource('sundial create-admin');
    const existing = await findUserByEmail(tx, email);
    if (!existing) {
      const admin = await createUser(tx, { email, password, name, role: 'admin', verified: true, organizationId: null });
      await recordAdminAction(tx, { action: 'create', sourceType: 'user', sourceId: admin.id, sourceLabel: admin.email, change: 'Admin account created', after: { role: 'admin', password_set: true } }, source);
      return admin;
    }
    const access = { role: existing.role, suspended: existing.suspended, active: existing.active };
    const { change, before, after } = changeSet(access, { role: 'admin', suspended: false, active: true });
    const noAccessChange = Object.keys(after as object).length === 0;
    await recordAdminAction(
      tx,
      { action: existing.role !== 'admin' ? 'role_change' : 'password_set', sourceType: 'user', sourceId: existing.id, sourceLabel: existing.email, change: noAccessChange ? 'Password set from the command line' : `${change}; password set from the command line`, before, after },
      source,
    );
    await tx.updateTable('users').set({ role: 'admin', verified: true, active: true, suspended: false, name, updated_at: new Date() }).where('id', '=', existing.id).execute();
    await setPassword(tx, existing.id, password);
    const groups = await tx.selectFrom('groups').select('id').where('deleted_at', 'is', null).where('is_default', '=', true).execute();
    for (const g of groups) {
      await tx.insertInto('group_memberships').values({ user_id: existing.id, group_id: g.id, updated_at: new Date() }).onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing()).execute();
    }
    return tx.selectFrom('users').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow();
  });
}
