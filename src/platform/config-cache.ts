import type { Executor } from './db.js';
import { requestContext } from './request-context.js';

/** Versions kept at once: the current one, and recent ones still used by requests that started before a change. */
const VERSIONS_KEPT = 4;
const byVersion = new Map<string, Map<string, unknown>>();

/** Called by authentication with the version its statement read, for the rest of the request. */
export function noteConfigVersion(version: string | undefined): void {
  const context = requestContext.getStore();
  if (context && version) context.configVersion = version;
}

async function currentVersion(db: Executor): Promise<string> {
  const known = requestContext.getStore()?.configVersion;
  if (known) return known;
  const row = await db.selectFrom('config_version').select('version').executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Configuration (forms, SLA targets, holidays, triggers, groups, settings) as of the version this request
 * authenticated with, loaded once per node per version (migration 0028 explains the version). Loading
 * happens after the version was read, so a copy is never older than its version; a change committed
 * meanwhile has a newer version and the next request loads again. Without a request (jobs, commands)
 * one statement reads the version. Values are frozen: every caller shares them.
 *
 * Only for use cases that do not change configuration themselves: inside a transaction that changed a
 * form, the request's version is still the one before, so its cached copy lacks that change. Admin
 * services read the tables directly.
 */
export async function cachedConfig<T>(db: Executor, name: string, load: (db: Executor) => Promise<T>): Promise<T> {
  const version = await currentVersion(db);
  let entries = byVersion.get(version);
  if (entries?.has(name)) return entries.get(name) as T;
  // Each caller that misses loads on its own executor: sharing a pending load would tie a request to
  // another request's transaction and its failure.
  const value = deepFreeze(await load(db));
  entries = byVersion.get(version);
  if (!entries) {
    entries = new Map();
    byVersion.set(version, entries);
    if (byVersion.size > VERSIONS_KEPT) byVersion.delete(byVersion.keys().next().value!);
  }
  entries.set(name, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of value instanceof Map ? value.values() : Object.values(value)) deepFreeze(v);
  }
  return value;
}
