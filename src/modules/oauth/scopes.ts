/**
 * Zendesk's OAuth scopes: `read` (GET and side-loads), `write` (POST, PUT, PATCH, DELETE) and
 * `impersonate` (X-On-Behalf-Of). Pure functions, shared by the consent page, the token endpoint
 * and the request guard.
 */
export const SCOPES = ['read', 'write', 'impersonate'] as const;
export type Scope = (typeof SCOPES)[number];

const DESCRIPTIONS: Record<Scope, string> = {
  read: 'Read your tickets, users, organizations and other data',
  write: 'Create, change and delete data on your behalf',
  impersonate: 'Act as end users of this help desk (admins only)',
};

export const describeScope = (s: Scope): string => DESCRIPTIONS[s];

/**
 * "read write" (space- or comma-separated; a `+` has already become a space in form decoding) →
 * the distinct scopes in canonical order, or the first unknown word.
 */
export function parseScopes(text: string | undefined | null): { scopes: Scope[] } | { unknown: string } {
  const words = String(text ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
  for (const w of words) if (!(SCOPES as readonly string[]).includes(w)) return { unknown: w };
  return { scopes: SCOPES.filter((s) => words.includes(s)) };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The scope an HTTP method needs. */
export const scopeForMethod = (method: string): Scope => (SAFE.has(method.toUpperCase()) ? 'read' : 'write');
