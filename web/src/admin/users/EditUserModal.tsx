import { Button, Divider, Group, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { post, put } from '../../api/client';
import { keys, type Role, type User } from '../api';
import { useAdminMutation } from '../hooks';
import { AdminModal, FormError, splitApiError, useFormSubmit, ModalActions } from '../ui';
import { OrganizationSelect } from './OrganizationSelect';
import { RegionSelect } from './RegionSelect';
import { regionKeys } from '../regions/model';
import { roleOptions } from './labels';

const FIELDS = ['name', 'role', 'region_id', 'organization_id', 'suspended'] as const;

interface Values {
  name: string;
  role: Role;
  region_id: string | null;
  organization_id: string | null;
  suspended: boolean;
}

const valuesOf = (u: User): Values => ({
  name: u.name,
  role: u.role,
  region_id: u.region_id === null ? null : String(u.region_id),
  organization_id: u.organization_id === null ? null : String(u.organization_id),
  suspended: u.suspended,
});

/** Only what changed is sent, so saving a name never re-asserts a role someone else just changed. */
function changes(before: Values, after: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (after.name.trim() !== before.name) out.name = after.name.trim();
  if (after.role !== before.role) out.role = after.role;
  if (after.region_id !== before.region_id) out.region_id = after.region_id === null ? null : Number(after.region_id);
  if (after.organization_id !== before.organization_id) out.organization_id = after.organization_id === null ? null : Number(after.organization_id);
  if (after.suspended !== before.suspended) out.suspended = after.suspended;
  return out;
}

export function EditUserModal({ user, onClose }: { user: User; onClose: () => void }) {
  const initial = valuesOf(user);
  const form = useForm<Values>({ initialValues: initial, validate: { name: (v) => (v.trim() ? null : 'Enter a name') } });
  const save = useAdminMutation({
    mutationFn: (body: Record<string, unknown>) => put<{ user: User }>(`/api/v2/users/${user.id}`, { user: body }),
    invalidate: [keys.users, regionKeys.regions],
    success: (d) => `${d.user.name} was updated`,
    notifyError: false,
    onSuccess: onClose,
  });

  const { submit: send, general } = useFormSubmit(form, save, FIELDS);
  const submit = form.onSubmit((v) => {
    const body = changes(initial, v);
    if (!Object.keys(body).length) return onClose();
    send(body);
  });

  return (
    <AdminModal opened onClose={onClose} title={`Edit ${user.name}`} size="md">
      <Stack>
        <Text size="sm" c="dimmed">
          {user.email}
          {!user.active && ' · deactivated'}
        </Text>
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label="Name" required {...form.getInputProps('name')} />
            <Select label="Role" data={roleOptions(false)} allowDeselect={false} {...form.getInputProps('role')} />
            {form.values.role !== 'end-user' && (
              <RegionSelect value={form.values.region_id} onChange={(v) => form.setFieldValue('region_id', v)} error={form.errors.region_id as string | undefined} />
            )}
            <OrganizationSelect
              value={form.values.organization_id}
              onChange={(v) => form.setFieldValue('organization_id', v)}
              error={form.errors.organization_id as string | undefined}
              description={form.values.role === 'end-user' ? 'Decides the support plan and who shares tickets with this customer' : undefined}
            />
            <Switch
              label="Suspended"
              description="Signs the user out now; they cannot sign in or use the API until unsuspended"
              {...form.getInputProps('suspended', { type: 'checkbox' })}
            />
            <FormError message={general} />
            <ModalActions onCancel={onClose} pending={save.isPending} submitLabel="Save changes" />
          </Stack>
        </form>
        <Divider label="Password" labelPosition="left" />
        <SetPassword user={user} />
      </Stack>
    </AdminModal>
  );
}

/** For people who cannot receive mail. The server signs the user out everywhere, so the description says so. */
function SetPassword({ user }: { user: User }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const set = useAdminMutation({
    mutationFn: (p: string) => post(`/api/v2/users/${user.id}/password`, { password: p }),
    invalidate: [],
    success: `A new password was set for ${user.name}`,
    notifyError: false,
    onSuccess: () => setPassword(''),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        set.mutate(password, { onError: (err) => setError(splitApiError(err, ['password']).fieldErrors.password ?? splitApiError(err, []).general) });
      }}
    >
      <Stack gap="xs">
        <PasswordInput
          label="New password"
          description="At least 8 characters. Signs the user out everywhere; tell them the password through a safe channel."
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={error}
        />
        <Group justify="flex-end">
          <Button type="submit" variant="light" disabled={!password} loading={set.isPending}>
            Set password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
