import { Alert, Badge, Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../api/client';
import { ErrorState, Loading } from '../ui/PageState';
import { EnrollmentForm, RecoveryCodes } from './EnrollmentSteps';
import { codeStepMessage, twoFactorApi, useCodeSubmit, type Enrollment, type TwoFactorStatus } from './two-factor';

const statusKey = ['two-factor-status'];

/** The signed-in agent's or admin's own two-factor: set up, see recovery codes once, replace them, turn off. */
export function TwoFactorSettings() {
  const qc = useQueryClient();
  const status = useQuery({ queryKey: statusKey, queryFn: async () => (await get<{ two_factor: TwoFactorStatus }>('/api/portal/two_factor')).two_factor });
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: statusKey });

  const start = async () => {
    setError(null);
    try {
      setEnrollment((await twoFactorApi.startEnrollment()).enrollment);
    } catch (e) {
      setError(codeStepMessage(e));
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-label="Two-factor authentication">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            Two-factor authentication
          </Title>
          {status.data && <Badge color={status.data.enabled ? 'green' : 'gray'}>{status.data.enabled ? 'On' : 'Off'}</Badge>}
        </Group>
        <Text size="sm" c="dimmed">
          After your password, Sundial asks for a code from an authenticator app on your phone. API tokens keep working without it.
        </Text>
        {status.isPending ? (
          <Loading />
        ) : status.isError ? (
          <ErrorState error={status.error} onRetry={() => status.refetch()} />
        ) : codes ? (
          <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
        ) : status.data.enabled ? (
          <>
            <Text size="sm">
              On since {new Date(status.data.enabled_at!).toLocaleString()}. {status.data.recovery_codes_remaining} of 10 recovery codes left.
            </Text>
            <ReconfirmForm
              title="New recovery codes"
              hint="Replaces all your recovery codes, used or not: the old ones stop working at once."
              submitLabel="Get new recovery codes"
              onConfirm={async (password, factor) => {
                setCodes((await twoFactorApi.regenerateRecoveryCodes(password, factor)).recovery_codes);
                await refresh();
              }}
            />
            {status.data.required ? (
              <Alert color="blue">An administrator requires two-factor authentication for agents and admins, so it cannot be turned off.</Alert>
            ) : (
              <ReconfirmForm
                title="Turn off"
                submitLabel="Turn off two-factor authentication"
                danger
                onConfirm={async (password, factor) => {
                  await twoFactorApi.disable(password, factor);
                  await refresh();
                }}
              />
            )}
          </>
        ) : enrollment ? (
          <EnrollmentForm
            enrollment={enrollment}
            onConfirm={async (code) => {
              const r = await twoFactorApi.confirmEnrollment(code);
              setEnrollment(null);
              setCodes(r.recovery_codes);
              await refresh();
            }}
          />
        ) : (
          <>
            {error && <Alert color="red">{error}</Alert>}
            <Button onClick={start} w="fit-content">
              Set up two-factor authentication
            </Button>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * Changes that re-confirm the person first (turning off, new recovery codes): the password and a code
 * from the app, or a recovery code.
 */
function ReconfirmForm(props: {
  title: string;
  hint?: string;
  submitLabel: string;
  danger?: boolean;
  onConfirm: (password: string, factor: { code: string } | { recovery_code: string }) => Promise<void>;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, error, submit } = useCodeSubmit(async () => {
    const value = code.trim();
    await props.onConfirm(password, /^\d{6}$/.test(value) ? { code: value } : { recovery_code: value });
  });
  return (
    <form onSubmit={submit} aria-label={props.submitLabel}>
      <Stack gap="xs" maw={360}>
        <Text size="sm" fw={500}>
          {props.title}
        </Text>
        {props.hint && (
          <Text size="xs" c="dimmed">
            {props.hint}
          </Text>
        )}
        <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <TextInput label="Code or recovery code" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        <Button type="submit" color={props.danger ? 'red' : undefined} variant="light" loading={busy} w="fit-content">
          {props.submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
