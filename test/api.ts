import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: LightMyRequestResponse;
}

/** The body of a successful answer; anything else fails with its status and body. */
export function bodyOf<T = any>(res: { status: number; body: T }, what: string): T {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let ipCounter = 1;
/** Each client gets its own source address so per-IP rate limits behave as for separate people. */
const nextIp = () => `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter++ & 255}`;

/** An HTTP client bound to one identity, speaking to the app in-process (real routing, real auth). */
export class Api {
  readonly ip = nextIp();
  constructor(
    readonly app: FastifyInstance,
    private auth: { authorization?: string; cookie?: string; csrf?: string } = {},
  ) {}

  static basicToken(app: FastifyInstance, email: string, token: string) {
    return new Api(app, { authorization: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` });
  }

  static basicPassword(app: FastifyInstance, email: string, password: string) {
    return new Api(app, { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
  }

  withSession(cookie: string, csrf: string) {
    this.auth = { cookie, csrf };
    return this;
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.auth.authorization) h.authorization = this.auth.authorization;
    if (this.auth.cookie) h.cookie = this.auth.cookie;
    if (this.auth.csrf && !['GET', 'HEAD'].includes(method)) h['x-csrf-token'] = this.auth.csrf;
    let payload: string | Buffer | undefined;
    if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await this.app.inject({ method: method as 'GET', url, payload, headers: h, remoteAddress: this.ip });
    let parsed: unknown = res.body;
    if (String(res.headers['content-type'] ?? '').includes('application/json') && res.body) parsed = JSON.parse(res.body);
    return { status: res.statusCode, body: parsed as T, headers: res.headers, raw: res };
  }

  get<T = any>(url: string) {
    return this.request<T>('GET', url);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body, headers);
  }
  put<T = any>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body);
  }
  delete<T = any>(url: string) {
    return this.request<T>('DELETE', url);
  }

  /** Zendesk-style upload: raw bytes in the body, the name in the query. */
  async upload(fileName: string, content: Buffer | string, contentType = 'application/binary', token?: string) {
    const q = new URLSearchParams({ filename: fileName, ...(token ? { token } : {}) });
    return this.request('POST', `/api/v2/uploads.json?${q}`, Buffer.from(content), { 'content-type': contentType });
  }
}
