import { Text } from '@mantine/core';
import { articleCount } from './CategoryCard';
import type { DeleteTarget } from './structure-api';

/**
 * What deleting takes with it, as the API does it: a category goes with its sections, and a section
 * with its articles (their history, files and feedback too). Nothing is kept to restore.
 */
export function DeleteConsequence({ target }: { target: DeleteTarget }) {
  const { kind, sections, articles } = target;
  if (kind === 'section') {
    return articles ? (
      <Text size="sm">
        Its <strong>{articleCount(articles)}</strong> (with their history, images, files and feedback) are deleted with it; readers following links to them get "not found". This cannot be
        undone; to keep the articles, move them to another section first.
      </Text>
    ) : (
      <Text size="sm">The section is empty. This cannot be undone.</Text>
    );
  }
  return sections || articles ? (
    <Text size="sm">
      Its <strong>{sections === 1 ? '1 section' : `${sections} sections`}</strong> and <strong>{articleCount(articles)}</strong> (with their history, images, files and feedback) are
      deleted with it. This cannot be undone; to keep sections, move them to another category first.
    </Text>
  ) : (
    <Text size="sm">The category is empty. This cannot be undone.</Text>
  );
}
