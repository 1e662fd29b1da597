import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  method: string;
  /** The body exactly as received (signatures are computed over these bytes). */
  raw: string;
}

/** A real HTTP server on 127.0.0.1 that records every POST, as a chat or PagerDuty endpoint would. */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  /** Status to answer with; set to 500 to make deliveries fail and retry. */
  status = 200;
  /** Every request, answered with any status. */
  hits = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // recorded as text
        }
        this.hits++;
        if (this.status < 300) this.received.push({ path: req.url ?? '/', headers: req.headers, body, method: req.method ?? 'GET', raw: text });
        res.writeHead(this.status, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  on(path: string): ReceivedHook[] {
    return this.received.filter((r) => r.path === path);
  }

  async waitFor(predicate: (hooks: ReceivedHook[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((r) => [r.path, r.body]))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
