/** Who is on call in a rotation at an instant: pure, so schedules can be previewed and tested. */
export interface Rotation {
  rotationStart: Date;
  rotationHours: number;
  participantIds: number[];
}

export interface Override {
  role: 'primary' | 'backup';
  userId: number;
  startsAt: Date;
  endsAt: Date;
  createdAt?: Date;
}

export interface OnCallShift {
  primaryId: number | null;
  backupId: number | null;
  startsAt: Date;
  endsAt: Date;
  /** The roles an override fills right now. */
  overridden: ('primary' | 'backup')[];
}

const HOUR = 3_600_000;

/** The rotation turn containing `at` (turns before rotation_start continue the cycle backwards). */
function turnAt(r: Rotation, at: Date): { index: number; startsAt: Date; endsAt: Date } {
  const length = r.rotationHours * HOUR;
  const index = Math.floor((at.getTime() - r.rotationStart.getTime()) / length);
  const startsAt = new Date(r.rotationStart.getTime() + index * length);
  return { index, startsAt, endsAt: new Date(startsAt.getTime() + length) };
}

const pick = (ids: number[], index: number) => (ids.length ? ids[((index % ids.length) + ids.length) % ids.length] : null);

export function onCallAt(r: Rotation, overrides: Override[], at: Date): OnCallShift {
  const turn = turnAt(r, at);
  let primaryId = pick(r.participantIds, turn.index);
  let backupId = r.participantIds.length > 1 ? pick(r.participantIds, turn.index + 1) : null;
  const overridden: OnCallShift['overridden'] = [];
  // The most recently created override wins where several cover the same instant.
  const active = overrides
    .filter((o) => o.startsAt.getTime() <= at.getTime() && at.getTime() < o.endsAt.getTime())
    .sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  let endsAt = turn.endsAt;
  for (const o of active) {
    if (o.role === 'primary') primaryId = o.userId;
    else backupId = o.userId;
    if (!overridden.includes(o.role)) overridden.push(o.role);
  }
  // The shift as seen now ends at the next boundary: rotation hand-off or an override starting or ending.
  for (const o of overrides) {
    for (const edge of [o.startsAt, o.endsAt]) if (edge.getTime() > at.getTime() && edge.getTime() < endsAt.getTime()) endsAt = edge;
  }
  if (backupId === primaryId) backupId = null;
  return { primaryId, backupId, startsAt: turn.startsAt, endsAt, overridden };
}

/** The next `count` shifts from `from`, split at hand-offs and override edges, for a schedule preview. */
export function upcomingShifts(r: Rotation, overrides: Override[], from: Date, count: number): OnCallShift[] {
  const shifts: OnCallShift[] = [];
  let at = from;
  while (shifts.length < count) {
    const shift = onCallAt(r, overrides, at);
    shifts.push({ ...shift, startsAt: shifts.length ? at : shift.startsAt });
    at = shift.endsAt;
  }
  return shifts;
}
