import { Route, Routes } from 'react-router';
import { EmptyState } from '../ui/PageState';
import { ChangePasswordPage } from './account/ChangePasswordPage';
import { ForgotPasswordPage } from './account/ForgotPasswordPage';
import { LoginPage } from './account/LoginPage';
import { ResetPasswordPage } from './account/ResetPasswordPage';
import { SignUpPage } from './account/SignUpPage';
import { helpPortalRoutes } from '../help/portal/HelpPortalRoutes';
import { HomePage } from './HomePage';
import { PortalLayout } from './layout/PortalLayout';
import { RequireSignIn } from './layout/RequireSignIn';
import { NewRequestPage } from './new-request/NewRequestPage';
import { RequestPage } from './request/RequestPage';
import { RequestsPage } from './requests/RequestsPage';

/** The customer portal (mounted at `/*`). */
export function PortalRoutes() {
  return (
    <Routes>
      <Route element={<PortalLayout />}>
        <Route index element={<HomePage />} />
        <Route path="signup" element={<SignUpPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        {helpPortalRoutes}
        <Route element={<RequireSignIn />}>
          <Route path="account/password" element={<ChangePasswordPage />} />
          <Route path="requests" element={<RequestsPage />} />
          <Route path="requests/new" element={<NewRequestPage />} />
          <Route path="requests/:id" element={<RequestPage />} />
        </Route>
        <Route path="*" element={<EmptyState title="Page not found">Check the address, or start from the home page.</EmptyState>} />
      </Route>
    </Routes>
  );
}
