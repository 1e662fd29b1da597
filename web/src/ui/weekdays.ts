/** ISO weekday (1 = Monday … 7 = Sunday) → short English name. */
export const WEEKDAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/**
 * ISO weekdays as people write them, runs joined: [1,2,3,4,5] → "Mon–Fri", [7,1,2,3,4] → "Sun–Thu"
 * (a run may wrap past Sunday), [1,3] → "Mon, Wed", all seven → "every day".
 */
export function weekdays(days: readonly number[]): string {
  if (!days.length) return 'no days';
  const set = new Set(days);
  if (set.size === 7) return 'every day';
  const next = (d: number) => (d === 7 ? 1 : d + 1);
  // A run starts where the day before (cyclically) is not in the set.
  const starts = [1, 2, 3, 4, 5, 6, 7].filter((d) => set.has(d) && !set.has(d === 1 ? 7 : d - 1));
  return starts
    .map((start) => {
      let end = start;
      while (set.has(next(end))) end = next(end);
      if (start === end) return WEEKDAY[start];
      return `${WEEKDAY[start]}${next(start) === end ? ', ' : '–'}${WEEKDAY[end]}`;
    })
    .join(', ');
}
