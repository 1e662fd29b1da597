import { sql, type CompiledQuery, type Compilable, type RawBuilder } from 'kysely';
import type { Executor } from './db.js';

/** Stands for a value while the statement is built; replaced by the run's value of `key`. */
class Slot {
  constructor(readonly key: string) {}

  // A build that computes with a value (`${p.a}…`, p.a + 1) would bake the stand-in into the statement.
  [Symbol.toPrimitive](): never {
    throw new Error(`compiledOnce: ${this.key} is used in a computation while the statement is built; pass the computed value instead`);
  }
}

/**
 * A statement of fixed shape, built and compiled by Kysely once per process instead of on every run
 * (issue 10: a ticket write sends a dozen statements, and building and compiling them was a tenth of
 * Sundial's CPU per request). `build` receives stand-ins for the values: it must not branch on them or
 * transform them, only place them where the statement takes a value. Each run binds the real values.
 */
export function compiledOnce<P extends Record<string, unknown>, O>(build: (db: Executor, values: P) => Compilable<O> | RawBuilder<O>) {
  let compiled: CompiledQuery<O> | undefined;
  return async (db: Executor, values: P): Promise<O[]> => {
    if (!compiled) {
      const standIns = new Proxy({}, { get: (_, key) => new Slot(String(key)) }) as P;
      const built = build(db, standIns);
      compiled = 'isRawBuilder' in built ? built.compile(db) : built.compile();
    }
    const parameters = compiled.parameters.map((p) => {
      if (!(p instanceof Slot)) return p;
      const value = values[p.key];
      if (value === undefined) throw new Error(`compiledOnce: no value for ${p.key}`);
      return value;
    });
    const { rows } = await db.executeQuery<O>({ ...compiled, parameters });
    return rows;
  };
}

/**
 * A read by ids, compiled once in two forms: one id as `= $1` (PostgreSQL then keeps one plan for it),
 * several as `= any($1::bigint[])` (one statement text for any number; planned each time, as a generic
 * plan cannot know the array's length). `build` puts `ids` where the read takes them.
 */
export function compiledByIds<O>(build: (db: Executor, ids: number | RawBuilder<number>) => Compilable<O>) {
  const one = compiledOnce((db, p: { id: number }) => build(db, p.id));
  const many = compiledOnce((db, p: { ids: number[] }) => build(db, sql<number>`any(${p.ids}::bigint[])`));
  return (db: Executor, ids: number[]): Promise<O[]> => (ids.length === 1 ? one(db, { id: ids[0] }) : many(db, { ids }));
}
