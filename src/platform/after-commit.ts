import { Kysely, type Transaction, type TransactionBuilder } from 'kysely';

/** Work that may only happen once a transaction has committed; it gets the root handle and handles its own failures. */
export type AfterCommit<DB> = (db: Kysely<DB>) => Promise<void>;

const deferredBy = new WeakMap<object, AfterCommit<any>[]>();

/**
 * A Kysely whose transactions can hold work until they commit, and that waits for that work when it is
 * destroyed. Nothing runs after a rollback.
 */
export class DeferringKysely<DB> extends Kysely<DB> {
  private readonly running = new Set<Promise<void>>();

  override transaction(): TransactionBuilder<DB> {
    return new DeferringTransactionBuilder(this, super.transaction()) as unknown as TransactionBuilder<DB>;
  }

  /** Starts `work` now (the caller's writes are committed), tracked so destroy() lets it finish. */
  run(work: AfterCommit<DB>): void {
    const done = work(this).catch((e: unknown) => process.emitWarning(`after-commit work failed: ${String(e)}`));
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  override async destroy(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
    await super.destroy();
  }
}

class DeferringTransactionBuilder<DB> {
  constructor(
    private readonly root: DeferringKysely<DB>,
    private readonly inner: TransactionBuilder<DB>,
  ) {}

  setAccessMode(mode: Parameters<TransactionBuilder<DB>['setAccessMode']>[0]) {
    return new DeferringTransactionBuilder(this.root, this.inner.setAccessMode(mode));
  }

  setIsolationLevel(level: Parameters<TransactionBuilder<DB>['setIsolationLevel']>[0]) {
    return new DeferringTransactionBuilder(this.root, this.inner.setIsolationLevel(level));
  }

  async execute<T>(callback: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
    const deferred: AfterCommit<DB>[] = [];
    const result = await this.inner.execute((tx) => {
      deferredBy.set(tx, deferred);
      return callback(tx);
    });
    for (const work of deferred) this.root.run(work);
    return result;
  }
}

/**
 * Holds `work` until `executor`'s transaction commits, or runs it now when `executor` is the root handle
 * (its statements commit as they run). False when `executor` is a transaction this module did not open
 * (a controlled transaction, one from a derived handle): the caller must do the work inside it instead.
 */
export function afterCommit<DB>(executor: Kysely<DB>, work: AfterCommit<DB>): boolean {
  if (!executor.isTransaction) {
    if (!(executor instanceof DeferringKysely)) return false;
    executor.run(work);
    return true;
  }
  const deferred = deferredBy.get(executor);
  if (!deferred) return false;
  deferred.push(work);
  return true;
}
