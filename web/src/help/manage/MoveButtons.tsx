import { ActionIcon, Group } from '@mantine/core';

/** Up and down arrows for one entry of an ordered list, named for the entry; an end's arrow is disabled. */
export function MoveButtons({ name, index, count, disabled, onMove }: { name: string; index: number; count: number; disabled: boolean; onMove: (delta: -1 | 1) => void }) {
  return (
    <Group gap={2} wrap="nowrap">
      <ActionIcon size="sm" variant="subtle" color="gray" disabled={disabled || index === 0} onClick={() => onMove(-1)} aria-label={`Move ${name} up`}>
        ↑
      </ActionIcon>
      <ActionIcon size="sm" variant="subtle" color="gray" disabled={disabled || index === count - 1} onClick={() => onMove(1)} aria-label={`Move ${name} down`}>
        ↓
      </ActionIcon>
    </Group>
  );
}
