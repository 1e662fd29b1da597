import { Alert, Anchor, Button, Code, CopyButton, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { groupSecret, useCodeSubmit, type Enrollment } from './two-factor';

/** Shows the authenticator secret (otpauth URI and text, no QR image) and takes the first code. */
export function EnrollmentForm({ enrollment, onConfirm, busy }: { enrollment: Enrollment; onConfirm: (code: string) => Promise<void>; busy?: boolean }) {
  const [code, setCode] = useState('');
  const { busy: sending, error, submit } = useCodeSubmit(() => onConfirm(code.trim()));
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">
          Add Sundial to an authenticator app (1Password, Google Authenticator, Authy, …). On this device, open the setup link; elsewhere, type the key by hand as a time-based (TOTP) account.
        </Text>
        <div>
          <Text size="sm" fw={500}>
            Setup key
          </Text>
          <Group gap="xs">
            <Code fz="md" data-testid="two-factor-secret">
              {groupSecret(enrollment.secret)}
            </Code>
            <CopyButton value={enrollment.secret}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy key'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </div>
        <div>
          <Text size="sm" fw={500}>
            Setup link
          </Text>
          <Anchor href={enrollment.otpauth_uri} size="xs" style={{ wordBreak: 'break-all' }} data-testid="two-factor-uri">
            {enrollment.otpauth_uri}
          </Anchor>
        </div>
        <TextInput
          label="Code from the app"
          description="Six digits; it changes every 30 seconds"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={error}
        />
        <Button type="submit" loading={sending || busy}>
          Turn on two-factor authentication
        </Button>
      </Stack>
    </form>
  );
}

/** The recovery codes, shown once right after enrollment. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone?: () => void }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Save your recovery codes now">
        Each code signs you in once if you lose your authenticator. They are shown only this once; keep them somewhere safe, such as a password manager.
      </Alert>
      <List spacing={2} ff="monospace" data-testid="recovery-codes" listStyleType="none">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy codes'}
            </Button>
          )}
        </CopyButton>
        {onDone && <Button onClick={onDone}>I have saved my recovery codes</Button>}
      </Group>
    </Stack>
  );
}
