import { AppError } from '../../platform/errors.js';
import type { PageRequest } from '../../platform/pagination.js';

/**
 * Rules are listed in position order, not id order, and there are few of them: the whole filtered
 * list is sorted in memory and this cuts the page (one row more than asked, as pageEnvelope expects;
 * backwards pages nearest-first). Cursors still carry ids, so they survive reordering.
 */
export function pageOfSorted<T extends { id: number }>(sorted: T[], page: PageRequest): T[] {
  if (page.mode === 'offset') {
    const start = (page.page - 1) * page.perPage;
    return sorted.slice(start, start + page.perPage + 1);
  }
  if (page.beforeId !== undefined && page.afterId === undefined) {
    const at = sorted.findIndex((r) => r.id === page.beforeId);
    if (at < 0) return [];
    return sorted.slice(Math.max(0, at - page.size - 1), at).reverse();
  }
  const start = page.afterId === undefined ? 0 : sorted.findIndex((r) => r.id === page.afterId) + 1;
  if (start === 0 && page.afterId !== undefined) return [];
  return sorted.slice(start, start + page.size + 1);
}

/** Zendesk's `sort_by` for rule lists. */
export type RuleSort = 'alphabetical' | 'created_at' | 'updated_at' | 'position';
type Sortable = { id: number; title: string; position: number; created_at: Date; updated_at: Date };

const SORTERS: Record<RuleSort, (a: Sortable, b: Sortable) => number> = {
  alphabetical: (a, b) => a.title.localeCompare(b.title) || a.id - b.id,
  created_at: (a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id - b.id,
  updated_at: (a, b) => a.updated_at.getTime() - b.updated_at.getTime() || a.id - b.id,
  position: (a, b) => a.position - b.position || a.id - b.id,
};

/** `sort_by` checked: one of the keys above, or undefined for the default (position). */
export function ruleSort(value: unknown): RuleSort | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && value in SORTERS) return value as RuleSort;
  throw new AppError('BadRequest', 'sort_by must be one of alphabetical, created_at, updated_at, position');
}

/** Sorts rules in place as asked (position, then id, by default). */
export function sortRules<T extends Sortable>(rows: T[], sortBy: RuleSort | undefined, desc: boolean | undefined): T[] {
  rows.sort(SORTERS[sortBy ?? 'position']);
  return desc ? rows.reverse() : rows;
}
