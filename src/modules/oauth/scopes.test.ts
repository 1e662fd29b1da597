import { describe, expect, it } from 'vitest';
import { redirectWith, s256 } from './authorization.js';
import { parseScopes, scopeForMethod } from './scopes.js';

describe('OAuth scopes', () => {
  it('parses space- or comma-separated scopes into canonical order', () => {
    expect(parseScopes('write read')).toEqual({ scopes: ['read', 'write'] });
    expect(parseScopes('read,impersonate read')).toEqual({ scopes: ['read', 'impersonate'] });
    expect(parseScopes('')).toEqual({ scopes: [] });
    expect(parseScopes('read tickets:write')).toEqual({ unknown: 'tickets:write' });
  });

  it('needs read for safe methods and write for the others', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'get'].map(scopeForMethod)).toEqual(['read', 'read', 'read', 'read']);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(scopeForMethod)).toEqual(['write', 'write', 'write', 'write']);
  });
});

describe('authorization helpers', () => {
  it('computes the RFC 7636 S256 challenge: base64url of SHA-256, unpadded', () => {
    // SHA-256("abc") = ba7816bf…f20015ad (FIPS 180-2 test vector).
    expect(s256('abc')).toBe(Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url'));
    expect(s256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('adds parameters to a redirect URI and keeps the ones it has', () => {
    expect(redirectWith('https://app.test/cb?x=1', { code: 'a b', state: undefined })).toBe('https://app.test/cb?x=1&code=a+b');
  });
});
