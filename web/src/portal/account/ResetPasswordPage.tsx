import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { post } from '../../api/client';
import { AuthCard, FormError, fieldError } from './AuthCard';
import { NewPasswordFields } from './NewPasswordFields';

/** "Token: this reset link has expired" → "This reset link has expired." */
const sentence = (text: string) => {
  const t = text.replace(/^Token: /, '');
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${t.endsWith('.') ? '' : '.'}`;
};

/** The page the mailed reset link opens (`/reset-password?token=…`). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      await post('/api/portal/password-reset/confirm', { token, password });
      navigate('/login?password_set=1', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const tokenProblem = !token ? 'This page needs the link from your email.' : fieldError(error, 'token');
  return (
    <AuthCard title="Choose a new password">
      {tokenProblem && (
        <Alert color="red" role="alert" title="This link cannot be used">
          {sentence(tokenProblem)}{' '}
          <Anchor component={Link} to="/forgot-password">Request a new link</Anchor>
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} serverError={fieldError(error, 'password')} showMismatch={tried} />
          <FormError error={error} fields={['token', 'password']} />
          <Button type="submit" loading={busy} disabled={!token}>Set password</Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
