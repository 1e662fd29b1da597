import { Anchor, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState } from '../../ui/PageState';
import type { Attachment } from '../api/types';
import { fileSize } from '../format';

const PREVIEW_BYTES = 200 * 1024;

/** Reads only the start of a log: customers attach files of many megabytes. */
async function readStart(url: string): Promise<{ text: string; truncated: boolean }> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok || !res.body) throw new Error(`The file could not be loaded (HTTP ${res.status}).`);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < PREVIEW_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  const truncated = size >= PREVIEW_BYTES;
  if (truncated) await reader.cancel();
  const bytes = new Uint8Array(Math.min(size, PREVIEW_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, bytes.length - offset), offset);
    offset += Math.min(chunk.length, bytes.length - offset);
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

function TextPreview({ attachment, onClose }: { attachment: Attachment; onClose: () => void }) {
  const content = useQuery({ queryKey: ['agent', 'attachment-text', attachment.id], queryFn: () => readStart(attachment.content_url), staleTime: Infinity });
  return (
    <Modal opened onClose={onClose} title={attachment.file_name} size="xl">
      {content.isPending ? (
        <Loader size="sm" aria-label="Loading file" />
      ) : content.isError ? (
        <ErrorState error={content.error} onRetry={() => void content.refetch()} />
      ) : (
        <Stack gap="xs">
          {content.data.truncated && (
            <Text size="xs" c="dimmed">
              Showing the first 200 kB of {fileSize(attachment.size)}. Download the file for the rest.
            </Text>
          )}
          <pre style={{ maxHeight: '70vh', overflow: 'auto', fontSize: 12, background: 'var(--mantine-color-gray-0)', padding: 8, margin: 0 }}>{content.data.text}</pre>
        </Stack>
      )}
    </Modal>
  );
}

const isImage = (a: Attachment) => /^image\/(png|jpe?g|gif|webp)$/i.test(a.content_type);
const isText = (a: Attachment) => a.content_type.startsWith('text/plain') || /\.(log|txt)$/i.test(a.file_name);

/** A comment's files: images shown inline, logs previewed in a dialog, everything downloadable. */
export function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  const [previewing, setPreviewing] = useState<Attachment | null>(null);
  if (!attachments.length) return null;
  return (
    <Stack gap={6} mt="xs">
      {attachments.map((a) => (
        <Stack key={a.id} gap={4}>
          {/* flex-start: the Stack would otherwise stretch a small image to the full width */}
          {isImage(a) && <img src={a.content_url} alt={a.file_name} style={{ alignSelf: 'flex-start', maxWidth: 480, maxHeight: 360, borderRadius: 4 }} />}
          <Group gap="xs">
            <Anchor href={a.content_url} size="sm" download={a.file_name}>
              {a.file_name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {fileSize(a.size)}
            </Text>
            {isText(a) && (
              <Button size="compact-xs" variant="light" onClick={() => setPreviewing(a)}>
                Preview
              </Button>
            )}
          </Group>
        </Stack>
      ))}
      {previewing && <TextPreview attachment={previewing} onClose={() => setPreviewing(null)} />}
    </Stack>
  );
}
