import { useQuery } from '@tanstack/react-query';
import { del, post, put } from '../../api/client';
import { fetchAll } from '../../admin/api';
import { useAdminMutation } from '../../admin/hooks';
import type { Article, HelpCategory, HelpSection } from '../api';

/*
 * Categories and sections through the Help Center API (admins write them). Every list is walked to its
 * end, so counts stay right past one page. Keys live under ['hc'] so the reader pages and the article
 * editor's section picker refresh after each change here, and article writes refresh this page.
 */

const HC = '/api/v2/help_center';
const key = ['hc', 'manage'] as const;

export type Kind = 'category' | 'section';
/** The fields a category or section form sends; `category_id` moves a section. */
export interface NodeFields {
  name: string;
  description: string;
  position?: number;
  category_id?: number;
}

export interface Structure {
  categories: HelpCategory[];
  sections: HelpSection[];
  articles: Article[];
}

export function useStructure() {
  return useQuery({
    queryKey: [...key, 'all'],
    queryFn: async (): Promise<Structure> => {
      const [categories, sections, articles] = await Promise.all([
        fetchAll<HelpCategory>(`${HC}/categories`, 'categories'),
        fetchAll<HelpSection>(`${HC}/sections`, 'sections'),
        fetchAll<Article>(`${HC}/articles`, 'articles'),
      ]);
      return { categories, sections, articles };
    },
  });
}

/** Creates (no `id`) or updates a category or a section; field errors are left to the form. */
export function useSaveNode(kind: Kind, o: { id?: number; categoryId?: number; onSuccess: () => void }) {
  return useAdminMutation({
    mutationFn: (fields: NodeFields) => {
      const body = { [kind]: fields };
      if (o.id) return put<Record<Kind, HelpCategory>>(`${HC}/${kind === 'category' ? 'categories' : 'sections'}/${o.id}`, body);
      const path = kind === 'category' ? `${HC}/categories` : `${HC}/categories/${o.categoryId}/sections`;
      return post<Record<Kind, HelpCategory>>(path, body);
    },
    invalidate: [['hc']],
    success: (d) => `${d[kind].name} was ${o.id ? 'saved' : 'created'}`,
    notifyError: false,
    onSuccess: o.onSuccess,
  });
}

/** What a delete confirmation is about: the node, and what goes with it. */
export interface DeleteTarget {
  kind: Kind;
  node: HelpCategory;
  sections: number;
  articles: number;
}

export function useDeleteNode(onSuccess: () => void) {
  return useAdminMutation({
    mutationFn: (t: DeleteTarget) => del(`${HC}/${t.kind === 'category' ? 'categories' : 'sections'}/${t.node.id}`),
    invalidate: [['hc']],
    success: (_d, t) => `${t.node.name} was deleted`,
    notifyError: false,
    onSuccess,
  });
}

/**
 * Moves one of `siblings` (in shown order) by `delta` places. Positions may tie (the API defaults them
 * to 0, ties going by id), so the siblings are renumbered 0…n-1 and only the changed ones are sent.
 */
export function useMove() {
  return useAdminMutation({
    mutationFn: async ({ kind, siblings, index, delta }: { kind: Kind; siblings: HelpCategory[]; index: number; delta: -1 | 1 }) => {
      const order = [...siblings];
      const [moved] = order.splice(index, 1);
      order.splice(index + delta, 0, moved);
      const path = kind === 'category' ? 'categories' : 'sections';
      await Promise.all(order.map((n, position) => (n.position === position ? null : put(`${HC}/${path}/${n.id}`, { [kind]: { position } }))));
      return moved;
    },
    invalidate: [['hc']],
    success: (moved, v) => `${moved.name} moved ${v.delta < 0 ? 'up' : 'down'}`,
  });
}
