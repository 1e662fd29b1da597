import { Route, Routes } from 'react-router';
import { AdminRoutes } from './admin/AdminRoutes';
import { AgentRoutes } from './agent/AgentRoutes';
import { PortalRoutes } from './portal/PortalRoutes';

/** Three audiences, one app: customers at /, agents at /agent, administrators at /admin. */
export function App() {
  return (
    <Routes>
      <Route path="/agent/*" element={<AgentRoutes />} />
      <Route path="/admin/*" element={<AdminRoutes />} />
      <Route path="/*" element={<PortalRoutes />} />
    </Routes>
  );
}
