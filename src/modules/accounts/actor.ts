import type { Organization, User } from '../../platform/db-types.js';

/** The authenticated caller of a request, with what permission checks need already loaded. */
export interface Actor {
  user: User;
  organization: Organization | null;
  /** Groups the user belongs to (agents and admins). */
  groupIds: number[];
  via: 'session' | 'api_token' | 'password' | 'email' | 'oauth';
  sessionId?: number;
  csrfToken?: string;
  /** Set when an OAuth access token authenticated the request (scopes limit what it may do). */
  oauth?: OAuthGrant;
}

/** The OAuth token behind a request; `impersonatorId` is the admin who sent X-On-Behalf-Of. */
export interface OAuthGrant {
  tokenId: number;
  clientId: number;
  scopes: string[];
  impersonatorId?: number;
}

export const isAgent = (a: Actor | null | undefined): boolean => !!a && (a.user.role === 'agent' || a.user.role === 'admin');
export const isAdmin = (a: Actor | null | undefined): boolean => !!a && a.user.role === 'admin';
export const isEndUser = (a: Actor | null | undefined): boolean => !!a && a.user.role === 'end-user';
