import { Badge, Tooltip } from '@mantine/core';
import type { Ticket } from '../api/types';

/** The requester's rating of this ticket (spec §7), with their comment on hover. */
export function SatisfactionBadge({ rating }: { rating: Ticket['satisfaction_rating'] }) {
  if (!rating) return null;
  if (rating.score === 'offered') {
    return (
      <Badge variant="outline" color="gray" aria-label="Satisfaction survey sent">
        Survey sent
      </Badge>
    );
  }
  const badge = (
    <Badge color={rating.score === 'good' ? 'teal' : 'red'} variant="light" aria-label={`Rated ${rating.score}`}>
      Rated {rating.score === 'good' ? 'Good' : 'Bad'}
    </Badge>
  );
  return rating.comment ? <Tooltip label={`“${rating.comment}”`} multiline maw={320}>{badge}</Tooltip> : badge;
}
