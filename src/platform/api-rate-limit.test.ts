import { describe, expect, it } from 'vitest';
import { apiLimitsFor, rateLimitHeaders } from './api-rate-limit.js';

const limits = { perMinute: 700, incrementalPerMinute: 10, searchExportPerMinute: 100, ticketUpdatesPer10Minutes: 30, ticketDeletesPerMinute: 400 };

describe('API rate limits', () => {
  it('counts every request per minute and some endpoints against their own budget', () => {
    expect(apiLimitsFor(limits, 'user:7', 'GET', '/api/v2/tickets', {})).toEqual([{ key: 'api:user:7', max: 700, windowSeconds: 60 }]);
    expect(apiLimitsFor(limits, 'user:7', 'GET', '/api/v2/incremental/tickets/cursor', {})[1]).toEqual({ key: 'api:incremental:user:7', max: 10, windowSeconds: 60 });
    expect(apiLimitsFor(limits, 'user:7', 'GET', '/api/v2/search/export', {})[1]).toMatchObject({ max: 100 });
    expect(apiLimitsFor(limits, 'user:7', 'PUT', '/api/v2/tickets/:id', { id: '42' })[1]).toEqual({ key: 'api:ticket-update:user:7:ticket:42', max: 30, windowSeconds: 600 });
    expect(apiLimitsFor(limits, 'user:7', 'DELETE', '/api/v2/tickets/:id', { id: '42' })[1]).toMatchObject({ key: 'api:ticket-delete:user:7', max: 400 });
    expect(apiLimitsFor(limits, 'user:7', 'GET', '/api/v2/tickets/:id', { id: '42' })).toHaveLength(1);
  });

  it('turns a limit off with 0', () => {
    expect(apiLimitsFor({ ...limits, perMinute: 0, incrementalPerMinute: 0 }, 'ip:1.2.3.4', 'GET', '/api/v2/incremental/tickets', {})).toEqual([]);
  });

  it('names the headers as Zendesk does', () => {
    const h = rateLimitHeaders({ limit: { key: 'k', max: 700, windowSeconds: 60 }, hits: 4, remaining: 696, resetSeconds: 43, exceeded: false });
    expect(h).toEqual({
      'X-Rate-Limit': '700',
      'X-Rate-Limit-Remaining': '696',
      'Rate-Limit': '700',
      'Rate-Limit-Remaining': '696',
      'Rate-Limit-Reset': '43',
      'ratelimit-limit': '700',
      'ratelimit-remaining': '696',
      'ratelimit-reset': '43',
    });
    expect(Object.keys(h).map((k) => k.toLowerCase())).not.toContain('retry-after');
  });
});
