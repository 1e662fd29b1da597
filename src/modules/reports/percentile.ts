/**
 * Exact percentiles with linear interpolation between closest ranks, as PostgreSQL's percentile_cont:
 * rank r = p·(n−1), value = v[⌊r⌋] + (v[⌈r⌉] − v[⌊r⌋])·(r − ⌊r⌋) over the sorted values. Found by
 * selection (expected linear time) rather than sorting; `values` is reordered in place. `ps` in
 * ascending order let each selection start where the previous one left the array partitioned.
 */
export function percentiles(values: Float64Array, ps: number[]): (number | null)[] {
  const n = values.length;
  if (!n) return ps.map(() => null);
  let left = 0;
  return ps.map((p) => {
    const r = p * (n - 1);
    const lo = Math.floor(r);
    // Everything left of an earlier selected rank is smaller: a later, higher rank lies to its right.
    if (lo < left) left = 0;
    const a = select(values, lo, left, n - 1);
    left = lo;
    if (lo === r) return a;
    // The next rank is the smallest value right of the selected one.
    const b = minFrom(values, lo + 1);
    return a + (b - a) * (r - lo);
  });
}

function minFrom(a: Float64Array, start: number): number {
  let min = Infinity;
  for (let i = start; i < a.length; i++) if (a[i] < min) min = a[i];
  return min;
}

/**
 * Reorders a[left..right] so a[k] is the value of rank k within it, smaller ones left and larger ones
 * right of it (Hoare partitions around a median of three).
 */
export function select(a: Float64Array, k: number, left = 0, right = a.length - 1): number {
  while (right > left) {
    const mid = (left + right) >>> 1;
    if (a[mid] < a[left]) swap(a, mid, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[mid]) swap(a, right, mid);
    const pivot = a[mid];
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number) {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
