import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { parseId } from '../../platform/http.js';
import type { LiveEvent } from '../../platform/live.js';
import { requireAgent } from '../../permissions/guards.js';
import { findTicket } from '../tickets/tickets.repository.js';
import { heartbeat, joinTicket, leaveTicket, viewersOf } from './presence.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for one ticket: `ticket` when anyone changes it (on any node), `presence` with
 * who else has it open. The stream is also the viewer's heartbeat.
 */
export function registerLiveRoutes(app: FastifyInstance, ctx: AppContext) {
  const open = new Set<() => void>();
  // Streams never end by themselves; a node shutting down ends them so close() need not wait.
  app.addHook('preClose', async () => open.forEach((end) => end()));

  app.get('/api/v2/live/tickets/:id', async (req, reply) => {
    const actor = requireAgent(req);
    const ticketId = parseId((req.params as { id: string }).id);
    if (!(await findTicket(ctx.db, ticketId))) throw notFound();
    // HEAD (fastify's automatic twin of this route): the headers, no stream. Node sends no headers
    // for a HEAD response until it ends, so a stream would leave the client waiting forever.
    if (req.method === 'HEAD') return reply.header('Content-Type', 'text/event-stream; charset=utf-8').header('Cache-Control', 'no-cache, no-transform').send();
    const connectionId = randomUUID();

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 3000\n\n');

    const onEvent = async (event: LiveEvent) => {
      if (event.type === 'ticket') send('ticket', event);
      else send('presence', { ticket_id: ticketId, viewers: await viewersOf(ctx.db, ticketId).catch(() => []) });
    };
    const unsubscribe = ctx.live.subscribe(ticketId, (e) => void onEvent(e));
    const joined = joinTicket(ctx.db, ticketId, actor.user.id, connectionId);
    let timer: NodeJS.Timeout | undefined;

    // Listen for the client leaving before anything is awaited: a client gone while the join ran
    // would otherwise leave its heartbeat running, and a viewer on the ticket, forever.
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unsubscribe();
      // After the join has landed, or the leave could run first and leave the viewer behind.
      void joined.then(() => leaveTicket(ctx.db, ticketId, connectionId)).catch(() => {});
    };
    const end = () => {
      close();
      res.end();
    };
    open.add(end);
    req.raw.on('close', () => {
      open.delete(end);
      close();
    });
    res.on('close', close);
    // Gone already (while the ticket was looked up): no 'close' event is coming.
    if (!res.socket || res.socket.destroyed) {
      open.delete(end);
      close();
      return;
    }
    await joined;
    if (closed) return;
    timer = setInterval(() => {
      res.write(': keep-alive\n\n');
      void heartbeat(ctx.db, ticketId, connectionId).catch(() => {});
    }, HEARTBEAT_MS);
  });
}
