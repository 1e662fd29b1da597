import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, setCsrfToken } from '../api/client';
import { completeSecondStep, isChallenge, type LoginAnswer } from './two-factor';

export interface SessionUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
  verified: boolean;
  organization_id: number | null;
}

/** The signed-in user, or null. Also keeps the CSRF token for writes in step with the session. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const s = await get<{ user: SessionUser; csrf_token: string }>('/api/portal/session');
        setCsrfToken(s.csrf_token);
        return s.user;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const qc = useQueryClient();
  return async (email: string, password: string) => {
    const answer = await post<LoginAnswer>('/api/portal/login', { email, password });
    // Two-factor accounts (and staff when an admin requires it) finish in the second-step dialog.
    const s = isChallenge(answer) ? await completeSecondStep(answer) : answer;
    setCsrfToken(s.csrf_token);
    qc.setQueryData(['session'], s.user);
    return s.user;
  };
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    await post('/api/portal/logout').catch(() => undefined);
    setCsrfToken(null);
    // Set the session to null on the query the pages observe (clearing the cache first would leave
    // them watching a removed query, still showing the signed-in page), then drop everything else.
    qc.setQueryData(['session'], null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
  };
}

export const isStaff = (u: SessionUser | null | undefined) => !!u && (u.role === 'agent' || u.role === 'admin');
