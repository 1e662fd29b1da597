import { Navigate, Route, Routes } from 'react-router';
import { isStaff, useSession } from '../auth/session';
import { EmptyState, ErrorState, Loading } from '../ui/PageState';
import { useViews } from './api/queries';
import { EscalationBoard } from './escalation/EscalationBoard';
import { HandoverDetail } from './handovers/HandoverDetail';
import { HandoversPage } from './handovers/HandoversPage';
import { AgentShell } from './layout/AgentShell';
import { AgentSignIn, NotAnAgent } from './layout/AgentSignIn';
import { CurrentAgentProvider } from './layout/CurrentAgent';
import { HelpAuthorRoutes } from '../help/author/HelpAuthorRoutes';
import { OnCallPage } from './oncall/OnCallPage';
import { LazyReportsPage } from './reports/LazyReportsPage';
import { TicketPage } from './ticket/TicketPage';
import { ViewPage } from './views/ViewPage';
import { AccountSecurityPage } from '../auth/AccountSecurityPage';

/** /agent opens the first view, as the sidebar lists them. */
function FirstView() {
  const views = useViews();
  if (views.isPending) return <Loading label="Loading views…" />;
  if (views.isError) return <ErrorState error={views.error} onRetry={() => void views.refetch()} />;
  if (!views.data.length) return <EmptyState title="No views yet">An administrator can add views.</EmptyState>;
  return <Navigate to={`/agent/views/${views.data[0].id}`} replace />;
}

/** The agent workspace: only staff get past the session check. */
export function AgentRoutes() {
  const session = useSession();
  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) return <AgentSignIn />;
  if (!isStaff(session.data)) return <NotAnAgent user={session.data} />;
  return (
    <CurrentAgentProvider value={session.data}>
      <AgentShell>
        <Routes>
          <Route index element={<FirstView />} />
          <Route path="views/:viewId" element={<ViewPage />} />
          <Route path="tickets/:id" element={<TicketPage />} />
          <Route path="escalations" element={<EscalationBoard />} />
          <Route path="on-call" element={<OnCallPage />} />
          <Route path="handovers" element={<HandoversPage />} />
          <Route path="handovers/:id" element={<HandoverDetail />} />
          <Route path="reports" element={<LazyReportsPage />} />
          <Route path="account" element={<AccountSecurityPage />} />
          <Route path="help/*" element={<HelpAuthorRoutes />} />
          <Route path="*" element={<EmptyState title="Page not found">Pick a view on the left.</EmptyState>} />
        </Routes>
      </AgentShell>
    </CurrentAgentProvider>
  );
}
