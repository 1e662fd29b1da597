import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from './config.js';

describe('configuration', () => {
  it('parses durations in seconds, minutes, hours and days', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('48h')).toBe(48 * 3_600_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('-5s')).toBeNull();
  });

  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, autoCloseAfterMs: 48 * 3_600_000, publicUrl: 'http://localhost:3000', maxUploadBytes: 50 * 1024 * 1024, trustProxy: false });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it('lists every invalid variable in one error', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', AUTO_CLOSE_AFTER: '0s', SMTP_URL: 'http://mail', PUBLIC_URL: 'ftp://x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const message = (e as Error).message;
      for (const name of ['PORT', 'AUTO_CLOSE_AFTER', 'SMTP_URL', 'PUBLIC_URL']) expect(message).toContain(name);
    }
  });

  it('trims a trailing slash from PUBLIC_URL so links never double it', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://help.example.com/' }).publicUrl).toBe('https://help.example.com');
  });
});
