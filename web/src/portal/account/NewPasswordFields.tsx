import { PasswordInput } from '@mantine/core';

/** New password + confirmation; the mismatch is caught here so a typo never locks anyone out. */
export function NewPasswordFields(props: {
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
  serverError?: string;
  showMismatch: boolean;
}) {
  const mismatch = props.showMismatch && props.confirm !== props.password ? 'The two passwords do not match' : undefined;
  return (
    <>
      <PasswordInput
        label="New password"
        description="At least 8 characters; avoid common passwords."
        autoComplete="new-password"
        required
        value={props.password}
        onChange={(e) => props.onPassword(e.currentTarget.value)}
        error={props.serverError}
      />
      <PasswordInput
        label="Confirm new password"
        autoComplete="new-password"
        required
        value={props.confirm}
        onChange={(e) => props.onConfirm(e.currentTarget.value)}
        error={mismatch}
      />
    </>
  );
}
