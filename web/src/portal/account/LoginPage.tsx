import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession, useSignIn } from '../../auth/session';
import { safeNext } from '../layout/RequireSignIn';
import { AuthCard, FormError } from './AuthCard';

/** What the verification link (GET /api/portal/verify) can redirect here with. */
const VERIFY_ERRORS: Record<string, string> = {
  expired: 'This verification link has expired (links work for 24 hours). Sign in and choose “Resend verification email” to get a new one.',
  used: 'This verification link was already used. If you verified your address, just sign in.',
  invalid: 'This verification link is not valid. Make sure you opened the whole link from the email, or sign in to get a new one.',
};

export function LoginPage() {
  const [params] = useSearchParams();
  const signIn = useSignIn();
  const { data: current } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const verifyError = params.get('verify_error');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      const next = safeNext(params.get('next'));
      // The OAuth consent page is rendered by the server, outside the client router: load it for real.
      if (next.startsWith('/oauth/')) window.location.assign(next);
      else navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const badCredentials = error instanceof ApiError && error.status === 401;

  return (
    <AuthCard title="Sign in" intro="Sign in to submit requests and follow their progress.">
      {params.get('verified') === '1' && (
        <Alert color="green" role="status" title="Email address verified">
          Your email address is verified. Sign in to continue.
        </Alert>
      )}
      {params.get('password_set') === '1' && (
        <Alert color="green" role="status">Your password is set. Sign in with it now.</Alert>
      )}
      {verifyError && (
        <Alert color="red" role="alert" title="We could not verify your address">
          {VERIFY_ERRORS[verifyError] ?? VERIFY_ERRORS.invalid}
        </Alert>
      )}
      {current && (
        <Alert color="blue" role="status">
          You are signed in as {current.name}. <Anchor component={Link} to={safeNext(params.get('next'))} reloadDocument={safeNext(params.get('next')).startsWith('/oauth/')}>Continue</Anchor>, or sign in with another account below.
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          {badCredentials ? <Alert color="red" role="alert">Invalid email or password</Alert> : <FormError error={error} />}
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/forgot-password" size="sm">Forgot password?</Anchor>
            <Button type="submit" loading={busy}>Sign in</Button>
          </Group>
        </Stack>
      </form>
      <Text size="sm" c="dimmed">
        New here? <Anchor component={Link} to="/signup">Create an account</Anchor>. Had a request with us before? You already have an
        account: <Anchor component={Link} to="/forgot-password">set a password</Anchor>.
      </Text>
    </AuthCard>
  );
}
