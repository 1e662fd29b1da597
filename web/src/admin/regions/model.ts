import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import { shiftLength, utcShift, type Region, type RoutingSettings } from '../../api/shifts';

export type { Region, RoutingSettings } from '../../api/shifts';

export const regionKeys = {
  regions: ['admin', 'regions'] as const,
  routing: ['admin', 'routing'] as const,
};

/** Every region in display order: the regions page, and the Region picker of the user modals. */
export function useAllRegions() {
  return useQuery({ queryKey: regionKeys.regions, queryFn: async () => (await get<{ regions: Region[] }>('/api/v2/regions')).regions });
}

export const WEEKDAYS = [
  { value: 1, short: 'Mon', long: 'Monday' },
  { value: 2, short: 'Tue', long: 'Tuesday' },
  { value: 3, short: 'Wed', long: 'Wednesday' },
  { value: 4, short: 'Thu', long: 'Thursday' },
  { value: 5, short: 'Fri', long: 'Friday' },
  { value: 6, short: 'Sat', long: 'Saturday' },
  { value: 7, short: 'Sun', long: 'Sunday' },
] as const;

export const STRATEGIES: { value: RoutingSettings['strategy']; label: string; hint: string }[] = [
  { value: 'least_open', label: 'Least open tickets', hint: 'The on-shift agent with the fewest new, open and pending tickets; ties go to whoever was routed to longest ago' },
  { value: 'round_robin', label: 'Round robin', hint: 'On-shift agents take turns, whatever their workload' },
];

/** "21:00–06:00 UTC (+1 day) · 9 h", as the table shows a shift. */
export function shiftText(r: Pick<Region, 'shift_start' | 'shift_end'>): string {
  const length = shiftLength(r);
  return `${utcShift(r)} · ${length % 60 ? `${Math.floor(length / 60)} h ${length % 60} min` : `${length / 60} h`}`;
}
