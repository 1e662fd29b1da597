import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { refreshLists, refreshTicket } from '../api/queries';

export interface Viewer {
  id: number;
  name: string;
}

interface TicketEvent {
  ticket_id: number;
  author_id: number | null;
}

/**
 * Subscribes to the ticket's server-sent events: changes made anywhere (another agent, the
 * customer, an automation, another node) refresh the page in place, and presence lists the other
 * agents who have it open. Without the stream the page still works; conflicts are then caught by
 * the safe update.
 */
export function useLiveTicket(ticketId: number, myId: number) {
  const qc = useQueryClient();
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [changedBy, setChangedBy] = useState<{ authorId: number | null; at: string } | null>(null);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v2/live/tickets/${ticketId}`, { withCredentials: true });
    source.addEventListener('ticket', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as TicketEvent;
      // Refresh even for our own writes: another tab of ours may have made them.
      void refreshTicket(qc, ticketId);
      void refreshLists(qc);
      if (event.author_id !== myId) setChangedBy({ authorId: event.author_id, at: new Date().toISOString() });
    });
    source.addEventListener('presence', (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as { viewers: Viewer[] };
      setViewers(data.viewers.filter((v) => v.id !== myId));
    });
    return () => source.close();
  }, [ticketId, myId, qc]);

  return { viewers, changedBy, dismissChange: () => setChangedBy(null) };
}
