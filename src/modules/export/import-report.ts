import { writeFile } from 'node:fs/promises';

export type ImportKind = 'organization' | 'group' | 'group_membership' | 'user' | 'ticket' | 'comment' | 'attachment' | 'satisfaction_rating' | 'file';

/**
 * One thing the import could not bring in as it was: `skipped` records are not in Sundial (a ticket
 * whose requester is missing, a comment whose author is missing); `adjusted` ones are, changed as the
 * reason says (an unknown group dropped, an email made up).
 */
export interface ImportProblem {
  kind: ImportKind;
  id: number | null;
  where: string;
  outcome: 'skipped' | 'adjusted';
  reason: string;
}

export interface KindCounts {
  /** Inserted by this run. */
  created: number;
  /** Mapped to an existing record with the same email or name. */
  matched: number;
  /** Imported by an earlier run (or superseded by a newer copy in the same export). */
  unchanged: number;
  /** Not imported: see the problems. */
  skipped: number;
}

const zero = (): KindCounts => ({ created: 0, matched: 0, unchanged: 0, skipped: 0 });
/** Problems kept in memory and in the report; beyond this only their number is. */
const KEEP = 100_000;

export class ImportReport {
  readonly startedAt = new Date();
  readonly counts: Record<ImportKind, KindCounts> = {
    organization: zero(), group: zero(), group_membership: zero(), user: zero(), ticket: zero(), comment: zero(), attachment: zero(), satisfaction_rating: zero(), file: zero(),
  };
  readonly problems: ImportProblem[] = [];
  problemCount = 0;
  notes: string[] = [];

  problem(p: ImportProblem) {
    this.problemCount++;
    if (this.problems.length < KEEP) this.problems.push(p);
    if (p.outcome === 'skipped') this.counts[p.kind].skipped++;
  }

  skip(kind: ImportKind, id: number | null, where: string, reason: string) {
    this.problem({ kind, id, where, outcome: 'skipped', reason });
  }

  adjust(kind: ImportKind, id: number | null, where: string, reason: string) {
    this.problem({ kind, id, where, outcome: 'adjusted', reason });
  }

  toJSON() {
    return {
      source: 'zendesk',
      started_at: this.startedAt.toISOString(),
      finished_at: new Date().toISOString(),
      counts: this.counts,
      notes: this.notes,
      problem_count: this.problemCount,
      problems: this.problems,
    };
  }

  async write(path: string) {
    await writeFile(path, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }

  /** A few lines for the terminal: counts per kind, then problems grouped by reason. */
  summary(reportPath: string): string {
    const lines = ['Import finished:'];
    for (const [kind, c] of Object.entries(this.counts)) {
      if (kind === 'file' || c.created + c.matched + c.unchanged + c.skipped === 0) continue;
      lines.push(`  ${kind.padEnd(20)} ${c.created} created, ${c.matched} matched, ${c.unchanged} already there, ${c.skipped} not imported`);
    }
    lines.push(...this.notes.map((n) => `  ${n}`));
    if (this.problemCount) {
      const groups = new Map<string, number>();
      for (const p of this.problems) {
        const key = `${p.outcome === 'skipped' ? 'not imported' : 'adjusted'}: ${p.kind}: ${p.reason.replace(/\d+/g, 'N')}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
      lines.push(`${this.problemCount} problems (details in ${reportPath}):`);
      for (const [key, n] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`  ${String(n).padStart(6)} × ${key}`);
    } else lines.push(`No problems (report in ${reportPath}).`);
    return lines.join('\n');
  }
}

/** A one-line text progress bar, redrawn at most every 200 ms (always on the last step). */
export function progressBar(write: (s: string) => void) {
  let last = 0;
  let open = false;
  return {
    update(phase: string, done: number, total: number) {
      const now = Date.now();
      if (done < total && now - last < 200) return;
      last = now;
      const share = total ? Math.min(1, done / total) : 1;
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '-');
      write(`\r[${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${phase} ${done}/${total}   `);
      open = true;
    },
    end() {
      if (open) write('\n');
      open = false;
    },
  };
}
