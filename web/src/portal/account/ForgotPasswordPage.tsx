import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { post } from '../../api/client';
import { AuthCard, FormError, fieldError } from './AuthCard';

/** Also how customers who only ever emailed support (and so have an account without a password) get in. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setDone((await post<{ message: string }>('/api/portal/password-reset', { email })).message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Reset your password" intro="Enter the email address you use with Sundial Support and we will email you a link to choose a new password.">
      {done ? (
        <>
          <Alert color="green" role="status" title="Check your inbox">{done}</Alert>
          <Text size="sm">The link works once, for 24 hours.</Text>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(error, 'email')} />
            <FormError error={error} fields={['email']} />
            <Button type="submit" loading={busy}>Send reset link</Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm">Back to sign in</Anchor>
    </AuthCard>
  );
}
