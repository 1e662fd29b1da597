/**
 * Response *shapes*: the keys of every object, recursively, and the JSON type of every value, as
 * derived from recorded Zendesk responses (test/fixtures/zendesk-shapes/). Only shapes are kept,
 * never the recorded values.
 *
 * A shape is either a string of primitive types (`"string"`, `"number|null"`) or a node:
 * `{ type: "object|null", keys, optional_keys, map, items, variants_by, variants }`.
 * - `"null"` alone: the recording only had null, so any type is accepted; the key must be present.
 * - `keys`: present in every recorded object; `optional_keys`: present in some (checked when present).
 * - `map`: account-defined keys (user_fields, organization_fields): any keys.
 * - `items: null`: the recording only had empty arrays, so elements cannot be checked.
 * - `variants_by: "type"`: arrays of objects whose keys depend on that key (audit events, ticket fields).
 */
export type Shape = string | ShapeNode;
export interface ShapeNode {
  type: string;
  keys?: Record<string, Shape>;
  optional_keys?: Record<string, Shape>;
  map?: true;
  items?: Shape | null;
  variants_by?: string;
  variants?: Record<string, Shape>;
}

/** The golden file for one endpoint. */
export interface GoldenFile {
  endpoint: string;
  source: { repo: string; path: string; commit: string; kind: string };
  derived: string;
  shape: Shape;
  /** Differences that are right for Sundial (it has no such feature), each with its reason. */
  sundial_exceptions: Excuse[];
  /** Real differences found by this test and not fixed yet: each must still fail, or be removed. */
  known_gaps: Excuse[];
}

/** Excuses the problems at `path` (only the one worded `problem`, when given). */
export interface Excuse {
  path: string;
  problem?: string;
  reason?: string;
  finding?: string;
}

export interface Problem {
  path: string;
  message: string;
}

/** Keys whose members are defined per account: their own keys are not part of Zendesk's shape. */
const MAP_KEYS = new Set(['user_fields', 'organization_fields']);

interface Node {
  types: Set<string>;
  keys?: Map<string, Node>;
  optional?: Map<string, Node>;
  map?: boolean;
  items?: Node | null;
  variantsBy?: string;
  variants?: Map<string, Node>;
}

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);

function deriveNode(value: unknown, key = ''): Node {
  const t = jsonType(value);
  const node: Node = { types: new Set([t]) };
  if (t === 'object') {
    if (MAP_KEYS.has(key)) {
      node.keys = new Map();
      node.map = true;
    } else {
      node.keys = new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, deriveNode(v, k)]));
    }
  }
  if (t === 'array') {
    const elements = (value as unknown[]).map((v) => deriveNode(v));
    node.items = elements.length ? elements.reduce(merge) : null;
    const tags = (value as unknown[]).map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).type : undefined));
    if (elements.length > 1 && tags.every((x) => typeof x === 'string') && new Set(tags).size > 1) {
      node.variantsBy = 'type';
      node.variants = new Map();
      elements.forEach((e, i) => {
        const tag = tags[i] as string;
        node.variants!.set(tag, node.variants!.has(tag) ? merge(node.variants!.get(tag)!, e) : e);
      });
      // A variant decides which keys must be present; the JSON types a key may have come from all elements.
      for (const v of node.variants.values()) {
        for (const [k, sub] of v.keys ?? []) {
          const all = node.items!.keys?.get(k) ?? node.items!.optional?.get(k);
          if (all) v.keys!.set(k, { ...sub, types: new Set([...sub.types, ...all.types]) });
        }
      }
    }
  }
  return node;
}

/** Two recorded values of the same key: union of types; a key missing from either becomes optional. */
function merge(a: Node, b: Node): Node {
  const out: Node = { types: new Set([...a.types, ...b.types]) };
  if (a.keys || b.keys) {
    out.map = a.map || b.map || undefined;
    out.keys = new Map();
    out.optional = new Map();
    const names = new Set([...(a.keys?.keys() ?? []), ...(b.keys?.keys() ?? []), ...(a.optional?.keys() ?? []), ...(b.optional?.keys() ?? [])]);
    for (const k of names) {
      const x = a.keys?.get(k) ?? a.optional?.get(k);
      const y = b.keys?.get(k) ?? b.optional?.get(k);
      // A key counts as required only if both sides recorded an object that had it.
      const required = (a.keys?.has(k) || !a.types.has('object')) && (b.keys?.has(k) || !b.types.has('object'));
      (required ? out.keys : out.optional).set(k, x && y ? merge(x, y) : (x ?? y)!);
    }
    if (out.map) {
      out.keys.clear();
      out.optional.clear();
    }
  }
  if (a.items !== undefined || b.items !== undefined) {
    const x = a.items ?? null;
    const y = b.items ?? null;
    out.items = x && y ? merge(x, y) : (x ?? y);
  }
  if (a.variants || b.variants) {
    out.variantsBy = 'type';
    out.variants = new Map(a.variants ?? []);
    for (const [k, v] of b.variants ?? []) out.variants.set(k, out.variants.has(k) ? merge(out.variants.get(k)!, v) : v);
  }
  return out;
}

const ORDER = ['object', 'array', 'string', 'number', 'boolean', 'null'];
const typeText = (types: Set<string>) => [...types].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y)).join('|');

function serialize(n: Node): Shape {
  const type = typeText(n.types);
  if (!n.types.has('object') && !n.types.has('array')) return type;
  const out: ShapeNode = { type };
  if (n.types.has('object')) {
    out.keys = Object.fromEntries([...(n.keys ?? [])].map(([k, v]) => [k, serialize(v)]));
    if (n.optional?.size) out.optional_keys = Object.fromEntries([...n.optional].map(([k, v]) => [k, serialize(v)]));
    if (n.map) out.map = true;
  }
  if (n.types.has('array')) out.items = n.items ? serialize(n.items) : null;
  if (n.variants) {
    out.variants_by = n.variantsBy;
    out.variants = Object.fromEntries([...n.variants].map(([k, v]) => [k, serialize(v)]));
  }
  return out;
}

/** The shape of one recorded response body. */
export const deriveShape = (body: unknown): Shape => serialize(deriveNode(body));

const join = (p: string, k: string) => (p ? `${p}.${k}` : k);
const typesOf = (s: Shape) => new Set((typeof s === 'string' ? s : s.type).split('|'));

/**
 * Every way `actual` falls short of `golden`: a missing key, a value of another JSON type, a null
 * where the recording never had one, or an array left empty so its elements could not be checked.
 * Extra keys in `actual` are fine.
 */
export function checkShape(golden: Shape, actual: unknown, path = ''): Problem[] {
  const problems = new Map<string, Problem>();
  const add = (p: string, message: string) => problems.set(`${p} ${message}`, { path: p, message });
  // An empty array is only a problem if no array at the same path had elements to check.
  const emptyAt = new Set<string>();
  const filledAt = new Set<string>();
  const walk = (g: Shape, v: unknown, p: string) => {
    const allowed = typesOf(g);
    if (allowed.size === 1 && allowed.has('null')) return; // only null was recorded: any value will do
    const t = jsonType(v);
    if (!allowed.has(t)) {
      add(p, t === 'null' ? `is null; the recording has ${typeText(allowed)}` : `is ${t}; the recording has ${typeText(allowed)}`);
      return;
    }
    if (typeof g === 'string') return;
    if (t === 'object') {
      const obj = v as Record<string, unknown>;
      if (g.map) return;
      for (const [k, sub] of Object.entries(g.keys ?? {})) {
        if (!(k in obj)) add(join(p, k), 'is missing');
        else walk(sub, obj[k], join(p, k));
      }
      for (const [k, sub] of Object.entries(g.optional_keys ?? {})) if (k in obj) walk(sub, obj[k], join(p, k));
    }
    if (t === 'array' && g.items) {
      const list = v as unknown[];
      (list.length ? filledAt : emptyAt).add(`${p}[]`);
      for (const el of list) {
        const tag = g.variants_by && el && typeof el === 'object' ? (el as Record<string, unknown>)[g.variants_by] : undefined;
        const variant = typeof tag === 'string' ? g.variants?.[tag] : undefined;
        walk(variant ?? g.items, el, `${p}[]`);
      }
    }
  };
  walk(golden, actual, path);
  for (const p of emptyAt) if (!filledAt.has(p)) add(p, 'is always an empty array, so the recorded element shape went unchecked');
  return [...problems.values()];
}

/**
 * Checks a response against its golden file. Returns the problems that no exception covers, and
 * the exceptions and known gaps that no longer match anything (they must be removed).
 */
export function compareToGolden(file: GoldenFile, actual: unknown) {
  const all = checkShape(file.shape, actual);
  const excuses = [...file.sundial_exceptions, ...file.known_gaps];
  const covers = (e: Excuse, p: Problem) => e.path === p.path && (e.problem === undefined || e.problem === p.message);
  return {
    problems: all.filter((p) => !excuses.some((e) => covers(e, p))),
    stale: excuses.filter((e) => !all.some((p) => covers(e, p))).map((e) => `${e.path}${e.problem ? ` ${e.problem}` : ''}`),
  };
}
