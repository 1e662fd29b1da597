import fc from 'fast-check';
import { extraKey, hostileValue, RawJson } from './values.js';

/**
 * Mutations of a valid seed body, as data (so fast-check can shrink them): each picks a node of the
 * seed's tree by index and replaces it, deletes it, adds a key beside it, wraps it, or repeats it.
 */
export type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'addKey'; at: number; key: string; value: unknown }
  | { op: 'wrapArray'; at: number }
  | { op: 'wrapObject'; at: number; key: string }
  | { op: 'repeat'; at: number; times: number }
  | { op: 'nest'; at: number; depth: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addKey' as const), at: fc.nat(), key: extraKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrapArray' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrapObject' as const), at: fc.nat(), key: extraKey }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 10, max: 1_000 }) }) },
);

type Node = { parent: any; key: string | number | null };

/** Past this many nodes (or characters) a mutation stops growing the body: the server's 2 MB limit is tested elsewhere. */
const MAX_WEIGHT = 20_000;

/** Rough size of a value: nodes plus string lengths, counted up to `cap`. */
function weight(value: unknown, cap = MAX_WEIGHT): number {
  let total = 0;
  const stack = [value];
  while (stack.length && total < cap) {
    const v = stack.pop();
    total += typeof v === 'string' ? v.length + 1 : 1;
    if (v && typeof v === 'object' && !(v instanceof RawJson)) for (const x of Object.values(v)) stack.push(x);
  }
  return total;
}

/** Every node of a JSON tree (the root first), as a parent and a key; at most MAX_WEIGHT of them. */
function nodes(root: { v: unknown }): Node[] {
  const out: Node[] = [{ parent: root, key: 'v' }];
  const walk = (value: unknown) => {
    if (value === null || typeof value !== 'object' || value instanceof RawJson || out.length > MAX_WEIGHT) return;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      out.push({ parent: value, key });
      walk((value as any)[key]);
    }
  };
  walk(root.v);
  return out;
}

/** Sets an own property even for `__proto__` (plain assignment would change the prototype instead). */
function setOwn(target: any, key: string | number, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy (RawJson leaves shared: they are immutable); generated values must never be changed in place. */
function clone(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(clone);
  const out = {};
  for (const k of Object.keys(value)) setOwn(out, k, clone((value as any)[k]));
  return out;
}

/** `{ [key]: value }` with an own key, `__proto__` included. */
function wrap(key: string, value: unknown) {
  const o = {};
  setOwn(o, key, value);
  return o;
}

/** Applies mutations to a deep copy of the seed. */
export function applyMutations(seed: unknown, mutations: Mutation[]): unknown {
  const root = { v: clone(seed) };
  for (const m of mutations) {
    const all = nodes(root);
    const { parent, key } = all[m.at % all.length];
    const current = parent[key!];
    switch (m.op) {
      case 'replace':
        setOwn(parent, key!, clone(m.value));
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else if (parent !== root) delete parent[key!];
        else root.v = undefined;
        break;
      case 'addKey':
        if (current && typeof current === 'object' && !Array.isArray(current) && !(current instanceof RawJson)) setOwn(current, m.key, clone(m.value));
        else if (parent !== root && !Array.isArray(parent)) setOwn(parent, m.key, clone(m.value));
        else setOwn(parent, key!, wrap(m.key, clone(m.value)));
        break;
      case 'wrapArray':
        setOwn(parent, key!, [current]);
        break;
      case 'wrapObject':
        setOwn(parent, key!, wrap(m.key, current));
        break;
      case 'repeat':
        if (weight(current) * m.times + weight(root.v) > MAX_WEIGHT) break;
        // Copies, not shared references: a later mutation inside one must not land in all of them.
        setOwn(parent, key!, Array.from({ length: m.times }, (_, i) => clone(Array.isArray(current) && current.length ? current[i % current.length] : (current ?? null))));
        break;
      case 'nest': {
        if (m.depth + weight(root.v) > MAX_WEIGHT) break;
        let v: unknown = current ?? null;
        for (let i = 0; i < m.depth; i++) v = i % 2 ? [v] : { a: v };
        setOwn(parent, key!, v);
        break;
      }
    }
  }
  return root.v;
}

/** JSON text of a mutated value: RawJson leaves verbatim, own `__proto__` keys kept, `undefined` as no value. */
export function toJsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const parts: string[] = [];
  // Iterative, so a deeply nested value does not overflow this side's stack.
  const stack: (unknown | { close: string } | { sep: string })[] = [value];
  const isMarker = (x: unknown): x is { close: string } | { sep: string } => !!x && typeof x === 'object' && ('close' in x || 'sep' in x) && Object.getPrototypeOf(x) === Marker;
  const Marker = {};
  const mark = (o: { close: string } | { sep: string }) => Object.setPrototypeOf(o, Marker);
  while (stack.length) {
    const v = stack.pop();
    if (isMarker(v)) {
      parts.push('close' in v ? v.close : v.sep);
      continue;
    }
    if (v instanceof RawJson) parts.push(v.text);
    else if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) parts.push('null');
    else if (typeof v !== 'object') parts.push(JSON.stringify(v));
    else {
      const array = Array.isArray(v);
      const keys = array ? [...(v as unknown[]).keys()] : Object.keys(v);
      parts.push(array ? '[' : '{');
      stack.push(mark({ close: array ? ']' : '}' }));
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((v as any)[keys[i]]);
        if (!array) stack.push(mark({ sep: `${JSON.stringify(keys[i])}:` }));
        if (i > 0) stack.push(mark({ sep: ',' }));
      }
    }
  }
  return parts.join('');
}
