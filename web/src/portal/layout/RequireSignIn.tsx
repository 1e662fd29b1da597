import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../../auth/session';
import { ErrorState, Loading } from '../../ui/PageState';

/** Pages for signed-in customers: others go to the sign-in page and come back afterwards. */
export function RequireSignIn() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  if (!session.data) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}

/** Only same-site paths are followed after sign-in (no open redirect via `?next=//evil.example`). */
export function safeNext(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}
