import type { Selectable } from 'kysely';
import type { AdminAuditLogsTable } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';
import { toCsv } from '../reports/reports.presenter.js';

type Row = Selectable<AdminAuditLogsTable>;

const ACTION_LABELS: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  destroy: 'Deleted',
  revoke: 'Revoked',
  reorder: 'Reordered',
  secret_reset: 'Secret replaced',
  role_change: 'Role changed',
  suspend: 'Suspended',
  unsuspend: 'Unsuspended',
  reactivate: 'Reactivated',
  deactivate: 'Deactivated',
  password_set: 'Password set',
  holiday_add: 'Holiday added',
  holiday_remove: 'Holiday removed',
  member_add: 'Member added',
  member_remove: 'Member removed',
  override_add: 'Override added',
  override_remove: 'Override removed',
  option_add: 'Option added',
  option_update: 'Option updated',
  export: 'Exported',
  two_factor_reset: 'Two-factor reset',
  two_factor_on: 'Two-factor turned on',
  two_factor_off: 'Two-factor turned off',
  recovery_codes_replaced: 'Recovery codes replaced',
  two_factor_enforcement_on: 'Two-factor required',
  two_factor_enforcement_off: 'Two-factor no longer required',
};

/** Zendesk's audit_log object, with Sundial's before/after summaries and user agent added. */
export function presentAuditLog(base: string, r: Row) {
  return {
    url: resourceUrl(base, `audit_logs/${r.id}`),
    id: r.id,
    action: r.action,
    action_label: ACTION_LABELS[r.action] ?? r.action,
    actor_id: r.actor_id,
    actor_name: r.actor_label,
    source_id: r.source_id,
    source_type: r.source_type,
    source_label: r.source_label,
    change_description: r.change_description,
    ip_address: r.ip_address,
    user_agent: r.user_agent,
    before: r.before ?? null,
    after: r.after ?? null,
    created_at: iso(r.created_at),
  };
}

export const AUDIT_CSV_HEADER = ['id', 'created_at', 'actor_id', 'actor', 'action', 'source_type', 'source_id', 'source_label', 'change_description', 'ip_address', 'user_agent'];

export function auditLogsCsv(rows: Row[]): string {
  return toCsv(
    AUDIT_CSV_HEADER,
    rows.map((r) => [r.id, iso(r.created_at), r.actor_id, r.actor_label, r.action, r.source_type, r.source_id, r.source_label, r.change_description, r.ip_address, r.user_agent]),
  );
}
