import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacedRun, quantile } from '../../bench/paced-load.js';

/**
 * The workload's paced runs (bench/paced-load.ts) must report the latency a request really had: timed from
 * when it was due, so requests held back behind a stalled one show their wait, at the rate asked for.
 */
let server: http.Server;
let url: string;
const stallFor = new Map<string, number>();
const seen: { path: string; at: number }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url!, at: performance.now() });
    const answer = () => res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' }).end('ok');
    const stall = stallFor.get(req.url!);
    if (stall) setTimeout(answer, stall);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('paced load', () => {
  it('sends at the asked rate, evenly spaced, and counts every answer', async () => {
    seen.length = 0;
    const r = await pacedRun({ url, connections: 4, seconds: 1, rate: 100, next: (n) => ({ method: 'GET', path: `/even/${n}`, headers: {} }), counter: { n: 0 } });
    expect(r.requests).toBe(100);
    expect(r.non2xx + r.errors).toBe(0);
    expect(r.reqPerSec).toBeGreaterThan(90);
    expect(r.reqPerSec).toBeLessThanOrEqual(100);
    const gaps = seen.slice(1).map((s, i) => s.at - seen[i].at);
    // 10 ms apart on average; never a burst of the whole second's quota at once.
    expect(quantile(gaps, 0.5)).toBeGreaterThan(5);
    expect((seen[seen.length - 1].at - seen[0].at) / 1000).toBeGreaterThan(0.9);
  });

  it('times requests held back by a stalled one from when they were due', async () => {
    // One connection, a request due every 10 ms; the first answer takes 300 ms, so the ~29 due meanwhile wait.
    stallFor.set('/held/0', 300);
    const r = await pacedRun({ url, connections: 1, seconds: 1, rate: 100, next: (n) => ({ method: 'GET', path: `/held/${n}`, headers: {} }), counter: { n: 0 } });
    expect(r.requests).toBe(100);
    expect(r.p99).toBeGreaterThanOrEqual(280);
    // Timed from when they were sent, those would take a few ms each; from when they were due, the slowest 29 % waited.
    expect(r.p90).toBeGreaterThan(50);
    expect(r.p50).toBeLessThan(r.p90);
  });

  it('counts answers other than 2xx, and sends bodies with their length', async () => {
    const bodies: string[] = [];
    const echo = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push(`${req.headers['content-length']}:${body}`);
        res.writeHead(req.url === '/missing' ? 404 : 201).end();
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    try {
      const r = await pacedRun({
        url: target,
        connections: 2,
        seconds: 0.2,
        rate: 50,
        next: (n) => ({ method: 'POST', path: n % 2 ? '/missing' : '/tickets', body: JSON.stringify({ n }), headers: { 'content-type': 'application/json' } }),
        counter: { n: 0 },
      });
      expect(r.requests).toBe(10);
      expect(r.non2xx).toBe(5);
      expect(bodies.sort()).toContain('7:{"n":0}');
    } finally {
      await new Promise((r) => echo.close(r));
    }
  });
});

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([quantile(xs, 0.5), quantile(xs, 0.95), quantile(xs, 0.99), quantile(xs, 1)]).toEqual([50, 95, 99, 100]);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
