import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let agent: Actor & { token: string };
beforeAll(async () => {
  env = await startTestApp({}, { listen: true });
  agent = await createAgent(env);
});
afterAll(() => env?.close());

/** `size` bytes of deterministic content, produced in 1 MiB chunks (never held in memory at once). */
function bytes(size: number) {
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 255;
  const hash = createHash('sha256');
  let left = size;
  const parts: Buffer[] = [];
  while (left > 0) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    hash.update(part);
    parts.push(part);
    left -= part.length;
  }
  return { stream: () => Readable.from(parts), sha256: hash.digest('hex') };
}

describe('large attachments over real HTTP', () => {
  it('streams a 50 MB log into storage with its SHA-256, and serves it back as a download', async () => {
    const size = 50 * 1024 * 1024;
    const file = bytes(size);
    const auth = `Basic ${Buffer.from(`${agent.user.email}/token:${agent.token}`).toString('base64')}`;
    const rssBefore = process.memoryUsage().rss;
    const res = await fetch(`${env.url}/api/v2/uploads.json?filename=mattermost-debug.log`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/binary' },
      body: Readable.toWeb(file.stream()) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(201);
    const { upload } = (await res.json()) as { upload: { token: string; attachment: { id: number; size: number; sha256: string; content_url: string } } };
    expect(upload.attachment).toMatchObject({ size, sha256: file.sha256 });
    // The server streamed it: memory did not grow by the file's size.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(size);

    const ticket = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Big log', comment: { body: 'attached', uploads: [upload.token] } } });
    expect(ticket.status).toBe(201);
    const download = await fetch(upload.attachment.content_url.replace(/^http:\/\/[^/]+/, env.url), { headers: { authorization: auth } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="mattermost-debug.log"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const hash = createHash('sha256');
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
    expect(hash.digest('hex')).toBe(file.sha256);
  });

  it('serves HTML uploads as inert bytes, never as a page', async () => {
    const up = await agent.api.upload('evil.html', '<script>alert(1)</script>', 'text/html');
    const t = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'html', comment: { body: 'x', uploads: [up.body.upload.token] } } });
    expect(t.status).toBe(201);
    const res = await agent.api.get(`/api/v2/attachments/${up.body.upload.attachment.id}/content`);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
  });

  it('keeps path traversal out of stored names', async () => {
    const up = await agent.api.upload('../../etc/passwd', 'root:x:0:0');
    expect(up.status).toBe(201);
    expect(up.body.upload.attachment.file_name).toBe('passwd');
  });
});
