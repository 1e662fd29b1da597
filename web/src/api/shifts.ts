/*
 * Records of on-call rotations and follow-the-sun regions, as the API presents them to agents and
 * administrators alike (one definition for both areas).
 */

export type OnCallRole = 'primary' | 'backup';

/** Who holds each role between two instants; `overridden` names the roles an override fills. */
export interface OnCallShift {
  primary_id: number | null;
  backup_id: number | null;
  starts_at: string;
  ends_at: string;
  overridden: OnCallRole[];
}

export interface ScheduleOverride {
  id: number;
  role: OnCallRole;
  user_id: number;
  starts_at: string;
  ends_at: string;
}

export interface OnCallSchedule {
  id: number;
  name: string;
  time_zone: string;
  rotation_start: string;
  rotation_hours: number;
  participant_ids: number[];
  paging: boolean;
  on_call_now: OnCallShift;
  /** The next shifts after the current one, split at hand-offs and override edges. */
  upcoming: OnCallShift[];
  /** Current and future overrides. */
  overrides: ScheduleOverride[];
}

/** A follow-the-sun region; shift times are "HH:MM" in UTC. */
export interface Region {
  id: number;
  name: string;
  shift_start: string;
  shift_end: string;
  /** ISO weekdays (1 = Monday) on which a shift starts, in UTC. */
  shift_days: number[];
  position: number;
  member_ids: number[];
  on_shift: boolean;
  shift_ends_at: string | null;
  next_shift_start: string | null;
}

export interface RoutingSettings {
  enabled: boolean;
  strategy: 'least_open' | 'round_robin';
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Length of a region's shift in minutes; an end at or before the start runs past midnight. */
export const shiftLength = (r: Pick<Region, 'shift_start' | 'shift_end'>) => (minutesOf(r.shift_end) - minutesOf(r.shift_start) + 1440) % 1440 || 1440;

/** "21:00–06:00 UTC (+1 day)": a shift as set, in UTC. */
export const utcShift = (r: Pick<Region, 'shift_start' | 'shift_end'>) => `${r.shift_start}–${r.shift_end} UTC${minutesOf(r.shift_end) <= minutesOf(r.shift_start) ? ' (+1 day)' : ''}`;
