import { Button, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useRegions } from '../api/oncall';
import { useAgents, useFormsAndFields, useGroups } from '../api/queries';
import { useReportOrganizations } from '../api/reports';
import { planLabel, PRIORITIES, PRIORITY_LABEL } from '../format';
import { activeFilterCount, FILTER_KEYS, PERIOD_LABEL, PERIODS, type FilterKey, type Period, type ReportScope } from './reportScope';

const PLANS = ['premier', 'enterprise', 'professional', 'free'];
const PLAN_OPTIONS = PLANS.map((p) => ({ value: p, label: planLabel(p) }));
const PRIORITY_OPTIONS = PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }));

type Option = { value: string; label: string };
const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label);

/**
 * The categories agents file tickets under: the options of every "category" field (the Technical and
 * Sales forms each have one), once per value.
 */
function useCategoryOptions(): Option[] {
  const { fields } = useFormsAndFields();
  return useMemo(() => {
    const seen = new Map<string, string>();
    for (const f of (fields.data ?? []) as { key?: string; title: string; custom_field_options?: { name: string; value: string }[] }[]) {
      if (!(f.key ?? '').endsWith('category') && f.title !== 'Category') continue;
      for (const o of f.custom_field_options ?? []) if (!seen.has(o.value)) seen.set(o.value, o.name);
    }
    return [...seen].map(([value, label]) => ({ value, label })).sort(byLabel);
  }, [fields.data]);
}

/** The pickers' choices, each loaded from the API (a failed list leaves its picker empty, not the page). */
function useFilterOptions(): Record<FilterKey, Option[]> {
  const { forms } = useFormsAndFields();
  const groups = useGroups();
  const regions = useRegions();
  const agents = useAgents();
  const organizations = useReportOrganizations();
  const categories = useCategoryOptions();
  const named = (rows: { id: number; name: string }[] | undefined) => (rows ?? []).map((r) => ({ value: String(r.id), label: r.name })).sort(byLabel);
  return {
    plan: PLAN_OPTIONS,
    priority: PRIORITY_OPTIONS,
    form: (forms.data ?? []).map((f) => ({ value: String(f.id), label: f.name })),
    category: categories,
    group_id: named(groups.data),
    region_id: (regions.data ?? []).map((r) => ({ value: String(r.id), label: r.name })),
    assignee_id: named(agents.data),
    organization_id: named(organizations.data),
  };
}

const FILTER_LABEL: Record<FilterKey, string> = {
  plan: 'Plan',
  priority: 'Priority',
  form: 'Form',
  category: 'Category',
  group_id: 'Group',
  region_id: 'Region',
  assignee_id: 'Agent',
  organization_id: 'Organization',
};
const FILTER_PLACEHOLDER: Record<FilterKey, string> = {
  plan: 'All plans',
  priority: 'All priorities',
  form: 'All forms',
  category: 'All categories',
  group_id: 'All groups',
  region_id: 'All regions',
  assignee_id: 'All agents',
  organization_id: 'All organizations',
};

/** Period and filters; every change goes into the URL, which is where the dashboard reads them from. */
export function ReportFilters({ scope, update }: { scope: ReportScope; update: (changes: Record<string, string | null>) => void }) {
  const options = useFilterOptions();
  const setPeriod = (period: Period) =>
    // A custom range starts as the range on screen, so switching to it changes nothing until edited.
    update(period === 'custom' ? { period, from: scope.from, to: scope.to } : { period, from: null, to: null });
  const setDay = (key: 'from' | 'to', value: string) => value && update({ period: 'custom', from: scope.from, to: scope.to, [key]: value });

  return (
    <Paper withBorder p="md" component="section" aria-label="Period and filters">
      <Stack gap="sm">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="report-period-label">
              Period
            </Text>
            <SegmentedControl aria-labelledby="report-period-label" value={scope.period} onChange={(v) => setPeriod(v as Period)} data={PERIODS.map((p) => ({ value: p, label: PERIOD_LABEL[p] }))} />
          </Stack>
          <TextInput type="date" label="From" value={scope.from} max={scope.to} onChange={(e) => setDay('from', e.currentTarget.value)} w={160} />
          <TextInput type="date" label="To" value={scope.to} min={scope.from} onChange={(e) => setDay('to', e.currentTarget.value)} w={160} />
          {activeFilterCount(scope) > 0 && (
            <Button variant="subtle" size="sm" onClick={() => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}>
              Clear filters
            </Button>
          )}
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4, xl: 8 }} spacing="sm">
          {FILTER_KEYS.map((key) => (
            <Select
              key={key}
              label={FILTER_LABEL[key]}
              placeholder={FILTER_PLACEHOLDER[key]}
              data={withCurrent(options[key], scope.filters[key])}
              value={scope.filters[key] ?? null}
              onChange={(v) => update({ [key]: v })}
              searchable
              clearable
              nothingFoundMessage="Nothing found"
            />
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

/** A value from a shared URL shows even before (or without) its list: the filter is applied either way. */
function withCurrent(options: Option[], value: string | undefined): Option[] {
  return value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
}
