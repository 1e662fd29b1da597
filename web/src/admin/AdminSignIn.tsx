import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSignIn } from '../auth/session';
import { FormError } from './ui';

/** Administrators sign in with their portal account; the session decides what they see next. */
export function AdminSignIn() {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      // The client turns every 401 into "Please sign in."; at the sign-in form it means wrong credentials.
      if (err instanceof ApiError && err.status === 401) setError('The email or password is not correct.');
      else if (err instanceof ApiError && err.status === 429) setError(`Too many attempts. Try again in ${err.retryAfter ?? 60} seconds.`);
      else setError(err instanceof ApiError ? err.message : 'Could not sign in. Please try again.');
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" maw={400} w="100%" component="form" onSubmit={submit}>
        <Stack>
          <div>
            <Title order={1} size="h3">
              Sundial Admin
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with your administrator account.
            </Text>
          </div>
          <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <FormError message={error} title="Not signed in" />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
