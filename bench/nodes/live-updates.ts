/**
 * Live updates across nodes: an agent's event stream (GET /api/v2/live/tickets/:id, server-sent events) is
 * held open on node B, and a second one through the balancer; the same agent then changes the ticket
 * `changes` times, one change at a time, alternately through node A and node C. Every change is one audit,
 * hence one `ticket` event whose `at` is the audit's time: each stream must see each change once.
 *
 * Latency is measured from the moment the change was sent (the event can only exist once its transaction
 * commits, so this includes the write itself) and from the moment its HTTP answer arrived (negative when
 * the event beat the answer: the NOTIFY is delivered at commit, before the node has presented the ticket).
 */
import { performance } from 'node:perf_hooks';
import type { Person } from './workload-mix.js';
import { quantile } from '../paced-load.js';

interface Arrival {
  at: string;
  time: number;
}

/** A server-sent-events reader on fetch's body stream; keeps the ticket events of one author. */
class EventStream {
  readonly arrivals: Arrival[] = [];
  private readonly abort = new AbortController();

  private constructor(private readonly authorId: number) {}

  static async open(url: string, auth: string, authorId: number): Promise<EventStream> {
    const stream = new EventStream(authorId);
    const res = await fetch(url, { headers: { authorization: auth, accept: 'text/event-stream' }, signal: stream.abort.signal });
    if (!res.ok || !res.body) throw new Error(`live stream ${url}: ${res.status} ${await res.text()}`);
    void stream.read(res.body);
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== 'ticket' || !data) continue;
          const parsed = JSON.parse(data) as { author_id: number | null; at: string };
          if (parsed.author_id === this.authorId) this.arrivals.push({ at: parsed.at, time: performance.now() });
        }
      }
    } catch {
      /* aborted at close */
    }
  }

  async waitForCount(n: number, timeoutMs: number): Promise<Arrival | null> {
    const deadline = performance.now() + timeoutMs;
    while (this.arrivals.length < n) {
      if (performance.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.arrivals[n - 1];
  }

  close() {
    this.abort.abort();
  }
}

export interface StreamFigures {
  stream: string;
  changes: number;
  received: number;
  duplicates: number;
  missing: number;
  p50: number;
  p99: number;
  max: number;
  /** From the HTTP answer of the change to the event (negative: the event came first). */
  afterAnswerP50: number;
  afterAnswerP99: number;
}

export async function measureLiveUpdates(o: { nodes: string[]; balancer: string; agent: Person; ticketId: number; changes: number }): Promise<StreamFigures[]> {
  const [a, b, c] = o.nodes;
  const path = `/api/v2/live/tickets/${o.ticketId}`;
  const streams = { 'node B (changes via A and C)': await EventStream.open(`${b}${path}`, o.agent.auth, o.agent.id), 'balancer (any node)': await EventStream.open(`${o.balancer}${path}`, o.agent.auth, o.agent.id) };
  await new Promise((r) => setTimeout(r, 500)); // both streams subscribed and joined
  const sent: number[] = [];
  const answered: number[] = [];
  const writers = [a, c ?? a];
  try {
    for (let i = 0; i < o.changes; i++) {
      sent.push(performance.now());
      const res = await fetch(`${writers[i % writers.length]}/api/v2/tickets/${o.ticketId}.json`, {
        method: 'PUT',
        headers: { authorization: o.agent.auth, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ticket: { comment: { body: `Live update check ${i}`, public: false } } }),
      });
      await res.arrayBuffer();
      answered.push(performance.now());
      if (!res.ok) throw new Error(`change ${i} answered ${res.status}`);
      // One change at a time: the next starts once stream B has this one (or gave up after 10 s).
      await streams['node B (changes via A and C)'].waitForCount(i + 1, 10_000);
    }
    await new Promise((r) => setTimeout(r, 2000)); // late or repeated events
  } finally {
    Object.values(streams).forEach((s) => s.close());
  }
  return Object.entries(streams).map(([name, s]) => {
    const distinct = new Map<string, number>();
    for (const x of s.arrivals) if (!distinct.has(x.at)) distinct.set(x.at, x.time);
    // The k-th distinct event belongs to the k-th change: changes are sequential and each waits for its event.
    const times = [...distinct.values()].slice(0, o.changes);
    const fromSend = times.map((t, i) => t - sent[i]);
    const fromAnswer = times.map((t, i) => t - answered[i]);
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      stream: name,
      changes: o.changes,
      received: s.arrivals.length,
      duplicates: s.arrivals.length - distinct.size,
      missing: Math.max(0, o.changes - distinct.size),
      p50: r1(quantile(fromSend, 0.5)),
      p99: r1(quantile(fromSend, 0.99)),
      max: r1(Math.max(...fromSend)),
      afterAnswerP50: r1(quantile(fromAnswer, 0.5)),
      afterAnswerP99: r1(quantile(fromAnswer, 0.99)),
    };
  });
}
