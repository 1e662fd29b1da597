import { CloseButton, Group, Input, Paper, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useId } from 'react';
import { MAX_FILE_BYTES, formatSize, type Uploads } from './useUploads';

/** Drag-and-drop (or click / Enter to browse) attachments with per-file progress and errors. */
export function AttachmentDropzone({ uploads, label = 'Attachments', error, compact = false }: { uploads: Uploads; label?: string; error?: string; compact?: boolean }) {
  const labelId = useId();
  const hintId = useId();
  return (
    <Stack gap={6}>
      <Input.Label id={labelId} component="span">{label}</Input.Label>
      <Dropzone
        onDrop={uploads.add}
        onReject={uploads.reject}
        maxSize={MAX_FILE_BYTES}
        multiple
        aria-labelledby={labelId}
        aria-describedby={hintId}
        inputProps={{ 'aria-label': label }}
        p={compact ? 'sm' : 'lg'}
      >
        <Stack gap={2} align="center" style={{ pointerEvents: 'none' }}>
          <Dropzone.Accept><Text fw={500}>Drop the files to attach them</Text></Dropzone.Accept>
          <Dropzone.Reject><Text fw={500} c="red">Some files cannot be attached</Text></Dropzone.Reject>
          <Dropzone.Idle><Text fw={500} ta="center">Drag files here, or click to choose</Text></Dropzone.Idle>
          <Text id={hintId} size="xs" c="dimmed" ta="center">
            Logs, screenshots, configuration or a support packet; up to {formatSize(MAX_FILE_BYTES)} per file.
          </Text>
        </Stack>
      </Dropzone>
      {uploads.items.length > 0 && (
        <Stack gap={6} aria-live="polite">
          {uploads.items.map((item) => (
            <Paper key={item.key} withBorder p="xs" radius="sm">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Text size="sm" truncate fw={500}>{item.name}</Text>
                  <Text size="xs" c={item.status === 'failed' ? 'red' : 'dimmed'} role={item.status === 'failed' ? 'alert' : undefined}>
                    {item.status === 'failed' ? item.error : item.status === 'done' ? `${formatSize(item.size)} · Uploaded` : `${formatSize(item.size)} · Uploading ${Math.round(item.progress * 100)}%`}
                  </Text>
                </div>
                <CloseButton aria-label={`Remove ${item.name}`} onClick={() => uploads.remove(item.key)} />
              </Group>
              {item.status === 'uploading' && <Progress value={item.progress * 100} size="xs" mt={4} aria-label={`Upload progress of ${item.name}`} />}
            </Paper>
          ))}
        </Stack>
      )}
      {error && <Input.Error role="alert">{error}</Input.Error>}
    </Stack>
  );
}
