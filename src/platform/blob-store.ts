import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from './errors.js';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** Where attachment bytes live. Files under DATA_DIR today; an S3-compatible store fits the same shape. */
export interface BlobStore {
  put(source: Readable, maxBytes: number): Promise<StoredBlob>;
  get(key: string): Readable;
  delete(key: string): Promise<void>;
}

export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    // Keys are generated here (uuid), never taken from a client, so they cannot traverse paths.
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    const key = randomUUID().replace(/-/g, '');
    const path = this.path(key);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new AppError('PayloadTooLarge', `The file is larger than the ${Math.floor(maxBytes / 1048576)} MB limit`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await mkdir(dirname(path), { recursive: true });
      await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    } catch (e) {
      // No half-written file stays behind, whatever failed.
      await rm(path, { force: true }).catch(() => undefined);
      throw storageError(e);
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  get(key: string): Readable {
    return createReadStream(this.path(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR', 'EIO', 'EMFILE', 'ENFILE']);

/** A full or unwritable store is the operator's problem, told clearly (507 / 503), not a bare 500. */
function storageError(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && FULL.has(code)) return new AppError('InsufficientStorage', `The attachment store is full (${code}); the file was not saved. Try again later or ask an administrator to free space.`);
  if (code && UNWRITABLE.has(code)) {
    return new AppError('ServiceUnavailable', `The attachment store cannot be written (${code}); the file was not saved. Ask an administrator to check the storage.`, undefined, { 'Retry-After': '60' });
  }
  return e;
}
