import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError, post } from '../../api/client';

/**
 * Unverified customers may sign in but not submit (the API answers 403): say so up front and offer a
 * new link, since the first one may have expired or gone to spam.
 */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, setState] = useState<{ sending: boolean; message?: string; error?: string }>({ sending: false });

  const resend = async () => {
    setState({ sending: true });
    try {
      const res = await post<{ message: string }>('/api/portal/verification/resend');
      setState({ sending: false, message: res.message });
    } catch (e) {
      const wait = e instanceof ApiError && e.status === 429 ? ' You asked for several links recently; wait a while and try again.' : '';
      setState({ sending: false, error: (e instanceof ApiError ? e.message : 'Could not send the email.') + wait });
    }
  };

  return (
    <Alert color="yellow" title="Verify your email address" mb="md" role="status">
      <Text size="sm">
        Before you can submit requests, confirm that <b>{email}</b> is yours: open the link we emailed you.
      </Text>
      <Group mt="xs" gap="sm">
        <Button size="xs" variant="white" color="dark" onClick={resend} loading={state.sending}>
          Resend verification email
        </Button>
        {state.message && <Text size="sm" role="status">{state.message}</Text>}
        {state.error && <Text size="sm" c="red" role="alert">{state.error}</Text>}
      </Group>
    </Alert>
  );
}
