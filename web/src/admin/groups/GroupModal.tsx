import { Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post, put } from '../../api/client';
import { keys, type Group } from '../api';
import { useAdminMutation } from '../hooks';
import { AdminModal, FormError, ModalActions, useFormSubmit } from '../ui';

/** Creates (no `group`) or renames a group. Mounted only while open. */
export function GroupModal({ group, onClose }: { group?: Group; onClose: () => void }) {
  const form = useForm({
    initialValues: { name: group?.name ?? '', description: group?.description ?? '' },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  const save = useAdminMutation({
    mutationFn: (v: { name: string; description: string }) => {
      const body = { group: { name: v.name.trim(), description: v.description.trim() } };
      return group ? put<{ group: Group }>(`/api/v2/groups/${group.id}`, body) : post<{ group: Group }>('/api/v2/groups', body);
    },
    invalidate: [keys.groups],
    success: (d) => `${d.group.name} was ${group ? 'updated' : 'created'}`,
    notifyError: false,
    onSuccess: onClose,
  });
  const { submit: send, general } = useFormSubmit(form, save, ['name', 'description']);
  const submit = form.onSubmit(send);

  return (
    <AdminModal opened onClose={onClose} title={group ? `Edit ${group.name}` : 'New group'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Textarea label="Description" description="What kind of tickets this team handles" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={group ? 'Save changes' : 'Create group'} />
        </Stack>
      </form>
    </AdminModal>
  );
}
