import { Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { useSession, useSignOut } from '../auth/session';
import { ErrorState, Loading } from '../ui/PageState';
import { AdminShell } from './AdminShell';
import { AdminSignIn } from './AdminSignIn';
import { useSessionExpiryWatch } from './hooks';
import { FieldsPage } from './fields/FieldsPage';
import { GroupsPage } from './groups/GroupsPage';
import { OrganizationsPage } from './organizations/OrganizationsPage';
import { OnCallSchedulesPage } from './paging/OnCallSchedulesPage';
import { PagingTargetsPage } from './paging/PagingTargetsPage';
import { RegionsPage } from './regions/RegionsPage';
import { SlaPage } from './sla/SlaPage';
import { UsersPage } from './users/UsersPage';
import { AuditLogPage } from './audit-log/AuditLogPage';
import { SecurityPage } from './security/SecurityPage';

/** /admin/*: signed-out visitors get the sign-in form, non-administrators a clear refusal. */
export function AdminRoutes() {
  const session = useSession();
  useSessionExpiryWatch();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  const user = session.data;
  if (!user) return <AdminSignIn />;
  if (user.role !== 'admin') return <NotAdmin role={user.role} />;
  return (
    <AdminShell user={user}>
      <Routes>
        <Route index element={<Navigate to="users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="organizations" element={<OrganizationsPage />} />
        <Route path="groups" element={<GroupsPage />} />
        <Route path="fields" element={<FieldsPage />} />
        <Route path="sla" element={<SlaPage />} />
        <Route path="paging" element={<PagingTargetsPage />} />
        <Route path="on-call" element={<OnCallSchedulesPage />} />
        <Route path="regions" element={<RegionsPage />} />
        <Route path="security" element={<SecurityPage />} />
        <Route path="audit-log" element={<AuditLogPage />} />
        <Route path="*" element={<Navigate to="users" replace />} />
      </Routes>
    </AdminShell>
  );
}

function NotAdmin({ role }: { role: string }) {
  const signOut = useSignOut();
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={440} w="100%">
        <Stack>
          <Title order={1} size="h3">
            Administrators only
          </Title>
          <Text size="sm">The admin area manages users, organizations, groups, ticket fields and SLA policies. Your account does not have administrator access; ask an administrator if you need it.</Text>
          <Anchor href={role === 'end-user' ? '/' : '/agent'} size="sm">
            {role === 'end-user' ? 'Go to your requests' : 'Go to the agent workspace'}
          </Anchor>
          <Button variant="default" onClick={() => signOut()}>
            Sign in as someone else
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
