/**
 * A tiny round-robin HTTP balancer for the several-nodes benchmark (bench/nodes.ts), in node:http so it
 * runs anywhere Node does; production would use nginx or a cloud balancer (see README "Several nodes").
 *
 *   npx tsx bench/balancer.ts [--port 0] http://127.0.0.1:3001 http://127.0.0.1:3002 …
 *
 * - Round robin per request; each upstream has a keep-alive agent, so connections are reused as nginx's
 *   `keepalive` does (without it every request would pay a TCP handshake to the node).
 * - Bodies are streamed both ways (pipe): uploads and server-sent events pass through unbuffered, and
 *   long-lived responses get no timeout.
 * - X-Forwarded-For / -Proto / -Host are set, so nodes with TRUST_PROXY=true see the client's address
 *   (per-IP rate limits and audit logs depend on it).
 * - An upstream that refuses the connection is skipped for 2 s; a request without a body (GET, HEAD) goes
 *   to the next one at once, others get a 502 (their body is streamed, not kept for a second try).
 *
 * Prints "listening <url>" once it accepts connections.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

interface Upstream {
  url: URL;
  agent: Agent;
  downUntil: number;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export function startBalancer(targets: string[], port = 0, host = '127.0.0.1'): Promise<{ url: string; close: () => Promise<void> }> {
  if (!targets.length) throw new Error('The balancer needs at least one upstream URL');
  const upstreams: Upstream[] = targets.map((t) => ({ url: new URL(t), agent: new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }), downUntil: 0 }));
  let next = 0;
  const pick = (): Upstream => {
    const now = Date.now();
    for (let i = 0; i < upstreams.length; i++) {
      const u = upstreams[next++ % upstreams.length];
      if (u.downUntil <= now) return u;
    }
    return upstreams[next++ % upstreams.length]; // all marked down: try anyway rather than refuse
  };

  const forward = (req: IncomingMessage, res: ServerResponse, tries: number) => {
    const upstream = pick();
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${client}` : client;
    headers['x-forwarded-proto'] = 'http';
    headers['x-forwarded-host'] = req.headers.host ?? '';
    const out = request({ host: upstream.url.hostname, port: upstream.url.port, method: req.method, path: req.url, headers, agent: upstream.agent }, (up) => {
      const resHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(up.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) resHeaders[name] = value;
      res.writeHead(up.statusCode ?? 502, up.statusMessage, resHeaders);
      // Event streams: send each chunk as it comes (no Nagle delay on the client socket).
      if (String(up.headers['content-type'] ?? '').startsWith('text/event-stream')) res.socket?.setNoDelay(true);
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    out.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') upstream.downUntil = Date.now() + 2000;
      if (e.code === 'ECONNREFUSED' && !hasBody && tries + 1 < upstreams.length) return forward(req, res, tries + 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'BadGateway', description: `upstream ${upstream.url.host}: ${e.code ?? e.message}` }));
      else res.destroy();
    });
    // The client went away (an SSE reader closing its stream): end the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    if (hasBody) req.pipe(out);
    else out.end();
  };

  const server = createServer((req, res) => forward(req, res, 0));
  // Long-lived responses (SSE) must not be cut by the server's request timeout; keep-alive idles as nginx's default 75 s.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 75_000;
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
            upstreams.forEach((u) => u.agent.destroy());
          }),
      });
    });
  });
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/balancer.ts')) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string', default: '0' } } });
  const balancer = await startBalancer(positionals, Number(values.port));
  console.log(`listening ${balancer.url}`);
  const stop = () => void balancer.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
