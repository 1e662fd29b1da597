import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { PortalRoutes } from './portal/PortalRoutes';
import { Loading } from './ui/PageState';
import { TwoFactorDialog } from './auth/TwoFactorDialog';

// Customers never download the agent workspace or the admin area: they load on first visit.
const AgentRoutes = lazy(() => import('./agent/AgentRoutes').then((m) => ({ default: m.AgentRoutes })));
const AdminRoutes = lazy(() => import('./admin/AdminRoutes').then((m) => ({ default: m.AdminRoutes })));

/** Three audiences, one app: customers at /, agents at /agent, administrators at /admin. */
export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/agent/*" element={<AgentRoutes />} />
        <Route path="/admin/*" element={<AdminRoutes />} />
        <Route path="/*" element={<PortalRoutes />} />
      </Routes>
      <TwoFactorDialog />
    </Suspense>
  );
}
