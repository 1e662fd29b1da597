import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from '../../api/client';

/**
 * A session can end while the workspace is open (expiry, sign-out in another tab). The first
 * workspace request answered 401 re-checks the session, which brings back the sign-in form
 * instead of leaving "Please sign in" errors on every panel.
 */
export function useExpiredSession() {
  const qc = useQueryClient();
  useEffect(
    () =>
      qc.getQueryCache().subscribe((event) => {
        const error = event.query.state.error;
        if (event.type === 'updated' && event.query.queryKey[0] === 'agent' && error instanceof ApiError && error.status === 401) {
          void qc.invalidateQueries({ queryKey: ['session'] });
        }
      }),
    [qc],
  );
}
