import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { DeleteButton, EditButton } from '../../admin/ui';
import type { Article, HelpCategory, HelpSection } from '../api';
import { MoveButtons } from './MoveButtons';
import type { Kind } from './structure-api';

/** What the card asks its page to do; the page owns the modals and the writes. */
export interface CardActions {
  /** Whether the signed-in user may change the structure (admins). */
  canManage: boolean;
  moving: boolean;
  move: (kind: Kind, siblings: HelpCategory[], index: number, delta: -1 | 1) => void;
  edit: (kind: Kind, node: HelpCategory) => void;
  remove: (kind: Kind, node: HelpCategory) => void;
  addSection: (category: HelpCategory) => void;
}

export const articleCount = (n: number) => `${n} article${n === 1 ? '' : 's'}`;

/** One category: its place among the categories, then its sections in order with their article counts. */
export function CategoryCard({ category, index, categories, sections, articles, actions }: {
  category: HelpCategory;
  index: number;
  categories: HelpCategory[];
  sections: HelpSection[];
  articles: Article[];
  actions: CardActions;
}) {
  const count = (s: HelpSection) => articles.filter((a) => a.section_id === s.id);
  const { canManage } = actions;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`hc-category-${category.id}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2} size="h4" id={`hc-category-${category.id}`}>
            {category.name}
          </Title>
          <Text size="sm" c="dimmed">
            {category.description || 'No description'}
          </Text>
        </div>
        {canManage && (
          <Group gap="xs" wrap="nowrap">
            <MoveButtons name={category.name} index={index} count={categories.length} disabled={actions.moving} onMove={(d) => actions.move('category', categories, index, d)} />
            <Button size="xs" variant="light" onClick={() => actions.addSection(category)} aria-label={`New section in ${category.name}`}>
              New section
            </Button>
            <EditButton name={category.name} onClick={() => actions.edit('category', category)} />
            <DeleteButton name={category.name} onClick={() => actions.remove('category', category)} />
          </Group>
        )}
      </Group>
      {sections.length === 0 ? (
        <Text size="sm" c="dimmed" mt="sm">
          No sections yet. Readers see a category once one of its sections holds an article they may read.
        </Text>
      ) : (
        <Table mt="sm" highlightOnHover verticalSpacing="xs" aria-label={`Sections in ${category.name}`}>
          <Table.Tbody>
            {sections.map((s, i) => {
              const inside = count(s);
              const published = inside.filter((a) => !a.draft).length;
              return (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text fw={500}>{s.name}</Text>
                      {s.description && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {s.description}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td w={190}>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm">{articleCount(inside.length)}</Text>
                      {inside.length > published && (
                        <Badge size="xs" variant="light" color="gray">
                          {inside.length - published} draft
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td w={canManage ? 330 : 130}>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Anchor component={Link} to={`/agent/help/articles/new?section=${s.id}`} size="sm" aria-label={`New article in ${s.name}`}>
                        New article
                      </Anchor>
                      {canManage && (
                        <>
                          <MoveButtons name={s.name} index={i} count={sections.length} disabled={actions.moving} onMove={(d) => actions.move('section', sections, i, d)} />
                          <EditButton name={s.name} onClick={() => actions.edit('section', s)} />
                          <DeleteButton name={s.name} onClick={() => actions.remove('section', s)} />
                        </>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
