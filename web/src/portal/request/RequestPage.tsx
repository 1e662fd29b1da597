import { Alert, Anchor, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useConversation, useSupportRequest } from '../api/queries';
import type { RequestStatus } from '../api/types';
import { StatusBadge } from '../requests/status';
import { Conversation } from './Conversation';
import { ReplyBox } from './ReplyBox';
import { RequestDetails } from './RequestDetails';
import { SolveButton } from './SolveButton';
import { SatisfactionPanel } from './SatisfactionPanel';
import { useSession } from '../../auth/session';

/** What the status means for the customer, in one sentence. */
const NEXT_STEP: Record<RequestStatus, string> = {
  new: 'We have your request and will answer soon.',
  open: 'Our support team is working on it.',
  hold: 'Our support team is working on it.',
  pending: 'We are waiting for your reply.',
  solved: 'We believe this is solved. Reply if it is not, and we will pick it up again.',
  closed: 'This request is closed.',
};

function RequestNotFound() {
  return (
    <EmptyState title="Request not found">
      It does not exist, or it is not shared with you. <Anchor component={Link} to="/requests">Go to your requests</Anchor>
    </EmptyState>
  );
}

/** `/requests/:id`: the conversation, reply box, details and the "solved" button. */
export function RequestPage() {
  const { id = '' } = useParams();
  const requestId = /^\d{1,15}$/.test(id) ? Number(id) : 0;
  const location = useLocation();
  const state = (location.state ?? {}) as { created?: boolean; followUpOf?: number };
  const request = useSupportRequest(requestId);
  const conversation = useConversation(requestId);
  const me = useSession().data;
  useDocumentTitle(request.data ? `#${request.data.id} ${request.data.subject} · Sundial Support` : 'Request · Sundial Support');

  if (!requestId) return <RequestNotFound />;
  if (request.isPending) return <Loading label="Loading the request…" />;
  if (request.isError) {
    if (request.error instanceof ApiError && request.error.status === 404) return <RequestNotFound />;
    return <ErrorState error={request.error} onRetry={() => request.refetch()} />;
  }
  const r = request.data;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/requests" size="sm">← All requests</Anchor>
      {state.created && (
        <Alert color="green" role="status" title={`Request #${r.id} submitted`}>
          We emailed you a confirmation. Answers from our team arrive by email and appear here.
        </Alert>
      )}
      {state.followUpOf && (
        <Alert color="blue" role="status" title="Follow-up opened">
          Your request was closed, so we opened follow-up #{r.id} with your reply. It links back to{' '}
          <Anchor component={Link} to={`/requests/${state.followUpOf}`}>#{state.followUpOf}</Anchor>.
        </Alert>
      )}
      <div>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>{r.subject}</Title>
          <StatusBadge status={r.status} />
        </Group>
        <Text c="dimmed" size="sm" mt={4}>
          Request #{r.id} · {NEXT_STEP[r.status]}
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {conversation.isPending ? (
              <Loading label="Loading the conversation…" />
            ) : conversation.isError ? (
              <ErrorState error={conversation.error} onRetry={() => conversation.refetch()} />
            ) : (
              <Conversation comments={conversation.data.comments} users={conversation.data.users} requesterId={r.requester_id} />
            )}
            <ReplyBox key={r.id} request={r} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            {r.can_be_solved_by_me && <SolveButton request={r} />}
            {me?.id === r.requester_id && me.role === 'end-user' && (
              <SatisfactionPanel key={r.id} request={r} />
            )}
            <RequestDetails request={r} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
