import type { SummaryRow } from './reports.service.js';

type Cell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV with a header row. Text cells that a spreadsheet would run as a formula (= + - @, tab,
 * carriage return first) get a leading apostrophe: report data includes customer-written comments.
 */
export function toCsv(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    if (v === null || v === undefined) return '';
    let text = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Rows of objects as CSV, columns in the order of `header`, nested objects flattened with `_`. */
export function objectsToCsv(rows: readonly object[], header?: string[]): string {
  const flat = rows.map((r) => flatten(r as Record<string, unknown>));
  const columns = header ?? (flat[0] ? Object.keys(flat[0]) : []);
  return toCsv(columns, flat.map((r) => columns.map((c) => r[c] as Cell)));
}

function flatten(o: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${k}_`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

/** The summary as one table: a line per row, then the totals (key "total"). */
export function summaryCsv(rows: SummaryRow[], totals: SummaryRow): string {
  return objectsToCsv([...rows, { ...totals, key: 'total' }]);
}
