import { MultiSelect, Select, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { Plan, Visibility } from '../api';
import { VISIBILITY_LABEL } from './labels';

export interface Audience {
  visibility: Visibility;
  organization_ids: number[];
  plans: Plan[];
}

const PLAN_LABEL: Record<Plan, string> = { free: 'Free', professional: 'Professional', enterprise: 'Enterprise', premier: 'Premier' };

/** Who may read the article: everyone, signed-in users, chosen organizations or plans, or agents only. */
export function VisibilityFields({ value, onChange }: { value: Audience; onChange: (v: Audience) => void }) {
  const orgs = useQuery({
    queryKey: ['hc', 'organizations'],
    queryFn: () => get<{ organizations: { id: number; name: string }[] }>('/api/v2/organizations?per_page=100').then((r) => r.organizations),
    enabled: value.visibility === 'organizations',
  });
  return (
    <Stack gap="xs">
      <Select
        label="Who can read it"
        allowDeselect={false}
        data={Object.entries(VISIBILITY_LABEL).map(([v, label]) => ({ value: v, label }))}
        value={value.visibility}
        onChange={(v) => v && onChange({ ...value, visibility: v as Visibility })}
      />
      {value.visibility === 'organizations' && (
        <MultiSelect
          label="Organizations"
          searchable
          data={(orgs.data ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
          value={value.organization_ids.map(String)}
          onChange={(ids) => onChange({ ...value, organization_ids: ids.map(Number) })}
        />
      )}
      {value.visibility === 'plans' && (
        <MultiSelect
          label="Support plans"
          data={Object.entries(PLAN_LABEL).map(([v, label]) => ({ value: v, label }))}
          value={value.plans}
          onChange={(plans) => onChange({ ...value, plans: plans as Plan[] })}
        />
      )}
    </Stack>
  );
}
