/** How long a count is served as fresh: the workspace polls every minute, so at most one count in four. */
export const FRESH_MS = 15_000;
/** Past this a count is too old to show even marked stale: the request waits for a new one. */
export const STALE_MS = 5 * 60_000;

export interface ViewCount {
  value: number;
  /** False when the value is older than FRESH_MS and a new count is on its way (Zendesk's `fresh`). */
  fresh: boolean;
}

interface Entry {
  value: number;
  at: number;
  counting?: Promise<number>;
}

/**
 * Counts of views that are the same for every agent, kept per node. Counting a view at 1M tickets reads
 * tens of thousands of index entries, and every agent's workspace asks for every view once a minute, so
 * the desk counted the same numbers once per agent. Here a count younger than FRESH_MS is answered from
 * memory; an older one is answered at once marked `fresh: false` while one recount runs behind it, as
 * Zendesk does; concurrent askers share one count. Views that depend on the agent are not kept here.
 */
export class SharedViewCounts {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly onError: (e: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The view's count; `count` counts it afresh, as any agent (they all see the same tickets). */
  async get(viewId: number, count: () => Promise<number>): Promise<ViewCount> {
    const entry = this.entries.get(viewId);
    const age = entry ? this.now() - entry.at : Infinity;
    if (entry && age <= FRESH_MS) return { value: entry.value, fresh: true };
    if (entry && age <= STALE_MS) {
      // The stale value now; a failed recount leaves it for the next asker to retry.
      this.recount(viewId, count).catch(this.onError);
      return { value: entry.value, fresh: false };
    }
    return { value: await this.recount(viewId, count), fresh: true };
  }

  private recount(viewId: number, count: () => Promise<number>): Promise<number> {
    const entry = this.entries.get(viewId);
    if (entry?.counting) return entry.counting;
    const started = this.now();
    const counting = count().then(
      (value) => {
        this.entries.set(viewId, { value, at: started });
        return value;
      },
      (e: unknown) => {
        const current = this.entries.get(viewId);
        if (current) delete current.counting;
        throw e;
      },
    );
    if (entry) entry.counting = counting;
    else this.entries.set(viewId, { value: 0, at: -Infinity, counting });
    return counting;
  }
}
