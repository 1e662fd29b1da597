import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { useSignIn, useSignOut, type SessionUser } from '../../auth/session';

/** Agents sign in with the same account login as the portal; the workspace opens once the session is staff. */
export function AgentSignIn() {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not sign in. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit} aria-labelledby="agent-sign-in-title">
        <Stack>
          <div>
            <Title order={2} id="agent-sign-in-title">
              Sundial for agents
            </Title>
            <Text c="dimmed" size="sm">
              Sign in to work on tickets.
            </Text>
          </div>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}

/** A customer who opens /agent: say why nothing is here and offer the way back or out. */
export function NotAnAgent({ user }: { user: SessionUser }) {
  const signOut = useSignOut();
  return (
    <Center mih="100vh">
      <Stack align="center" maw={420}>
        <Title order={2}>This area is for support agents</Title>
        <Text ta="center" c="dimmed">
          You are signed in as {user.email}, which is a customer account. Your requests are in the help center.
        </Text>
        <Button component={Link} to="/">
          Go to the help center
        </Button>
        <Button variant="subtle" onClick={() => void signOut()}>
          Sign in with another account
        </Button>
      </Stack>
    </Center>
  );
}
