import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { readScope, type ReportScope } from './reportScope';

/**
 * The dashboard's scope from the URL, and a setter that changes some query parameters (null removes
 * one) without adding a history entry per click.
 */
export function useReportScope(): [ReportScope, (changes: Record<string, string | null>) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the query string is the identity of the scope
  const scope = useMemo(() => readScope(params), [key]);
  const update = useCallback(
    (changes: Record<string, string | null>) =>
      setParams(
        (old) => {
          const next = new URLSearchParams(old);
          for (const [k, v] of Object.entries(changes)) {
            if (v) next.set(k, v);
            else next.delete(k);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [scope, update];
}
