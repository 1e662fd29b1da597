import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from './two-factor-totp.js';

// RFC 6238 appendix B (SHA1 seed "12345678901234567890"; 8-digit values, of which TOTP keeps the last 6).
const seed = Buffer.from('12345678901234567890');
const RFC6238: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  it('matches the RFC 4226 HOTP test values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(seed, i))).toEqual(expected);
  });

  it('matches the RFC 6238 SHA1 test vectors', () => {
    for (const [seconds, value] of RFC6238) expect(totp(seed, seconds * 1000)).toBe(value.slice(-6));
  });

  it('accepts one step either side and no further, and returns the matching step', () => {
    const at = 1_700_000_000_000;
    const step = Math.floor(at / 30_000);
    expect(matchTotp(seed, hotp(seed, step), at)).toBe(step);
    expect(matchTotp(seed, hotp(seed, step - 1), at)).toBe(step - 1);
    expect(matchTotp(seed, hotp(seed, step + 1), at)).toBe(step + 1);
    expect(matchTotp(seed, hotp(seed, step - 2), at)).toBeNull();
    expect(matchTotp(seed, hotp(seed, step + 2), at)).toBeNull();
    expect(matchTotp(seed, '12345', at)).toBeNull();
    expect(matchTotp(seed, 'abcdef', at)).toBeNull();
  });

  it('round-trips base32 (RFC 4648 vectors) and builds an otpauth URI', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('mzxw 6ytb oi==').toString()).toBe('foobar');
    expect(base32Encode(seed)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    const text = otpauthUri('GEZDGNBV', 'a@b.test', 'Sundial');
    expect(text.startsWith('otpauth://totp/Sundial:a%40b.test?')).toBe(true);
    const uri = new URL(text);
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: 'GEZDGNBV', issuer: 'Sundial', algorithm: 'SHA1', digits: '6', period: '30' });
  });
});
