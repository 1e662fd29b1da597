import { Routes, Route } from 'react-router';
import { EmptyState } from '../ui/PageState';

export function AdminRoutes() {
  return (
    <Routes>
      <Route path="*" element={<EmptyState title="Sundial Support" />} />
    </Routes>
  );
}
