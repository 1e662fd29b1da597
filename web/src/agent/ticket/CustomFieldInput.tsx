import { Checkbox, Select, TextInput } from '@mantine/core';
import type { CustomFieldValue, TicketField } from '../api/types';

type Value = CustomFieldValue['value'];

/** One form field (Category, Environment, version…) as the right input for its type. */
export function CustomFieldInput({ field, value, onChange, disabled }: { field: TicketField; value: Value; onChange: (value: Value) => void; disabled: boolean }) {
  if (field.type === 'tagger') {
    // Deactivated options stay visible when a ticket still carries them, but cannot be chosen anew.
    const options = (field.custom_field_options ?? []).filter((o) => o.active !== false || o.value === value);
    return (
      <Select
        label={field.title}
        data={options.map((o) => ({ value: o.value, label: o.name }))}
        value={typeof value === 'string' ? value : null}
        onChange={(v) => onChange(v)}
        searchable
        clearable
        disabled={disabled}
        size="xs"
      />
    );
  }
  if (field.type === 'checkbox') {
    return <Checkbox label={field.title} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} disabled={disabled} size="xs" />;
  }
  const text = Array.isArray(value) ? value.join(', ') : value === null || value === undefined ? '' : String(value);
  return <TextInput label={field.title} value={text} onChange={(e) => onChange(e.currentTarget.value || null)} disabled={disabled} size="xs" />;
}
