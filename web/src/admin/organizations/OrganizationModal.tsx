import { Group, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post, put } from '../../api/client';
import { keys, type Organization, type Plan } from '../api';
import { useAdminMutation } from '../hooks';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../ui';
import { SHARING, SharingSetting, needsConfirmation, sharingOf, type Sharing } from './sharing';
import { TimeZoneSelect } from './TimeZoneSelect';

export const PLAN_LABEL: Record<Plan, string> = { free: 'Free', professional: 'Professional', enterprise: 'Enterprise', premier: 'Premier' };
const PLANS = (Object.keys(PLAN_LABEL) as Plan[]).map((p) => ({ value: p, label: PLAN_LABEL[p] }));
const FIELDS = ['name', 'support_plan', 'time_zone', 'domain_names', 'notes', 'shared_tickets', 'shared_comments'] as const;

interface Values {
  name: string;
  support_plan: Plan;
  time_zone: string | null;
  domain_names: string[];
  notes: string;
  sharing: Sharing;
  confirmed: boolean;
}

// A new organization starts in the admin's own zone, the most likely right answer.
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Creates (no `organization`) or edits an organization. Mounted only while open. */
export function OrganizationModal({ organization, onClose }: { organization?: Organization; onClose: () => void }) {
  const saved: Sharing = organization ? sharingOf(organization) : 'own';
  const form = useForm<Values>({
    initialValues: {
      name: organization?.name ?? '',
      support_plan: organization?.support_plan ?? 'free',
      time_zone: organization?.time_zone ?? browserZone(),
      domain_names: organization?.domain_names ?? [],
      notes: organization?.notes ?? '',
      sharing: saved,
      confirmed: false,
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      time_zone: (v) => (v ? null : 'Choose a time zone'),
      confirmed: (v, values) => (needsConfirmation(saved, values.sharing) && !v ? 'Confirm to turn on sharing' : null),
    },
  });
  const save = useAdminMutation({
    mutationFn: (v: Values) => {
      const body = {
        organization: {
          name: v.name.trim(),
          support_plan: v.support_plan,
          time_zone: v.time_zone,
          domain_names: v.domain_names.map((d) => d.trim().toLowerCase()).filter(Boolean),
          notes: v.notes.trim() || null,
          shared_tickets: SHARING[v.sharing].shared_tickets,
          shared_comments: SHARING[v.sharing].shared_comments,
        },
      };
      return organization ? put<{ organization: Organization }>(`/api/v2/organizations/${organization.id}`, body) : post<{ organization: Organization }>('/api/v2/organizations', body);
    },
    invalidate: [keys.organizations],
    success: (d) => `${d.organization.name} was ${organization ? 'updated' : 'created'}`,
    notifyError: false,
    onSuccess: onClose,
  });

  const { submit: send, general } = useFormSubmit(form, save, FIELDS, ({ fieldErrors, general }) => {
    // The two sharing booleans are one control here.
    const sharingError = fieldErrors.shared_tickets ?? fieldErrors.shared_comments;
    return { fieldErrors: { ...fieldErrors, ...(sharingError ? { sharing: sharingError } : {}) }, general: general ?? sharingError ?? null };
  });
  const submit = form.onSubmit(send);

  return (
    <AdminModal opened onClose={onClose} title={organization ? `Edit ${organization.name}` : 'New organization'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Group grow align="flex-start">
            <Select label="Support plan" data={PLANS} allowDeselect={false} {...form.getInputProps('support_plan')} />
            <TimeZoneSelect value={form.values.time_zone} onChange={(v) => form.setFieldValue('time_zone', v)} error={form.errors.time_zone as string | undefined} />
          </Group>
          <TagsInput
            label="Email domains"
            description="People who sign up with these domains join this organization. Press Enter after each domain."
            placeholder="example.com"
            splitChars={[',', ' ', ';']}
            acceptValueOnBlur
            clearable
            {...form.getInputProps('domain_names')}
          />
          <SharingSetting
            value={form.values.sharing}
            saved={saved}
            onChange={(v) => {
              form.setFieldValue('sharing', v);
              form.setFieldValue('confirmed', false);
            }}
            confirmed={form.values.confirmed}
            onConfirmedChange={(v) => form.setFieldValue('confirmed', v)}
            confirmError={form.errors.confirmed as string | undefined}
          />
          <Textarea label="Notes" description="Only staff can read these" autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={organization ? 'Save changes' : 'Create organization'} />
        </Stack>
      </form>
    </AdminModal>
  );
}
