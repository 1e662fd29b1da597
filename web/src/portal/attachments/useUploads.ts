import type { FileRejection } from '@mantine/dropzone';
import { useCallback, useRef, useState } from 'react';
import { ApiError, uploadFile } from '../../api/client';

/** The server's default MAX_UPLOAD_BYTES (README): checked here so a too-big file never starts uploading. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  token?: string;
  error?: string;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

const tooBig = (name: string, size: number) =>
  `${name} is ${formatSize(size)}; files can be at most ${formatSize(MAX_FILE_BYTES)}. Compress logs (tar -czf) or split them into 20 MB parts.`;

/**
 * Files the customer attaches: each uploads as soon as it is added (with its own progress), and the
 * request is sent with the tokens of the finished ones.
 */
export function useUploads() {
  const [items, setItems] = useState<UploadItem[]>([]);
  const nextKey = useRef(1);

  const update = useCallback((key: number, patch: Partial<UploadItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i))), []);

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const key = nextKey.current++;
        if (file.size > MAX_FILE_BYTES) {
          setItems((list) => [...list, { key, name: file.name, size: file.size, progress: 0, status: 'failed', error: tooBig(file.name, file.size) }]);
          continue;
        }
        setItems((list) => [...list, { key, name: file.name, size: file.size, progress: 0, status: 'uploading' }]);
        uploadFile(file, (fraction) => update(key, { progress: fraction }))
          .then((r) => update(key, { status: 'done', progress: 1, token: r.token }))
          .catch((e) => update(key, { status: 'failed', error: e instanceof ApiError ? e.message : 'The upload failed.' }));
      }
    },
    [update],
  );

  /** Files the drop zone turned away (too big, or a folder) are listed with the reason. */
  const reject = useCallback((rejections: FileRejection[]) => {
    setItems((list) => [
      ...list,
      ...rejections.map((r) => ({
        key: nextKey.current++,
        name: r.file.name,
        size: r.file.size,
        progress: 0,
        status: 'failed' as const,
        error: r.errors.some((e) => e.code === 'file-too-large') ? tooBig(r.file.name, r.file.size) : (r.errors[0]?.message ?? 'This file cannot be attached.'),
      })),
    ]);
  }, []);

  const remove = useCallback((key: number) => setItems((list) => list.filter((i) => i.key !== key)), []);
  const reset = useCallback(() => setItems([]), []);

  return {
    items,
    add,
    reject,
    remove,
    reset,
    tokens: items.filter((i) => i.status === 'done' && i.token).map((i) => i.token!),
    busy: items.some((i) => i.status === 'uploading'),
  };
}

export type Uploads = ReturnType<typeof useUploads>;
