import { Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post } from '../../api/client';
import { keys, type Role, type User } from '../api';
import { useAdminMutation } from '../hooks';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../ui';
import { OrganizationSelect } from './OrganizationSelect';
import { RegionSelect } from './RegionSelect';
import { regionKeys } from '../regions/model';
import { roleOptions } from './labels';

const FIELDS = ['name', 'email', 'role', 'region_id', 'organization_id'] as const;

interface Values {
  name: string;
  email: string;
  role: Role;
  region_id: string | null;
  organization_id: string | null;
}

/**
 * Creates an account without a password: the server mails a link to choose one. `send_invite` is
 * explicit because the server only invites staff by default (bulk customer imports must not mail).
 */
// Mounted only while open, so every invitation starts from an empty form.
export function InviteUserModal({ onClose, defaultRole }: { onClose: () => void; defaultRole: Role }) {
  const form = useForm<Values>({
    initialValues: { name: '', email: '', role: defaultRole, region_id: null, organization_id: null },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter an email address'),
    },
  });

  const invite = useAdminMutation({
    mutationFn: (v: Values) =>
      post<{ user: User }>('/api/v2/users', {
        user: {
          name: v.name.trim(),
          email: v.email.trim(),
          role: v.role,
          send_invite: true,
          ...(v.role !== 'end-user' && v.region_id ? { region_id: Number(v.region_id) } : {}),
          ...(v.role === 'end-user' && v.organization_id ? { organization_id: Number(v.organization_id) } : {}),
        },
      }),
    invalidate: [keys.users, regionKeys.regions],
    success: (d) => `An invitation email was sent to ${d.user.email}`,
    notifyError: false,
    onSuccess: onClose,
  });

  const { submit: send, general } = useFormSubmit(form, invite, FIELDS);
  const submit = form.onSubmit(send);
  const staff = form.values.role !== 'end-user';

  return (
    <AdminModal opened onClose={onClose} title="Invite user">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            They get an email with a link to choose a password and sign in.
          </Text>
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
          <Select label="Role" data={roleOptions(false)} allowDeselect={false} {...form.getInputProps('role')} />
          {staff ? (
            <RegionSelect value={form.values.region_id} onChange={(v) => form.setFieldValue('region_id', v)} error={form.errors.region_id as string | undefined} />
          ) : (
            <OrganizationSelect
              value={form.values.organization_id}
              onChange={(v) => form.setFieldValue('organization_id', v)}
              error={form.errors.organization_id as string | undefined}
              description="Leave empty to match by email domain"
            />
          )}
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={invite.isPending} submitLabel="Send invitation" />
        </Stack>
      </form>
    </AdminModal>
  );
}
