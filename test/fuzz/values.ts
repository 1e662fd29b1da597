import fc from 'fast-check';

/**
 * Hostile values for the fuzzer: text, numbers and JSON that real clients get wrong (or attackers
 * send on purpose). Everything here is data; fuzz/request.ts turns it into bytes.
 */

/** A JSON number written out literally (`1e309`, 30 digits), which `JSON.stringify` cannot produce. */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON() {
    return `<raw ${this.text}>`;
  }
}

/** One UTF-16 code unit of a surrogate pair, alone: not valid Unicode, but valid in a JS string and in JSON (`\ud800`). */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Characters a string field may meet: ASCII, any code point, controls (NUL included), lone surrogates, bidi and zero-width marks. */
const nastyChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.constantFrom('\u202e', '\u200b', '\ufeff', '\uffff', '\ufffe', '😀', 'é', '\u0301') },
);

/** Short hostile text. */
export const nastyString = fc.string({ unit: nastyChar, maxLength: 40 });

/** Text seen in attacks and in the wild: injection, traversal, template syntax, numbers in strings, dates. */
export const TRICKY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '😀',
  '\u202eevil',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  "' OR '1'='1",
  '1; DROP TABLE tickets; --',
  '${7*7}{{7*7}}',
  '%s%n%x',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  '2026-13-45T25:61:61Z',
  '0000-00-00T00:00:00Z',
  '275760-09-13T00:00:00.001Z',
  '99:99',
  'Europe/Nowhere',
  'not-an-email',
  'a@b',
  '@',
  'http://',
  'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/',
  'ftp://example.com/x',
  '__proto__',
  'constructor',
];

const RAW_NUMBERS = ['1e309', '-1e309', '123456789012345678901234567890', '-123456789012345678901234567890', '1e-400', '-0', '0.1e1', '1E+2', '4.9e-324'];

/** Numbers at and beyond the edges of int4, int8, doubles and JSON. */
export const nastyNumber = fc.oneof(
  fc.constantFrom(0, -1, 1.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 63), 2 ** 64, Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)),
);

/** A long string: 1 kB to ~300 kB of one (sometimes multi-byte) character. */
export const hugeString = fc.tuple(fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', ' ', '<')).map(([n, c]) => c.repeat(n));

/** Any hostile JSON leaf or small structure. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { $ne: 1 }, { $gt: '' }, [1, 'a', null], ...TRICKY_STRINGS) },
  { weight: 3, arbitrary: nastyNumber },
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.array(nastyNumber, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
);

/** Keys a client might add: ids and roles it should not set, prototype keys, odd and long names. */
export const extraKey = fc.oneof(
  fc.constantFrom('id', 'role', 'status', 'suspended', 'organization_id', 'requester_id', 'user_id', 'admin', 'public', '__proto__', 'constructor', 'prototype', '', ' ', '\u0000', 'x'.repeat(300)),
  nastyString,
);

/**
 * A path segment: `raw` text goes into the URL as it is (broken percent escapes, traversal), `text`
 * is percent-encoded (WTF-8 for lone surrogates, so those arrive as invalid UTF-8).
 */
export type Segment = { raw: string } | { text: string };

export const hostileSegment: fc.Arbitrary<Segment> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        '0', '-1', '-0', '1.5', '1e3', '0x1f', '00001', '+1', ' 1', '2147483647', '2147483648', '-2147483649', '9223372036854775807', '9223372036854775808',
        '99999999999999999999999999', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}', 'me', 'show_many', 'count', 'en-us', 'xx-YY', '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        '__proto__', 'constructor', "1'", '1;', '<script>', 'a'.repeat(199), 'a'.repeat(260),
      )
      .map((text) => ({ text })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('%', '%zz', '%00', '%ff%fe', '%c0%af', '%e0%80', '%ed%a0%80', '..', '../', '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f', '%2e%2e', '.', '%20', '%0d%0aSet-Cookie:%20x=1', ';x', ',', '*')
      .map((raw) => ({ raw })),
  },
  { weight: 2, arbitrary: fc.integer().map((n) => ({ text: String(n) })) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => ({ text: String(n) })) },
  { weight: 2, arbitrary: nastyString.map((text) => ({ text })) },
);

/** Percent-encodes text as UTF-8, except that a lone surrogate becomes its WTF-8 bytes (`%ED%A0%80`: invalid UTF-8). */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    } else out += encodeURIComponent(text[i]);
  }
  return out;
}

export const renderSegment = (s: Segment) => ('raw' in s ? s.raw : percentEncode(s.text));

/** Query keys this API reads somewhere (paging, side-loads, filters, OAuth), plus random ones. */
export const QUERY_KEYS = [
  'page', 'per_page', 'page[size]', 'page[after]', 'page[before]', 'sort_by', 'sort_order', 'sort', 'include', 'ids', 'external_id', 'external_ids', 'query', 'start_time',
  'cursor', 'status', 'filter[type]', 'locale', 'name', 'role', 'role[]', 'token', 'signature', 'filename', 'metric', 'client_id', 'redirect_uri', 'response_type', 'scope',
  'state', 'code_challenge', 'code_challenge_method', 'start_date', 'end_date', 'from', 'to', 'group_by', 'limit', 'since', 'q', 'email', 'section_id', 'category_id', 'label_names',
  'score', 'comment', 'ticket_id', 'user_id', 'organization_id', 'action', 'actor_id', 'created_after', 'created_before', 'format', 'inline', 'decision',
];
