import { Stack, Title } from '@mantine/core';
import { TwoFactorSettings } from './TwoFactorSettings';

/** The agent's account security page (/agent/account): two-factor authentication. */
export function AccountSecurityPage() {
  return (
    <Stack p="md" maw={720}>
      <Title order={1} size="h2">
        Account security
      </Title>
      <TwoFactorSettings />
    </Stack>
  );
}
