import { Anchor, Button, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { EnrollmentForm, RecoveryCodes } from './EnrollmentSteps';
import { codeStepMessage, twoFactorApi, useCodeSubmit, usePendingSecondStep, type Enrollment, type PendingSecondStep, type SessionAnswer } from './two-factor';

/**
 * The second step of every sign-in form (portal, agent, admin): a code or recovery code, or, when an
 * administrator requires two-factor, enrollment first. Mounted once; sign-in forms wait for it.
 */
export function TwoFactorDialog() {
  const pending = usePendingSecondStep();
  const cancel = () => pending?.reject(new ApiError(0, 'Cancelled', 'Sign-in cancelled. Enter your email and password to start again.'));
  const [done, setDone] = useState<SessionAnswer | null>(null);
  useEffect(() => setDone(null), [pending]);
  const title = done ? 'Two-factor authentication is on' : pending?.challenge.purpose === 'enroll' ? 'Set up two-factor authentication' : 'Two-factor authentication';
  return (
    <Modal opened={!!pending} onClose={() => (done ? pending?.resolve(done) : cancel())} title={title} centered closeOnClickOutside={false}>
      {pending &&
        (done ? (
          <RecoveryCodes codes={done.recovery_codes ?? []} onDone={() => pending.resolve(done)} />
        ) : pending.challenge.purpose === 'enroll' ? (
          <LoginEnrollment pending={pending} onEnrolled={setDone} />
        ) : (
          <CodeStep pending={pending} />
        ))}
    </Modal>
  );
}

function CodeStep({ pending }: { pending: PendingSecondStep }) {
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const { busy, error, setError, submit } = useCodeSubmit(async () => {
    pending.resolve(await twoFactorApi.verify(pending.challenge.challenge_token, recovery ? { recovery_code: value.trim() } : { code: value.trim() }));
  });
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{recovery ? 'Enter one of the recovery codes you saved when you set up two-factor authentication.' : 'Enter the six-digit code from your authenticator app.'}</Text>
        <TextInput
          key={recovery ? 'recovery' : 'code'}
          label={recovery ? 'Recovery code' : 'Authentication code'}
          inputMode={recovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          maxLength={recovery ? 40 : 6}
          required
          data-autofocus
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={error}
        />
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={() => (setRecovery(!recovery), setValue(''), setError(null))}>
            {recovery ? 'Use the authenticator app' : 'Use a recovery code'}
          </Anchor>
          <Button type="submit" loading={busy}>
            Verify
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function LoginEnrollment({ pending, onEnrolled }: { pending: PendingSecondStep; onEnrolled: (a: SessionAnswer) => void }) {
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    twoFactorApi.startLoginEnrollment(pending.challenge.challenge_token).then(
      (r) => setEnrollment(r.enrollment),
      (e) => setError(codeStepMessage(e)),
    );
  }, [pending]);
  if (error) return <Text c="red" role="alert" size="sm">{error}</Text>;
  if (!enrollment) return <Loader size="sm" />;
  return (
    <Stack gap="sm">
      <Text size="sm">An administrator requires two-factor authentication for agents and admins. Set it up now to continue.</Text>
      <EnrollmentForm enrollment={enrollment} onConfirm={async (code) => onEnrolled(await twoFactorApi.confirmLoginEnrollment(pending.challenge.challenge_token, code))} />
    </Stack>
  );
}
