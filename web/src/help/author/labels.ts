import type { Article, Visibility } from '../api';

export const VISIBILITY_LABEL: Record<Visibility, string> = {
  public: 'Everyone',
  signed_in: 'Signed-in users',
  organizations: 'Specific organizations',
  plans: 'Support plans',
  agents_only: 'Agents only (internal)',
};

/** Where an article stands, for badges: never published, published with pending edits, or live. */
export function articleState(a: Article): { label: string; color: string } {
  if (a.draft) return { label: 'Draft', color: 'gray' };
  if (a.unpublished_changes) return { label: 'Unpublished changes', color: 'yellow' };
  return { label: 'Published', color: 'green' };
}
