import { lookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Loopback, private, link-local, shared, multicast and reserved ranges: never reached by default. */
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) privateRanges.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateRanges.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (!family) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class OutboundBlocked extends Error {}

/**
 * Resolves like the OS does but refuses private answers. Used as the socket's lookup, so the
 * address checked is the address connected to (no window for DNS rebinding).
 */
function guardedLookup(hostname: string, options: { all?: boolean } & object, callback: (...args: any[]) => void): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || !list.length) return callback(new OutboundBlocked(`${hostname} resolves to ${bad?.address ?? 'nothing'}, a private address`));
    if (options.all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  });
}

/** Why this URL may not be called, or null. Literal IPs are checked here; names at connect time. */
export function outboundUrlProblem(url: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http or https URL';
  if (u.username || u.password) return 'must not contain credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))) {
    return 'points to a loopback or private address (set WEBHOOK_ALLOW_PRIVATE=true to allow it)';
  }
  return null;
}

export interface OutboundResponse {
  status: number;
  body: string;
}

export interface OutboundExchange extends OutboundResponse {
  /** Response headers, lower-case names (repeated ones joined with ", "). */
  headers: Record<string, string>;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as is; null or undefined sends no body. */
  body?: string | Buffer | null;
  headers?: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs?: number;
}

/**
 * One HTTP request to a URL outside Sundial, with the SSRF guard, a timeout and at most 64 KiB of the
 * answer read. Any status resolves (the caller decides what a failure is); blocked URLs, timeouts
 * and connection errors reject.
 */
export function sendOutbound(url: string, options: OutboundRequest): Promise<OutboundExchange> {
  const problem = outboundUrlProblem(url, options.allowPrivate);
  if (problem) return Promise.reject(new OutboundBlocked(`URL ${problem}`));
  const body = options.body === null || options.body === undefined ? null : Buffer.from(options.body);
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = client.request(
      u,
      {
        method: options.method,
        headers: { 'user-agent': 'Sundial', ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
        timeout: timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup as never }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 65_536) chunks.push(c);
        });
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer from ${u.host} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** POSTs JSON with a timeout, reading at most 64 KiB of the answer; non-2xx answers are errors. */
export async function postJson(url: string, payload: unknown, options: { allowPrivate: boolean; timeoutMs?: number; headers?: Record<string, string> }): Promise<OutboundResponse> {
  const res = await sendOutbound(url, {
    method: 'POST',
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...options.headers },
    allowPrivate: options.allowPrivate,
    timeoutMs: options.timeoutMs,
  });
  const out = { status: res.status, body: res.body };
  if (out.status >= 200 && out.status < 300) return out;
  throw Object.assign(new Error(`HTTP ${out.status} from ${new URL(url).host}`), { response: out });
}
