import { lazy, Suspense } from 'react';
import { Loading } from '../../ui/PageState';

// The charts library is large: only agents who open the reports download it.
const ReportsPage = lazy(() => import('./ReportsPage').then((m) => ({ default: m.ReportsPage })));

/** /agent/reports, loaded on first visit, inside the workspace shell. */
export function LazyReportsPage() {
  return (
    <Suspense fallback={<Loading label="Loading reports…" />}>
      <ReportsPage />
    </Suspense>
  );
}
