import { Select } from '@mantine/core';
import { useAllOrganizations } from '../hooks';

/** Searchable organization picker; empty means "no organization". */
export function OrganizationSelect({ value, onChange, error, description }: { value: string | null; onChange: (v: string | null) => void; error?: string; description?: string }) {
  const orgs = useAllOrganizations();
  return (
    <Select
      label="Organization"
      description={description}
      placeholder={orgs.isPending ? 'Loading organizations…' : 'No organization'}
      data={(orgs.data ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
      value={value}
      onChange={onChange}
      error={error ?? (orgs.isError ? 'Could not load organizations' : undefined)}
      searchable
      clearable
      nothingFoundMessage="No organization by that name"
    />
  );
}
