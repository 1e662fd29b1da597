import type { Organization, User } from '../../platform/db-types.js';

/** The authenticated caller of a request, with what permission checks need already loaded. */
export interface Actor {
  user: User;
  organization: Organization | null;
  /** Groups the user belongs to (agents and admins). */
  groupIds: number[];
  via: 'session' | 'api_token' | 'password' | 'email';
  sessionId?: number;
  csrfToken?: string;
}

export const isAgent = (a: Actor | null | undefined): boolean => !!a && (a.user.role === 'agent' || a.user.role === 'admin');
export const isAdmin = (a: Actor | null | undefined): boolean => !!a && a.user.role === 'admin';
export const isEndUser = (a: Actor | null | undefined): boolean => !!a && a.user.role === 'end-user';
