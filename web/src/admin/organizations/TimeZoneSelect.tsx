import { Select, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useMemo } from 'react';

/** "GMT+09:00" for a zone right now; DST makes this a hint, which is all the label needs. */
function offsetOf(zone: string, now: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(now).find((p) => p.type === 'timeZoneName');
    return part?.value === 'GMT' ? 'GMT+00:00' : (part?.value ?? '');
  } catch {
    return '';
  }
}

function zones(current: string | null): { value: string; label: string }[] {
  // The browser's list is canonical names only and may lack UTC; the saved value must stay selectable.
  const names = new Set(Intl.supportedValuesOf('timeZone'));
  names.add('UTC');
  if (current) names.add(current);
  const now = new Date();
  return [...names].sort().map((z) => ({ value: z, label: `${z.replace(/_/g, ' ')} (${offsetOf(z, now)})` }));
}

// Labels show spaces for underscores; a search typed either way ("New_York", "new york") matches.
const norm = (s: string) => s.toLowerCase().replace(/_/g, ' ');
const filter: OptionsFilter = ({ options, search, limit }) => {
  const q = norm(search.trim());
  return (options as ComboboxItem[]).filter((o) => norm(o.label).includes(q)).slice(0, limit);
};

/** The IANA zones the browser knows, searchable by city or region ("Tokyo", "Europe/"). */
export function TimeZoneSelect({ value, onChange, error }: { value: string | null; onChange: (v: string | null) => void; error?: string }) {
  const data = useMemo(() => zones(value), [value]);
  return (
    <Select
      label="Time zone"
      description="Where this customer works, as an IANA zone such as Europe/Berlin"
      data={data}
      value={value}
      onChange={onChange}
      error={error}
      searchable
      allowDeselect={false}
      nothingFoundMessage="No time zone matches"
      filter={filter}
      limit={100}
    />
  );
}
