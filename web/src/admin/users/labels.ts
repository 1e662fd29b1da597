import type { Role, User } from '../api';

export const ROLE_LABEL: Record<Role, string> = { 'end-user': 'Customer', agent: 'Agent', admin: 'Administrator' };

export const roleOptions = (staffOnly: boolean) =>
  (staffOnly ? (['agent', 'admin'] as Role[]) : (['end-user', 'agent', 'admin'] as Role[])).map((r) => ({ value: r, label: ROLE_LABEL[r] }));

/** One word for where an account stands, most significant first. */
export function statusOf(u: User): { label: string; color: string } {
  if (!u.active) return { label: 'Deactivated', color: 'gray' };
  if (u.suspended) return { label: 'Suspended', color: 'red' };
  // Invited users have not yet followed their link, so they are unverified until they set a password.
  if (!u.verified) return { label: 'Not verified', color: 'yellow' };
  return { label: 'Active', color: 'green' };
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatLogin = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : 'Never');
