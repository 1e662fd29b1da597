import { PasswordInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post, put } from '../../api/client';
import { useAdminMutation } from '../hooks';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../ui';
import { KINDS, kindLabel, pagingKeys, type PagingTarget, type TargetKind } from './model';

const FIELDS = ['name', 'kind', 'url', 'routing_key'] as const;

interface Values {
  name: string;
  kind: TargetKind;
  url: string;
  routing_key: string;
  active: boolean;
}

/**
 * Adds (no `target`) or edits where pages go. The fields follow the kind: a webhook URL for chat,
 * a routing key for PagerDuty, an optional address for email. The server checks each URL (no
 * loopback or private addresses unless allowed) and answers field by field. Mounted only while open.
 */
export function TargetModal({ target, onClose }: { target?: PagingTarget; onClose: () => void }) {
  const form = useForm<Values>({
    initialValues: { name: target?.name ?? '', kind: target?.kind ?? 'mattermost', url: target?.target_url ?? '', routing_key: '', active: target?.active ?? true },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  const save = useAdminMutation({
    mutationFn: (v: Values) => {
      const body: Record<string, unknown> = { name: v.name.trim(), kind: v.kind, url: v.url.trim() || null, active: v.active };
      // The key is write-only: left empty on edit, the stored one stays.
      if (v.kind === 'pagerduty' && (v.routing_key.trim() || !target)) body.routing_key = v.routing_key.trim() || null;
      if (v.kind !== 'pagerduty') body.routing_key = null;
      return target ? put<{ target: PagingTarget }>(`/api/v2/paging/targets/${target.id}`, { target: body }) : post<{ target: PagingTarget }>('/api/v2/paging/targets', { target: body });
    },
    invalidate: [pagingKeys.targets],
    success: (d) => `${d.target.name} was ${target ? 'updated' : 'added'}`,
    notifyError: false,
    onSuccess: onClose,
  });
  const { submit: send, general } = useFormSubmit(form, save, FIELDS);
  const submit = form.onSubmit(send);
  const kind = KINDS.find((k) => k.value === form.values.kind)!;
  const keepsKey = !!target?.routing_key && target.kind === 'pagerduty';

  return (
    <AdminModal opened onClose={onClose} title={target ? `Edit ${target.name}` : 'New paging target'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" description="Shown on the ticket's Pages panel, e.g. “Support on-call channel”" required data-autofocus {...form.getInputProps('name')} />
          <Select
            label="Kind"
            data={KINDS.map((k) => ({ value: k.value, label: k.label }))}
            allowDeselect={false}
            {...form.getInputProps('kind')}
            onChange={(v) => {
              form.setFieldValue('kind', (v ?? 'mattermost') as TargetKind);
              form.clearErrors();
            }}
          />
          <TextInput
            label={kind.urlLabel}
            description={kind.urlHint}
            required={kind.value === 'mattermost' || kind.value === 'slack'}
            type={kind.value === 'email' ? 'email' : 'url'}
            placeholder={kind.value === 'email' ? 'oncall@example.com' : 'https://'}
            {...form.getInputProps('url')}
          />
          {kind.value === 'pagerduty' && (
            <PasswordInput
              label="Routing key"
              description={keepsKey ? `The integration key of the PagerDuty service; leave empty to keep ${target!.routing_key}` : 'The integration key of a PagerDuty Events API v2 service'}
              required={!keepsKey}
              autoComplete="off"
              {...form.getInputProps('routing_key')}
            />
          )}
          <Switch label="Active" description={`Inactive targets get no pages (${kindLabel(form.values.kind)} stays configured)`} {...form.getInputProps('active', { type: 'checkbox' })} />
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={target ? 'Save changes' : 'Add target'} />
        </Stack>
      </form>
    </AdminModal>
  );
}
