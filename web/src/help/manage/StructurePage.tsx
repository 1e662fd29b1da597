import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmModal, PageHeader } from '../../admin/ui';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import type { HelpCategory } from '../api';
import { CategoryCard, type CardActions } from './CategoryCard';
import { DeleteConsequence } from './DeleteConsequence';
import { NodeModal } from './NodeModal';
import { useDeleteNode, useMove, useStructure, type DeleteTarget, type Kind } from './structure-api';

type Editing = { kind: Kind; node?: HelpCategory; categoryId?: number };

const nextPosition = (siblings: HelpCategory[]) => Math.max(-1, ...siblings.map((n) => n.position)) + 1;

/** `/agent/help/structure`: the help center's categories and sections, which admins create, order, edit and delete. */
export function StructurePage() {
  useDocumentTitle('Categories & sections · Help center');
  const canManage = useSession().data?.role === 'admin';
  const structure = useStructure();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const remove = useDeleteNode(() => setDeleting(null));
  const move = useMove();

  if (structure.isPending) return <Loading label="Loading categories and sections…" />;
  if (structure.isError) return <ErrorState error={structure.error} onRetry={() => void structure.refetch()} />;
  const { categories, sections, articles } = structure.data;
  const sectionsOf = (categoryId: number) => sections.filter((s) => s.category_id === categoryId);

  const actions: CardActions = {
    canManage,
    moving: move.isPending,
    move: (kind, siblings, index, delta) => move.mutate({ kind, siblings, index, delta }),
    edit: (kind, node) => setEditing({ kind, node }),
    addSection: (c) => setEditing({ kind: 'section', categoryId: c.id }),
    remove: (kind, node) => {
      const inside = kind === 'category' ? sectionsOf(node.id).map((s) => s.id) : [node.id];
      setDeleting({ kind, node, sections: kind === 'category' ? inside.length : 0, articles: articles.filter((a) => inside.includes(a.section_id)).length });
    },
  };
  const siblingsOf = (e: Editing) => (e.kind === 'category' ? categories : sectionsOf(e.categoryId ?? 0));

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/agent/help" size="sm">
        ← All articles
      </Anchor>
      <PageHeader
        title="Categories & sections"
        description="How the help center is organized. Who can read is set on each article; readers see a section once it holds an article they may read."
        action={canManage && <Button onClick={() => setEditing({ kind: 'category' })}>New category</Button>}
      />
      {!canManage && (
        <Alert color="blue" title="Read only">
          Only administrators change categories and sections. You can still add articles to any section.
        </Alert>
      )}
      {!categories.length && <EmptyState title="No categories yet">Create a category, then sections in it, then articles.</EmptyState>}
      {categories.map((c, i) => (
        <CategoryCard key={c.id} category={c} index={i} categories={categories} sections={sectionsOf(c.id)} articles={articles} actions={actions} />
      ))}
      {editing && (
        <NodeModal
          kind={editing.kind}
          node={editing.node}
          categories={categories}
          categoryId={editing.categoryId}
          nextPosition={nextPosition(siblingsOf(editing))}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal
        target={deleting}
        action={remove}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.node.name ?? ''}?`}
        confirmLabel={deleting?.kind === 'category' ? 'Delete category' : 'Delete section'}
      >
        {deleting && <DeleteConsequence target={deleting} />}
      </ConfirmModal>
    </Stack>
  );
}
