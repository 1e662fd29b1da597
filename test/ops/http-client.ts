/**
 * A tiny HTTP client over fetch for the operations tests and the upgrade-snapshot script: it speaks to a
 * Sundial over a real port and imports nothing from src/, so it also drives older releases.
 */
export interface HttpResponse<T = any> {
  status: number;
  body: T;
}

export class Http {
  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** Basic auth with a password (staff and customers without two-factor). */
  static basic(base: string, email: string, password: string): Http {
    return new Http(base, { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });
  }

  /**
   * Signs in with the password once and continues with a new API token: every Basic-password request
   * costs an argon2 verification, which makes reading hundreds of resources slow on a busy machine.
   */
  static async withToken(base: string, email: string, password: string): Promise<Http> {
    const token = await Http.basic(base, email, password).expect(201, 'POST', '/api/v2/api_tokens', { token: { description: 'operations test' } });
    return new Http(base, { authorization: `Basic ${Buffer.from(`${email}/token:${token.token.value}`).toString('base64')}` });
  }

  /** A portal session: the cookie and the CSRF token the login answers. Throws unless the login works. */
  static async portal(base: string, email: string, password: string): Promise<Http> {
    const res = await fetch(`${base}/api/portal/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const body = (await res.json()) as { csrf_token?: string };
    if (res.status !== 200 || !body.csrf_token) throw new Error(`portal login of ${email} answered ${res.status}: ${JSON.stringify(body)}`);
    const cookie = String(res.headers.get('set-cookie')).split(';')[0];
    return new Http(base, { cookie, 'x-csrf-token': body.csrf_token });
  }

  /** The same credentials against another node (a restored copy). */
  at(base: string): Http {
    return new Http(base, this.headers);
  }

  async request<T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...this.headers, ...extra };
    let payload: string | ArrayBuffer | undefined;
    if (Buffer.isBuffer(body)) payload = new Uint8Array(body).buffer as ArrayBuffer;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body: payload });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('application/json') && text ? JSON.parse(text) : text;
    return { status: res.status, body: json as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }

  /** A request that must answer `status`; returns its body, or throws with what came back. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }

  /** Zendesk-style upload (raw bytes, name in the query); returns the upload token. */
  async upload(fileName: string, bytes: Buffer): Promise<string> {
    const res = await this.request<{ upload: { token: string } }>('POST', `/api/v2/uploads?filename=${encodeURIComponent(fileName)}`, bytes, { 'content-type': 'application/octet-stream' });
    if (res.status !== 201) throw new Error(`upload of ${fileName} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.upload.token;
  }

  /** The raw bytes at a path (attachment content), following redirects. */
  async bytes(path: string): Promise<{ status: number; bytes: Buffer }> {
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, { headers: this.headers });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
  }
}
