import pg from 'pg';
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './db.js';

const CHANNEL = 'sundial_live';

export type LiveEvent =
  | { type: 'ticket'; ticket_id: number; author_id: number | null; at: string }
  | { type: 'presence'; ticket_id: number };

type Listener = (event: LiveEvent) => void;

/**
 * Fans ticket events out to every node: writers NOTIFY inside their transaction (delivered only if it
 * commits), each node LISTENs on one connection and hands events to its local subscribers (SSE streams).
 */
export class LiveHub {
  private client: pg.Client | null = null;
  private readonly listeners = new Map<number, Set<Listener>>();
  private stopped = false;

  constructor(private readonly connectionString: string) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'sundial-live' });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      try {
        const event = JSON.parse(msg.payload) as LiveEvent;
        this.listeners.get(event.ticket_id)?.forEach((l) => l(event));
      } catch {
        /* a malformed payload is not ours to act on */
      }
    });
    // A lost connection is re-established; events in the gap are lost, which clients cover by refetching on reconnect.
    client.on('error', () => void this.reconnect());
    client.on('end', () => void this.reconnect());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    if (this.stopped || !this.client) return;
    this.client = null;
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      await new Promise((r) => setTimeout(r, delay));
      try {
        await this.start();
        return;
      } catch {
        /* retry */
      }
    }
  }

  subscribe(ticketId: number, listener: Listener): () => void {
    let set = this.listeners.get(ticketId);
    if (!set) this.listeners.set(ticketId, (set = new Set()));
    set.add(listener);
    return () => {
      set!.delete(listener);
      if (!set!.size) this.listeners.delete(ticketId);
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }
}

/** Announces an event to every node once the caller's transaction commits. */
export async function publishLive(tx: Executor, event: LiveEvent): Promise<void> {
  await sql`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(event)})`.execute(tx);
}

/**
 * The same announcement as an expression, for a statement that writes what it announces (saves a round
 * trip on every ticket change). `event` must build a LiveEvent as JSON.
 */
export const liveNotification = (event: RawBuilder<unknown>) => sql<void>`pg_notify(${CHANNEL}, (${event})::text)`;
