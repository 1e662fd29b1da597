import { Badge, Button, Group, NumberInput, Paper, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { ApiError, put } from '../../api/client';
import { useAdminMutation, errorMessage } from '../hooks';
import { FormError } from '../ui';
import { cellKey, formatTarget, hourType, METRICS, PRIORITIES, slaKeys, type PolicyMetric, type SlaPolicy } from './model';

interface Draft {
  target: number | string;
  business_hours: boolean;
}

const draftOf = (policy: SlaPolicy) => Object.fromEntries(policy.policy_metrics.map((m) => [cellKey(m.metric, m.priority), { target: m.target, business_hours: m.business_hours }])) as Record<string, Draft>;

/** One plan's targets: read as "1 h, calendar hours", or edited cell by cell in minutes. */
export function PolicyCard({ policy }: { policy: SlaPolicy }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<{ cells: Record<string, string>; general: string | null }>({ cells: {}, general: null });
  const byKey = new Map(policy.policy_metrics.map((m) => [cellKey(m.metric, m.priority), m]));

  const save = useAdminMutation({
    mutationFn: (metrics: PolicyMetric[]) => put(`/api/v2/slas/policies/${policy.id}`, { sla_policy: { policy_metrics: metrics } }),
    invalidate: [slaKeys.policies],
    success: `${policy.title} targets were saved`,
    notifyError: false,
    onSuccess: () => setEditing(false),
  });

  const start = () => {
    setDraft(draftOf(policy));
    setErrors({ cells: {}, general: null });
    setEditing(true);
  };

  const submit = () => {
    // The full list goes back: cells not on this page (other metrics) keep their values.
    const metrics = policy.policy_metrics.map((m) => {
      const d = draft[cellKey(m.metric, m.priority)];
      return d ? { ...m, target: typeof d.target === 'number' ? d.target : Number.NaN, business_hours: d.business_hours } : m;
    });
    const cells: Record<string, string> = {};
    metrics.forEach((m) => {
      if (!Number.isFinite(m.target)) cells[cellKey(m.metric, m.priority)] = 'Enter a target in minutes';
    });
    if (Object.keys(cells).length) return setErrors({ cells, general: null });
    setErrors({ cells: {}, general: null });
    save.mutate(metrics, {
      onError: (e) => {
        // Details come as policy_metrics.<index>.target: put each next to its cell.
        const found: Record<string, string> = {};
        const rest: string[] = [];
        if (e instanceof ApiError) {
          for (const [key, problems] of Object.entries(e.details)) {
            const m = /^policy_metrics\.(\d+)/.exec(key);
            const metric = m ? metrics[Number(m[1])] : undefined;
            const text = problems.map((p) => p.description).join(' ');
            if (metric && byKey.has(cellKey(metric.metric, metric.priority))) found[cellKey(metric.metric, metric.priority)] ??= text;
            else rest.push(text);
          }
        }
        setErrors({ cells: found, general: rest.length ? rest.join(' ') : Object.keys(found).length ? null : errorMessage(e) });
      },
    });
  };

  const plan = policy.filter.all[0]?.value;
  return (
    <Paper withBorder p="md" component="section" aria-label={`${policy.title} policy`}>
      <Stack>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={2} size="h3">
              {policy.title}
            </Title>
            {policy.description && (
              <Text size="sm" c="dimmed">
                {policy.description}
              </Text>
            )}
            {plan && (
              <Text size="xs" c="dimmed">
                Applies to organizations on the {plan} plan
              </Text>
            )}
          </div>
          {!editing && (
            <Button variant="default" onClick={start} aria-label={`Edit ${policy.title} targets`}>
              Edit
            </Button>
          )}
        </Group>
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" withColumnBorders aria-label={`${policy.title} targets`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Target</Table.Th>
                {PRIORITIES.map((p) => (
                  <Table.Th key={p.value}>{p.label}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {METRICS.map((metric) => (
                <Table.Tr key={metric.value}>
                  <Table.Th scope="row">
                    <Text size="sm" fw={600}>
                      {metric.label}
                    </Text>
                    <Text size="xs" c="dimmed" fw={400}>
                      {metric.hint}
                    </Text>
                  </Table.Th>
                  {PRIORITIES.map((priority) => {
                    const key = cellKey(metric.value, priority.value);
                    const current = byKey.get(key);
                    const label = `${policy.title}, ${priority.label}, ${metric.label}`;
                    if (!current)
                      return (
                        <Table.Td key={key}>
                          <Text size="sm" c="dimmed">
                            No target
                          </Text>
                        </Table.Td>
                      );
                    return (
                      <Table.Td key={key} data-cell={key}>
                        {editing && draft[key] ? (
                          <EditCell label={label} value={draft[key]} error={errors.cells[key]} onChange={(d) => setDraft((all) => ({ ...all, [key]: d }))} />
                        ) : (
                          <ViewCell metric={current} />
                        )}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {editing && (
          <Stack gap="xs">
            <FormError message={errors.general} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button onClick={submit} loading={save.isPending}>
                Save {policy.title} targets
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function ViewCell({ metric }: { metric: PolicyMetric }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600} data-target>
        {formatTarget(metric.target, metric.business_hours)}
      </Text>
      <Group gap={4}>
        <Badge size="xs" variant="light" color={metric.business_hours ? 'blue' : 'grape'}>
          {metric.business_hours ? 'Business' : 'Calendar'}
        </Badge>
        {metric.internal && (
          <Tooltip label="Internal target: agents see it; customers are not promised it">
            <Badge size="xs" variant="outline" color="gray">
              Internal target
            </Badge>
          </Tooltip>
        )}
      </Group>
    </Stack>
  );
}

function EditCell({ label, value, error, onChange }: { label: string; value: Draft; error?: string; onChange: (d: Draft) => void }) {
  const minutes = typeof value.target === 'number' ? value.target : Number.NaN;
  return (
    <Stack gap={4}>
      <NumberInput
        size="xs"
        aria-label={`${label} target in minutes`}
        suffix=" min"
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="none"
        value={value.target}
        error={error}
        description={Number.isFinite(minutes) && minutes > 0 ? formatTarget(minutes, value.business_hours) : undefined}
        inputWrapperOrder={['input', 'description', 'error']}
        onChange={(v) => onChange({ ...value, target: v })}
      />
      <Switch
        size="xs"
        label={hourType(value.business_hours)}
        aria-label={`${label} in business hours`}
        checked={value.business_hours}
        onChange={(e) => onChange({ ...value, business_hours: e.currentTarget.checked })}
      />
    </Stack>
  );
}
