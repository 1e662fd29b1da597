/** Field-level problems as the API sends them: `{ field: [{ description, error }] }`. */
export type FieldErrors = Record<string, { description: string; error: string | null }[]>;

/** Any non-2xx answer, with the server's message and field details (never a stack trace). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldErrors = {},
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** The first message for a field (keys like `custom_fields.12` or `email_ccs.0` match their prefix). */
  field(name: string): string | undefined {
    const key = Object.keys(this.details).find((k) => k === name || k.startsWith(`${name}.`));
    return key ? this.details[key][0]?.description : undefined;
  }
}

let csrfToken: string | null = null;
/** The session's CSRF token, set at login and when the session is loaded; sent on every write. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

async function parse(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') ?? '';
  if (res.status === 204) return null;
  return type.includes('application/json') ? res.json() : res.text();
}

/** fetch for the Sundial API: same-origin cookie, CSRF header on writes, JSON in and out, ApiError on failure. */
export async function api<T = any>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer)) headers.set('Content-Type', 'application/json');
  if (method !== 'GET' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : body instanceof Blob || body instanceof ArrayBuffer ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NetworkError', 'Cannot reach Sundial. Check your connection and try again.');
  }
  const data = (await parse(res)) as any;
  if (!res.ok) {
    const message =
      typeof data === 'object' && data
        ? (data.description ?? (typeof data.error === 'string' ? data.error : 'Something went wrong'))
        : res.status >= 500
          ? 'Something went wrong on our side. Please try again.'
          : 'The request failed.';
    const retryAfter = Number(res.headers.get('retry-after')) || undefined;
    throw new ApiError(res.status, typeof data?.error === 'string' ? data.error : 'Error', res.status === 401 ? 'Please sign in.' : message, data?.details ?? {}, retryAfter);
  }
  return data as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T = any>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {});
export const del = <T = any>(path: string) => api<T>('DELETE', path);

/**
 * Uploads one file as Zendesk does (raw body, name in the query) with progress, via XHR because fetch
 * has no upload progress. Resolves with the upload token and attachment.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void, token?: string): Promise<{ token: string; attachment: Attachment }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ filename: file.name, ...(token ? { token } : {}) });
    xhr.open('POST', `/api/v2/uploads?${q}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', file.type || 'application/binary');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'NetworkError', 'The upload was interrupted. Try again.'));
    xhr.onload = () => {
      let data: any = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201 && data?.upload) resolve({ token: data.upload.token, attachment: data.upload.attachment });
      else reject(new ApiError(xhr.status, data?.error ?? 'Error', data?.description ?? 'The upload failed.', data?.details ?? {}));
    };
    xhr.send(file);
  });
}

export interface Attachment {
  id: number;
  file_name: string;
  content_url: string;
  content_type: string;
  size: number;
}
