import { Routes, Route } from 'react-router';
import { EmptyState } from '../ui/PageState';

export function PortalRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState title="Sundial Support" />} />
    </Routes>
  );
}
