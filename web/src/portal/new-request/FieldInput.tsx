import { Checkbox, Group, MultiSelect, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { TicketField } from '../api/types';
import { fieldLabel, type FieldValue } from './formModel';
import { PriorityField } from './PriorityField';

interface Props {
  field: TicketField;
  required: boolean;
  value: FieldValue | null;
  onChange: (value: FieldValue) => void;
  error?: string;
}

/** Long option lists (the 27 categories) get a search box; short ones stay a plain dropdown. */
const SEARCH_FROM = 8;

/** One ticket field as an input, chosen by the field's type, labelled with the admin's wording. */
export function FieldInput({ field, required, value, onChange, error }: Props) {
  const label = fieldLabel(field);
  const common = { label, withAsterisk: required, error, description: field.description || undefined };

  switch (field.type) {
    case 'priority':
      return <PriorityField label={label} required={required} value={(value as string) ?? null} onChange={onChange} error={error} />;
    case 'description':
      return <Textarea {...common} autosize minRows={6} maxRows={20} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'tagger': {
      const options = field.custom_field_options ?? [];
      const chosen = options.find((o) => o.value === value);
      return (
        <Select
          {...common}
          // The chosen option's own explanation is more useful than the field's generic one.
          description={chosen?.description || field.description || undefined}
          placeholder={options.length >= SEARCH_FROM ? 'Type to search or pick one' : 'Pick one'}
          data={options.map((o) => ({ value: o.value, label: o.name }))}
          searchable={options.length >= SEARCH_FROM}
          nothingFoundMessage="No option matches"
          clearable={!required}
          value={(value as string) || null}
          onChange={(v) => onChange(v ?? '')}
          renderOption={({ option }) => {
            const description = options.find((o) => o.value === option.value)?.description;
            return (
              <Stack gap={0}>
                <Text size="sm">{option.label}</Text>
                {description && <Text size="xs" c="dimmed">{description}</Text>}
              </Stack>
            );
          }}
        />
      );
    }
    case 'multiselect':
      return (
        <MultiSelect
          {...common}
          data={(field.custom_field_options ?? []).map((o) => ({ value: o.value, label: o.name }))}
          searchable
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
        />
      );
    case 'checkbox':
      return (
        <Group>
          <Checkbox label={label} description={field.description || undefined} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} error={error} />
        </Group>
      );
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'date':
      return <TextInput {...common} type="date" value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'integer':
    case 'decimal':
      return <TextInput {...common} inputMode={field.type === 'integer' ? 'numeric' : 'decimal'} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      // subject, text, regexp and any type added later: a single line of text.
      return <TextInput {...common} value={(value as string) ?? ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
