import { Badge, Button, Code, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { post, put } from '../../api/client';
import { keys, type FieldOption, type TicketField } from '../api';
import { useAdminMutation } from '../hooks';
import { FormError, splitApiError } from '../ui';
import { sharedPrefix, slug, TAG_PATTERN } from './tags';

/** The choices of one drop-down field: add, rename, deactivate and reactivate. Options are never deleted (old tickets use them). */
export function OptionsEditor({ field, formName }: { field: TicketField; formName: string }) {
  const options = field.custom_field_options ?? [];
  return (
    <Stack component="section" aria-label={`${formName}: ${field.title}`}>
      <AddOption field={field} options={options} />
      <Table verticalSpacing={4} aria-label={`${field.title} options`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Tag</Table.Th>
            <Table.Th ta="right">Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {options.map((o) => (
            <OptionRow key={o.id} field={field} option={o} />
          ))}
        </Table.Tbody>
      </Table>
      {!options.length && (
        <Text size="sm" c="dimmed">
          No options yet.
        </Text>
      )}
    </Stack>
  );
}

function AddOption({ field, options }: { field: TicketField; options: FieldOption[] }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  // The tag follows the name until the admin types one of their own.
  const [valueEdited, setValueEdited] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; value?: string; general?: string | null }>({});
  const prefix = sharedPrefix(options.map((o) => o.value));
  const add = useAdminMutation({
    mutationFn: () => post(`/api/v2/ticket_fields/${field.id}/options`, { custom_field_option: { name: name.trim(), value: value.trim() } }),
    invalidate: [keys.fields],
    success: `“${name.trim()}” was added to ${field.title}`,
    notifyError: false,
    onSuccess: () => {
      setName('');
      setValue('');
      setValueEdited(false);
    },
  });
  const submit = () => {
    if (!name.trim()) return setErrors({ name: 'Enter a name' });
    if (!TAG_PATTERN.test(value.trim())) return setErrors({ value: 'Use letters, digits, _ - or : only' });
    if (options.some((o) => o.value.toLowerCase() === value.trim().toLowerCase())) return setErrors({ value: 'Another option already uses this tag' });
    setErrors({});
    add.mutate(undefined, {
      onError: (e) => {
        const { fieldErrors, general } = splitApiError(e, ['name', 'value']);
        setErrors({ ...fieldErrors, general });
      },
    });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <Stack gap="xs">
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label="New option"
            placeholder="e.g. Calls"
            value={name}
            error={errors.name}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setName(next);
              if (!valueEdited) setValue(next.trim() ? `${prefix}${slug(next)}` : '');
            }}
            style={{ flex: 2, minWidth: 200 }}
          />
          <TextInput
            label="Tag"
            description="Stored on tickets; cannot change later"
            value={value}
            error={errors.value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              setValueEdited(true);
            }}
            style={{ flex: 1, minWidth: 180 }}
          />
          <Button type="submit" mt={48} loading={add.isPending}>
            Add option
          </Button>
        </Group>
        <FormError message={errors.general} />
      </Stack>
    </form>
  );
}

function OptionRow({ field, option }: { field: TicketField; option: FieldOption }) {
  const active = option.active !== false;
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(option.name);
  const [error, setError] = useState<string | null>(null);
  const update = useAdminMutation({
    mutationFn: (change: { name?: string; active?: boolean }) => put(`/api/v2/ticket_fields/${field.id}/options/${option.id}`, { custom_field_option: change }),
    invalidate: [keys.fields],
    success: (_d, change) =>
      change.name !== undefined
        ? `“${option.name}” was renamed to “${change.name}”`
        : change.active
          ? `“${option.name}” can be chosen again`
          : `“${option.name}” was deactivated; existing tickets keep it`,
    onSuccess: (_d, change) => change.name !== undefined && setRenaming(false),
    // Renames show their error next to the input; toggles have nowhere else but a notification.
    notifyError: !renaming,
  });
  const rename = () => {
    if (!name.trim()) return setError('Enter a name');
    if (name.trim() === option.name) return setRenaming(false);
    setError(null);
    update.mutate({ name: name.trim() }, { onError: (e) => setError(splitApiError(e, ['name']).fieldErrors.name ?? splitApiError(e, []).general) });
  };

  return (
    <Table.Tr data-inactive={!active || undefined}>
      <Table.Td>
        {renaming ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              rename();
            }}
          >
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <TextInput size="xs" aria-label={`New name for ${option.name}`} value={name} error={error} onChange={(e) => setName(e.currentTarget.value)} autoFocus />
              <Button size="xs" type="submit" loading={update.isPending}>
                Save
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setRenaming(false);
                  setName(option.name);
                  setError(null);
                }}
              >
                Cancel
              </Button>
            </Group>
          </form>
        ) : (
          <Group gap="xs">
            <Text size="sm" c={active ? undefined : 'dimmed'}>
              {option.name}
            </Text>
            {!active && (
              <Badge size="xs" color="gray" variant="outline">
                Deactivated
              </Badge>
            )}
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        <Code c={active ? undefined : 'dimmed'}>{option.value}</Code>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {!renaming && (
            <Button size="xs" variant="subtle" onClick={() => setRenaming(true)} aria-label={`Rename ${option.name}`}>
              Rename
            </Button>
          )}
          {active ? (
            <Button size="xs" variant="subtle" color="red" loading={update.isPending && !renaming} onClick={() => update.mutate({ active: false })} aria-label={`Deactivate ${option.name}`}>
              Deactivate
            </Button>
          ) : (
            <Button size="xs" variant="light" loading={update.isPending && !renaming} onClick={() => update.mutate({ active: true })} aria-label={`Reactivate ${option.name}`}>
              Reactivate
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
