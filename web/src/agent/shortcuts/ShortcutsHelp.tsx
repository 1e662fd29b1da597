import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';

const SHORTCUTS: [string, string][] = [
  ['j', 'Next ticket in the list'],
  ['k', 'Previous ticket in the list'],
  ['Enter', 'Open the highlighted ticket'],
  ['x', 'Select or unselect the highlighted ticket'],
  ['r', 'Write a public reply'],
  ['n', 'Write an internal note'],
  ['u', 'Back to the view'],
  ['?', 'Show this help'],
];

/** The keyboard reference, opened with "?" from anywhere in the workspace. */
export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" centered>
      <Stack gap="xs">
        {SHORTCUTS.map(([key, what]) => (
          <Group key={key} justify="space-between" wrap="nowrap">
            <Text size="sm">{what}</Text>
            <Kbd>{key}</Kbd>
          </Group>
        ))}
        <Text size="xs" c="dimmed" mt="sm">
          Shortcuts are off while you type in a field. Press Esc to leave the field first.
        </Text>
      </Stack>
    </Modal>
  );
}
