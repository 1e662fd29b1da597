import { TagsInput } from '@mantine/core';
import { MAX_CCS } from './formModel';

/** Pasted lists arrive as one chip; split them and drop repeats (addresses are case-insensitive). */
function normalize(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of values.flatMap((v) => v.split(/[\s,;]+/))) {
    const address = part.trim();
    if (address && !seen.has(address.toLowerCase())) {
      seen.add(address.toLowerCase());
      out.push(address);
    }
  }
  return out;
}

export function CcInput({ value, onChange, error }: { value: string[]; onChange: (v: string[]) => void; error?: string }) {
  return (
    <TagsInput
      label="CC"
      description={`Email addresses of people who should hear about this request (up to ${MAX_CCS}). Press Enter or comma after each.`}
      placeholder={value.length ? '' : 'name@example.com'}
      value={value}
      onChange={(v) => onChange(normalize(v))}
      splitChars={[',', ' ', ';']}
      error={error}
      clearable
      // Mantine hides the clear button from assistive tech (Backspace removes chips); with up to 48
      // addresses a labelled, focusable "remove all" is worth having.
      clearButtonProps={{ 'aria-label': 'Remove all CCs', 'aria-hidden': false, tabIndex: 0 }}
    />
  );
}
