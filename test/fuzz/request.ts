import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { applyMutations, mutation, toJsonText, type Mutation } from './mutate.js';
import { hostileSegment, hostileValue, nastyString, percentEncode, QUERY_KEYS, renderSegment, type Segment } from './values.js';

/** The callers the fuzzer speaks as. */
export const FUZZ_ROLES = ['anonymous', 'endUser', 'agent', 'admin'] as const;
export type FuzzRole = (typeof FUZZ_ROLES)[number];

/** What the fuzzer knows about one route: its valid seed (path parameters, query, body, headers). */
export interface RouteSeed {
  method: string;
  path: string;
  /** Valid values of the path parameters, by name. */
  params: Record<string, string>;
  /** A valid query string (without `?`), or ''. */
  query: string;
  /** A valid body: JSON value, raw bytes, or form text. */
  body: unknown;
  headers: Record<string, string>;
  /** Server-sent events: the response never ends when allowed. */
  stream: boolean;
}

/** Credentials of one caller, as headers. */
export interface Credentials {
  authorization?: string;
  cookie?: string;
  csrf?: string;
  email?: string;
  ip: string;
}

type ParamChoice = { kind: 'seed' } | { kind: 'known'; pick: number } | { kind: 'hostile'; segment: Segment };
/** A change to the seed's `key=value` pairs (its query, or its form body). */
type PairMutation = { op: 'replace' | 'duplicate' | 'drop' | 'bracket'; at: number; value: Segment };
type QueryChoice = { seed: boolean; seedMutations: PairMutation[]; pairs: { key: Segment; value: Segment }[] };
type BodyChoice =
  | { kind: 'none' }
  | { kind: 'seed' }
  | { kind: 'mutated'; mutations: Mutation[]; contentType: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; bytes: Uint8Array; contentType: string }
  | { kind: 'encoding'; variant: string }
  | { kind: 'form'; pairs: [string, string][] }
  | { kind: 'seedForm'; mutations: PairMutation[] };
type AuthChoice = 'normal' | 'none' | 'garbage' | 'bearerJunk' | 'basicNoColon' | 'basicBadBase64' | 'wrongPassword' | 'dupAuthJunkFirst' | 'dupAuthJunkSecond' | 'dupCookie' | 'tokenAndCookie';
type CsrfChoice = 'ok' | 'missing' | 'wrong' | 'empty' | 'dup';
interface HeaderChoice {
  auth: AuthChoice;
  csrf: CsrfChoice;
  huge: { name: string; size: number; char: string } | null;
  extra: [string, string][];
}

/** The route's own method (mostly), its automatic HEAD twin, or one the route does not have. */
type MethodChoice = 'route' | 'head' | 'OPTIONS' | 'PATCH' | 'TRACE' | 'DELETE' | 'PUT';

/** One generated request, before it becomes bytes. */
export interface FuzzCase {
  route: number;
  method: MethodChoice;
  role: FuzzRole;
  params: ParamChoice[];
  query: QueryChoice;
  body: BodyChoice;
  headers: HeaderChoice;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;;;',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  'message/rfc822',
  'image/png',
  'image/svg+xml',
  'application/xml',
  'application/vnd.api+json',
  'application/csp-report',
  '*/*',
  'garbage',
  ';',
  'application/json; boundary=',
];

/** Header-safe text (Node delivers header bytes as latin1): tab, printable ASCII and 0x80–0xFF. */
const headerText = fc.string({
  unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c))),
  maxLength: 60,
});

const ENCODING_VARIANTS = [
  'invalidUtf8Json', // {"a":"\xff\xfe"} as JSON
  'overlongUtf8Json', // C0 AF inside a string
  'truncatedUtf8Json', // a multi-byte sequence cut short
  'utf16Json', // the seed as UTF-16LE with a BOM
  'bomJson', // UTF-8 BOM before the seed
  'gzipHeaderNoGzip', // Content-Encoding: gzip, plain JSON body
  'gzipMagicJunk', // gzip magic bytes then junk
  'realGzip', // a real gzip body (the server does not inflate)
  'brotliLabel', // Content-Encoding: br on JSON
  'unknownEncoding', // Content-Encoding: x-fuzz
  'deepArray', // [[[[…]]]] 200k deep
  'deepObject', // {"a":{"a":…}} 100k deep
  'hugeBody', // just over the 2 MB body limit
  'bigString', // a 1.5 MB string inside the seed
  'nulInKey', // "\u0000" in a key
  'duplicateKeys', // the same key twice with different types
  'trailingGarbage', // valid JSON, then garbage
  'jsonScalar', // a bare number / string / null
  'emptyWithType', // Content-Type: application/json, empty body
  'whitespaceOnly',
];

const paramChoice: fc.Arbitrary<ParamChoice> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'seed' as const }) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: 'known' as const, pick })) },
  { weight: 4, arbitrary: hostileSegment.map((segment) => ({ kind: 'hostile' as const, segment })) },
);

const pairMutation: fc.Arbitrary<PairMutation> = fc.record({
  op: fc.constantFrom('replace', 'duplicate', 'drop', 'bracket'),
  at: fc.nat(),
  value: hostileSegment,
});

/** Applies pair mutations to `a=1&b=2` (kept as encoded text, so broken escapes survive). */
function mutatePairs(text: string, mutations: PairMutation[]): string {
  const pairs = text ? text.split('&').map((p) => [p.split('=')[0], p.slice(p.indexOf('=') + 1)] as [string, string]) : [];
  for (const m of mutations) {
    if (!pairs.length) break;
    const i = m.at % pairs.length;
    const [key, value] = pairs[i];
    const hostile = renderSegment(m.value);
    if (m.op === 'replace') pairs[i] = [key, hostile];
    else if (m.op === 'duplicate') pairs.splice(i + 1, 0, [key, hostile]);
    else if (m.op === 'drop') pairs.splice(i, 1);
    else pairs[i] = [`${key}%5B${hostile.slice(0, 10)}%5D`, value];
  }
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const queryChoice: fc.Arbitrary<QueryChoice> = fc.record({
  seed: fc.boolean(),
  seedMutations: fc.oneof({ weight: 2, arbitrary: fc.constant<PairMutation[]>([]) }, { weight: 1, arbitrary: fc.array(pairMutation, { minLength: 1, maxLength: 3 }) }),
  pairs: fc.oneof(
    { weight: 2, arbitrary: fc.constant<QueryChoice['pairs']>([]) },
    {
      weight: 3,
      arbitrary: fc.array(
        fc.record({
          key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS).map((text): Segment => ({ text })) }, { weight: 1, arbitrary: hostileSegment }),
          value: fc.oneof({ weight: 3, arbitrary: hostileSegment }, { weight: 1, arbitrary: fc.constantFrom('1', '2', '100', '', 'users,groups,organizations', 'created_at', 'desc').map((text): Segment => ({ text })) }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    },
  ),
});

const bodyChoice: fc.Arbitrary<BodyChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'seed' as const }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), bytes: fc.uint8Array({ maxLength: 2048 }), contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerText) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('encoding' as const), variant: fc.constantFrom(...ENCODING_VARIANTS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seedForm' as const), mutations: fc.array(pairMutation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('form' as const), pairs: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS, 'authenticity_token', 'password', 'email', 'grant_type'), nastyString), nastyString), { maxLength: 5 }) }) },
);

const headerChoice: fc.Arbitrary<HeaderChoice> = fc.record({
  auth: fc.oneof(
    { weight: 200, arbitrary: fc.constant<AuthChoice>('normal') },
    { weight: 10, arbitrary: fc.constantFrom<AuthChoice>('none', 'garbage', 'bearerJunk', 'basicNoColon', 'basicBadBase64', 'dupAuthJunkFirst', 'dupAuthJunkSecond', 'dupCookie', 'tokenAndCookie') },
    // Each wrong password costs an argon2 verification: rare.
    { weight: 1, arbitrary: fc.constant<AuthChoice>('wrongPassword') },
  ),
  csrf: fc.oneof({ weight: 8, arbitrary: fc.constant<CsrfChoice>('ok') }, { weight: 1, arbitrary: fc.constantFrom<CsrfChoice>('missing', 'wrong', 'empty', 'dup') }),
  // Rare: a huge header makes every request slower to render and send.
  huge: fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.record({
        name: fc.constantFrom('x-fuzz', 'user-agent', 'accept-language', 'referer', 'x-forwarded-for', 'accept', 'if-none-match', 'x-csrf-token', 'x-on-behalf-of', 'cookie'),
        // Node's default limit for all headers together is 16 KiB.
        size: fc.integer({ min: 1_000, max: 12_000 }),
        char: fc.constantFrom('a', ',', ';', ' ', '\u00ff', '='),
      }),
    },
  ),
  // Mostly none: X-On-Behalf-Of, say, turns any request into a 403 before its handler runs.
  extra: fc.oneof(
    { weight: 3, arbitrary: fc.constant<[string, string][]>([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.oneof(
          fc.tuple(
            fc.constantFrom('accept', 'accept-encoding', 'accept-language', 'if-modified-since', 'range', 'origin', 'x-forwarded-for', 'x-forwarded-proto', 'x-http-method-override', 'x-on-behalf-of', 'content-encoding', 'x-sundial-inbound-token', 'x-hub-signature-256', 'x-github-event'),
            headerText,
          ),
          fc.tuple(fc.constant('x-on-behalf-of'), fc.constantFrom('someone@example.com', '', 'admin@sundial-staff.test')),
          fc.tuple(fc.constant('range'), fc.constantFrom('bytes=0-0', 'bytes=-1', 'bytes=99999999-', 'bytes=5-1', 'bytes=0-1,2-3', 'items=0-1')),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    },
  ),
});

/** A whole request for one of `routeCount` routes. */
export const fuzzCase = (routeCount: number): fc.Arbitrary<FuzzCase> =>
  fc.record({
    route: fc.nat({ max: routeCount - 1 }),
    method: fc.oneof({ weight: 36, arbitrary: fc.constant<MethodChoice>('route') }, { weight: 2, arbitrary: fc.constant<MethodChoice>('head') }, { weight: 1, arbitrary: fc.constantFrom<MethodChoice>('OPTIONS', 'PATCH', 'TRACE', 'DELETE', 'PUT') }),
    role: fc.constantFrom(...FUZZ_ROLES),
    params: fc.array(paramChoice, { minLength: 3, maxLength: 3 }),
    query: queryChoice,
    body: bodyChoice,
    headers: headerChoice,
  });

/** The request as app.inject takes it. */
export interface Rendered {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: Buffer | string;
}

const gzipMagicJunk = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not really gzip')]);

function encodingBody(variant: string, seedText: string): { payload: Buffer | string; contentType: string; headers?: Record<string, string> } {
  const json = 'application/json';
  switch (variant) {
    case 'invalidUtf8Json':
      return { payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('"}')]), contentType: json };
    case 'overlongUtf8Json':
      return { payload: Buffer.concat([Buffer.from(seedText.slice(0, -1) + ',"z":"'), Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]), Buffer.from('"}')]), contentType: json };
    case 'truncatedUtf8Json':
      return { payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe2, 0x82])]), contentType: 'application/json; charset=utf-8' };
    case 'utf16Json':
      return { payload: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText, 'utf16le')]), contentType: 'application/json; charset=utf-16' };
    case 'bomJson':
      return { payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedText)]), contentType: json };
    case 'gzipHeaderNoGzip':
      return { payload: seedText, contentType: json, headers: { 'content-encoding': 'gzip' } };
    case 'gzipMagicJunk':
      return { payload: gzipMagicJunk, contentType: json, headers: { 'content-encoding': 'gzip' } };
    case 'realGzip':
      return { payload: gzipSync(seedText), contentType: json, headers: { 'content-encoding': 'gzip' } };
    case 'brotliLabel':
      return { payload: seedText, contentType: json, headers: { 'content-encoding': 'br' } };
    case 'unknownEncoding':
      return { payload: seedText, contentType: json, headers: { 'content-encoding': 'x-fuzz, gzip' } };
    case 'deepArray':
      return { payload: '['.repeat(200_000) + ']'.repeat(200_000), contentType: json };
    case 'deepObject':
      return { payload: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), contentType: json };
    case 'hugeBody':
      return { payload: `{"a":"${'x'.repeat(2 * 1024 * 1024 + 10)}"}`, contentType: json };
    case 'bigString':
      return { payload: seedText.startsWith('{') ? `{"z":"${'é'.repeat(700_000)}",${seedText.slice(1)}` : `"${'é'.repeat(700_000)}"`, contentType: json };
    case 'nulInKey':
      return { payload: seedText.startsWith('{') ? `{"\\u0000":1,${seedText.slice(1)}` : '{"\\u0000":1}', contentType: json };
    case 'duplicateKeys':
      return { payload: seedText.startsWith('{') && seedText.length > 2 ? seedText.replace(/^\{"([^"]*)":/, '{"$1":[],"$1":') : '{"a":1,"a":"1"}', contentType: json };
    case 'trailingGarbage':
      return { payload: `${seedText}}]garbage`, contentType: json };
    case 'jsonScalar':
      return { payload: seedText.length % 3 === 0 ? '42' : seedText.length % 3 === 1 ? '"text"' : 'null', contentType: json };
    case 'emptyWithType':
      return { payload: '', contentType: json };
    case 'whitespaceOnly':
      return { payload: ' \r\n\t ', contentType: json };
  }
  throw new Error(`unknown encoding variant ${variant}`);
}

/** Seed body as bytes/text plus the content type it goes with. */
function seedPayload(seed: RouteSeed): { payload?: Buffer | string; contentType?: string } {
  if (seed.body === undefined) return {};
  if (Buffer.isBuffer(seed.body)) return { payload: seed.body, contentType: seed.headers['content-type'] ?? 'application/octet-stream' };
  if (typeof seed.body === 'string') return { payload: seed.body, contentType: seed.headers['content-type'] ?? 'text/plain' };
  return { payload: JSON.stringify(seed.body), contentType: 'application/json' };
}

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

/**
 * Turns a case into a request. Duplicate headers are merged the way Node's HTTP parser merges them
 * (a second Authorization is dropped, cookies are joined with "; ", other headers with ", "), since
 * app.inject skips the parser.
 */
export function render(c: FuzzCase, seed: RouteSeed, creds: Credentials, known: string[]): Rendered {
  let i = 0;
  const path = seed.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const p = c.params[i++] ?? { kind: 'seed' };
    if (p.kind === 'seed') return percentEncode(seed.params[name] ?? '1');
    if (p.kind === 'known') return percentEncode(known[p.pick % known.length]);
    return renderSegment(p.segment);
  });
  const query = [c.query.seed && seed.query ? mutatePairs(seed.query, c.query.seedMutations) : '', ...c.query.pairs.map((p) => `${renderSegment(p.key)}=${renderSegment(p.value)}`)].filter(Boolean).join('&');
  const url = query ? `${path}?${query}` : path;

  const headers: Record<string, string> = { ...seed.headers };
  delete headers['content-type'];
  let payload: Buffer | string | undefined;
  const seedBody = seedPayload(seed);
  const seedText = typeof seedBody.payload === 'string' && seedBody.contentType === 'application/json' ? seedBody.payload : '{"a":1}';
  switch (c.body.kind) {
    case 'none':
      break;
    case 'seed':
      payload = seedBody.payload;
      if (seedBody.contentType) headers['content-type'] = seedBody.contentType;
      break;
    case 'mutated': {
      const base = seed.body === undefined || Buffer.isBuffer(seed.body) || typeof seed.body === 'string' ? {} : seed.body;
      payload = toJsonText(applyMutations(base, c.body.mutations)) ?? '';
      headers['content-type'] = c.body.contentType;
      break;
    }
    case 'json':
      payload = toJsonText(c.body.value) ?? 'null';
      headers['content-type'] = 'application/json';
      break;
    case 'raw':
      payload = Buffer.from(c.body.bytes);
      if (c.body.contentType) headers['content-type'] = c.body.contentType;
      break;
    case 'encoding': {
      const e = encodingBody(c.body.variant, seedText);
      payload = e.payload;
      headers['content-type'] = e.contentType;
      Object.assign(headers, e.headers);
      break;
    }
    case 'seedForm':
      // The seed's form body (or, for JSON routes, its top-level keys as a form) with pairs changed.
      payload = mutatePairs(
        typeof seed.body === 'string' ? seed.body : seed.body && typeof seed.body === 'object' && !Buffer.isBuffer(seed.body) ? new URLSearchParams(Object.entries(seed.body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString() : '',
        c.body.mutations,
      );
      headers['content-type'] = 'application/x-www-form-urlencoded';
      break;
    case 'form':
      payload = c.body.pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
      headers['content-type'] = 'application/x-www-form-urlencoded';
      break;
  }

  // Credentials, then the odd ways of sending them.
  const h = c.headers;
  const junk = 'Basic ' + b64('nobody@example.com/token:not-a-token');
  if (creds.authorization) headers.authorization = creds.authorization;
  if (creds.cookie) headers.cookie = creds.cookie;
  switch (h.auth) {
    case 'none':
      delete headers.authorization;
      delete headers.cookie;
      break;
    case 'garbage':
      headers.authorization = 'Garbage \u00ff\u00fe';
      break;
    case 'bearerJunk':
      headers.authorization = 'Bearer ' + 'x'.repeat(64);
      break;
    case 'basicNoColon':
      headers.authorization = 'Basic ' + b64('no-colon-here');
      break;
    case 'basicBadBase64':
      headers.authorization = 'Basic !!!not base64!!!';
      break;
    case 'wrongPassword':
      headers.authorization = 'Basic ' + b64(`${creds.email ?? 'nobody@example.com'}:wrong-password`);
      break;
    case 'dupAuthJunkFirst':
      // Node keeps the first Authorization header: the junk one wins.
      headers.authorization = junk;
      break;
    case 'dupAuthJunkSecond':
      // The second is dropped: the real one (or none) stands.
      headers.authorization ??= junk;
      break;
    case 'dupCookie':
      headers.cookie = [headers.cookie, 'sundial_session=forged-session-token'].filter(Boolean).join('; ');
      break;
    case 'tokenAndCookie':
      headers.authorization ??= junk;
      headers.cookie ??= 'sundial_session=forged-session-token';
      break;
  }
  if (creds.csrf && !['GET', 'HEAD'].includes(seed.method)) {
    const csrf = { ok: creds.csrf, missing: undefined, wrong: 'x'.repeat(creds.csrf.length), empty: '', dup: `${creds.csrf}, ${creds.csrf}` }[h.csrf];
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  }
  for (const [k, v] of h.extra) {
    headers[k] = k in headers && k !== 'authorization' ? `${headers[k]}${k === 'cookie' ? '; ' : ', '}${v}` : (headers[k] ?? v);
  }
  if (h.huge) {
    const value = h.huge.char.repeat(h.huge.size);
    headers[h.huge.name] = h.huge.name === 'cookie' ? [headers.cookie, `big=${value}`].filter(Boolean).join('; ') : value;
  }
  const method = c.method === 'route' ? seed.method : c.method === 'head' ? (seed.method === 'GET' ? 'HEAD' : seed.method) : c.method;
  // A HEAD or TRACE request has no body (Node would not read one).
  if (method === 'HEAD' || method === 'TRACE') {
    payload = undefined;
    delete headers['content-type'];
  }
  return { method, url, headers, payload };
}

/** The request in a form a person can replay: method, URL, headers, and the body (cut short). */
export function describe(r: Rendered): string {
  const body =
    r.payload === undefined
      ? '(no body)'
      : Buffer.isBuffer(r.payload)
        ? `<${r.payload.length} bytes> ${r.payload.subarray(0, 300).toString('hex')}`
        : r.payload.length > 600
          ? `${JSON.stringify(r.payload.slice(0, 600))}… (${r.payload.length} chars)`
          : JSON.stringify(r.payload);
  const headers = Object.entries(r.headers).map(([k, v]) => `  ${k}: ${v.length > 200 ? `${v.slice(0, 200)}… (${v.length} chars)` : v}`);
  return [`${r.method} ${r.url.length > 500 ? r.url.slice(0, 500) + '…' : r.url}`, ...headers, `  body: ${body}`].join('\n');
}
