import { Select } from '@mantine/core';
import { useAllRegions } from '../regions/model';

/** The follow-the-sun region of a staff member (GET /api/v2/regions); empty means "no region". */
export function RegionSelect({ value, onChange, error }: { value: string | null; onChange: (v: string | null) => void; error?: string }) {
  const regions = useAllRegions();
  return (
    <Select
      label="Region"
      description="Which follow-the-sun shift this agent works in"
      data={(regions.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
      value={value}
      onChange={onChange}
      error={error ?? (regions.isError ? 'Could not load regions' : undefined)}
      clearable
      placeholder={regions.isPending ? 'Loading regions…' : 'No region'}
    />
  );
}
