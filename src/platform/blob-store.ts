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
    await mkdir(dirname(path), { recursive: true });
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
      await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    } catch (e) {
      await rm(path, { force: true });
      throw e;
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
