import { Radio, Stack, Text } from '@mantine/core';

/**
 * The four priorities with their business-impact definitions (spec §3.2), shown right at the choice
 * so customers pick what matches their situation: the priority drives response targets and paging.
 */
export const PRIORITY_GUIDE = [
  {
    value: 'urgent',
    label: 'Urgent',
    impact: 'Production system down or business operations prevented: many users cannot work and there is no workaround.',
    examples: 'System hangs or crashes, critical functionality unavailable, data loss or corruption.',
  },
  {
    value: 'high',
    label: 'High',
    impact: 'Production environment with business operations severely impacted.',
    examples: 'Significant performance degradation, important functionality unavailable, a few users blocked.',
  },
  {
    value: 'normal',
    label: 'Normal',
    impact: 'Partial or non-critical loss of functionality in production; a small number of users affected.',
    examples: 'Some functions unavailable or minor degradation; the situation is stable.',
  },
  {
    value: 'low',
    label: 'Low',
    impact: 'Non-production system, or a question, comment, feature request or documentation issue.',
    examples: 'Incorrect behaviour without business impact, product questions, enhancements.',
  },
] as const;

export function PriorityField(props: { label: string; required: boolean; value: string | null; onChange: (v: string) => void; error?: string }) {
  return (
    <Radio.Group
      label={props.label}
      description="How much is this affecting your business?"
      withAsterisk={props.required}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    >
      <Stack gap="sm" mt="xs">
        {PRIORITY_GUIDE.map((p) => (
          <Radio
            key={p.value}
            value={p.value}
            label={p.label}
            aria-invalid={!!props.error || undefined}
            description={
              <>
                <Text span size="xs" c="dimmed" display="block">{p.impact}</Text>
                <Text span size="xs" c="dimmed" fs="italic" display="block">For example: {p.examples}</Text>
              </>
            }
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}
