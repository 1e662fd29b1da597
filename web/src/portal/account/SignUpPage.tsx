import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { post } from '../../api/client';
import { AuthCard, FormError, fieldError } from './AuthCard';

const FIELDS = ['name', 'email', 'password'];

export function SignUpPage() {
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ message: string }>('/api/portal/signup', form);
      setDone(res.message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <AuthCard title="Check your inbox">
        <Alert color="green" role="status">{done}</Alert>
        <Text size="sm">
          We sent it to <b>{form.email}</b>. The link works for 24 hours. Nothing arrived? Check your spam folder, or{' '}
          <Anchor component={Link} to="/forgot-password">set a password</Anchor> if you already had an account.
        </Text>
        <Button component={Link} to="/login" variant="light">Go to sign in</Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Create your account" intro="Use your work email: requests from your organization are then linked to its support plan.">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Name" autoComplete="name" required value={form.name} onChange={set('name')} error={fieldError(error, 'name')} />
          <TextInput label="Email" type="email" autoComplete="email" required value={form.email} onChange={set('email')} error={fieldError(error, 'email')} />
          <PasswordInput
            label="Password"
            description="At least 8 characters; avoid common passwords."
            autoComplete="new-password"
            required
            value={form.password}
            onChange={set('password')}
            error={fieldError(error, 'password')}
          />
          <FormError error={error} fields={FIELDS} />
          <Button type="submit" loading={busy} mt="xs">Create account</Button>
        </Stack>
      </form>
      <Text size="sm" c="dimmed">
        Already have an account? <Anchor component={Link} to="/login">Sign in</Anchor>
      </Text>
    </AuthCard>
  );
}
