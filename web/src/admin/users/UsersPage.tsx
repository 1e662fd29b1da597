import { Button, Stack, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { CUSTOMERS_PATH, STAFF_PATH } from '../api';
import { PageHeader } from '../ui';
import { InviteUserModal } from './InviteUserModal';
import { UsersTable } from './UsersTable';

type Tab = 'staff' | 'customers';

/** Staff and customers are separate tabs: they are managed for different reasons (regions vs organizations). */
export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'customers' ? 'customers' : 'staff';
  const [inviting, setInviting] = useState(false);

  return (
    <Stack>
      <PageHeader
        title="Users"
        description="Invite agents and customers, change roles, regions and organizations, or deactivate accounts."
        action={<Button onClick={() => setInviting(true)}>Invite user</Button>}
      />
      <Tabs value={tab} onChange={(v) => setParams(v === 'customers' ? { tab: 'customers' } : {})} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="staff">Staff</Tabs.Tab>
          <Tabs.Tab value="customers">Customers</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="staff" pt="md">
          <UsersTable kind="staff" path={STAFF_PATH} />
        </Tabs.Panel>
        <Tabs.Panel value="customers" pt="md">
          <UsersTable kind="customers" path={CUSTOMERS_PATH} />
        </Tabs.Panel>
      </Tabs>
      {inviting && <InviteUserModal onClose={() => setInviting(false)} defaultRole={tab === 'staff' ? 'agent' : 'end-user'} />}
    </Stack>
  );
}
