import { Alert, Button, Group, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { del, get, put } from '../../api/client';
import { TwoFactorSettings } from '../../auth/TwoFactorSettings';
import { ErrorState, Loading } from '../../ui/PageState';
import { errorMessage, useAdminMutation } from '../hooks';

interface SecuritySettings {
  require_two_factor_for_staff: boolean;
}
const settingsKey = ['security-settings'];

/** The admin's own two-factor, the desk-wide requirement, and resetting someone's two-factor. */
export function SecurityPage() {
  return (
    <Stack>
      <Title order={1} size="h2">
        Security
      </Title>
      <TwoFactorSettings />
      <RequireTwoFactorCard />
      <ResetTwoFactorCard />
    </Stack>
  );
}

function RequireTwoFactorCard() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: async () => (await get<{ security_settings: SecuritySettings }>('/api/v2/security_settings')).security_settings });
  const save = useAdminMutation({
    mutationFn: (require: boolean) => put<{ security_settings: SecuritySettings }>('/api/v2/security_settings', { security_settings: { require_two_factor_for_staff: require } }),
    invalidate: [settingsKey, ['two-factor-status']],
    success: (d) => (d.security_settings.require_two_factor_for_staff ? 'Agents and admins now need two-factor authentication' : 'Two-factor authentication is optional again'),
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Require two-factor authentication">
      <Stack>
        <Title order={2} size="h3">
          Require two-factor authentication
        </Title>
        {settings.isPending ? (
          <Loading />
        ) : settings.isError ? (
          <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
        ) : (
          <Switch
            label="Require two-factor authentication for agents and admins"
            description="Staff without it are signed out and set it up at their next sign-in. API tokens and OAuth tokens keep working; signing in to the API with email and password does not."
            checked={settings.data.require_two_factor_for_staff}
            disabled={save.isPending}
            onChange={(e) => save.mutate(e.currentTarget.checked)}
          />
        )}
      </Stack>
    </Paper>
  );
}

function ResetTwoFactorCard() {
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const found = await get<{ users: { id: number; email: string }[] }>(`/api/v2/users/search?query=${encodeURIComponent(`email:${email.trim()}`)}`);
      const user = found.users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
      if (!user) throw new Error(`No user has the address ${email.trim()}`);
      await del(`/api/v2/users/${user.id}/two_factor`);
      setMessage({ ok: true, text: `Two-factor authentication of ${user.email} is reset and their sessions ended.` });
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error && !('status' in err) ? err.message : errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-label="Reset two-factor authentication">
      <form onSubmit={submit}>
        <Stack>
          <Title order={2} size="h3">
            Reset someone's two-factor authentication
          </Title>
          <Text size="sm" c="dimmed">
            For a user who lost both the authenticator and the recovery codes: they sign in with the password next time (and set it up again where it is required). The reset is in the audit log.
          </Text>
          <Group align="flex-end">
            <TextInput label="User's email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} w={320} />
            <Button type="submit" color="red" variant="light" loading={busy}>
              Reset two-factor
            </Button>
          </Group>
          {message && <Alert color={message.ok ? 'green' : 'red'}>{message.text}</Alert>}
        </Stack>
      </form>
    </Paper>
  );
}
