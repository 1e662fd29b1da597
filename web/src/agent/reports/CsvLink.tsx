import { Button } from '@mantine/core';
import { reportPath, type ReportEndpoint, type ReportParams } from '../api/reports';

/**
 * "Download CSV" for a table: a plain link to the same report with `format=csv`, so the browser
 * downloads it with the session cookie (no script, no blob in memory for a large export).
 */
export function CsvLink({ endpoint, params, label }: { endpoint: ReportEndpoint; params: ReportParams; label: string }) {
  const name = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.csv`;
  return (
    <Button component="a" href={reportPath(endpoint, params, true)} download={name} variant="light" size="compact-sm" aria-label={`Download CSV: ${label}`}>
      Download CSV
    </Button>
  );
}
