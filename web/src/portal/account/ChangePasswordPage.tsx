import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { post } from '../../api/client';
import { AuthCard, FormError, fieldError } from './AuthCard';
import { NewPasswordFields } from './NewPasswordFields';

export function ChangePasswordPage() {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (password !== confirm) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const res = await post<{ message: string }>('/api/portal/password', { current_password: current, password });
      setDone(res.message);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setTried(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Change password">
      {done && <Alert color="green" role="status">{done}</Alert>}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput label="Current password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fieldError(error, 'current_password')} />
          <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} serverError={fieldError(error, 'password')} showMismatch={tried} />
          <FormError error={error} fields={['current_password', 'password']} />
          <Button type="submit" loading={busy}>Change password</Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
