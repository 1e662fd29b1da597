import { Alert, Box, Button, Group, Modal, Pagination, Stack, Text, Title, type ModalProps } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { errorMessage } from './hooks';

/**
 * Splits an API error into messages for the form's own fields and one general message for the rest.
 * Keys such as `domain_names.0` belong to their field (`domain_names`).
 */
export function splitApiError(error: unknown, fields: readonly string[]): { fieldErrors: Record<string, string>; general: string | null } {
  const fieldErrors: Record<string, string> = {};
  if (!(error instanceof ApiError)) return { fieldErrors, general: errorMessage(error) };
  const rest: string[] = [];
  for (const [key, problems] of Object.entries(error.details)) {
    const field = key.split('.')[0];
    const text = problems.map((p) => p.description).join(' ');
    if (fields.includes(field)) fieldErrors[field] ??= text;
    else rest.push(text);
  }
  const general = rest.length ? rest.join(' ') : Object.keys(fieldErrors).length ? null : error.message;
  return { fieldErrors, general };
}

type SplitErrors = ReturnType<typeof splitApiError>;

/**
 * Sends a form's values through a mutation and spreads a failure over the form: field messages onto
 * their fields, the rest into `general` (for FormError). `mapErrors` moves errors whose field has
 * another name, or is shared by one control, before they are shown.
 */
export function useFormSubmit<TVars>(
  form: { setErrors: (errors: Record<string, string>) => void },
  mutation: { mutate: (vars: TVars, options: { onError: (error: unknown) => void }) => void },
  fields: readonly string[],
  mapErrors?: (errors: SplitErrors) => SplitErrors,
) {
  const [general, setGeneral] = useState<string | null>(null);
  const submit = (vars: TVars) => {
    setGeneral(null);
    mutation.mutate(vars, {
      onError: (e) => {
        const split = splitApiError(e, fields);
        const { fieldErrors, general } = mapErrors ? mapErrors(split) : split;
        form.setErrors(fieldErrors);
        setGeneral(general);
      },
    });
  };
  return { submit, general };
}

/** The part of a failed save that belongs to no single field. */
export function FormError({ message, title = 'Not saved' }: { message: string | null | undefined; title?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" title={title}>
      {message}
    </Alert>
  );
}

/** Mantine's Modal with the admin area's defaults; its close button is otherwise an unnamed icon to screen readers. */
export function AdminModal(props: ModalProps) {
  return <Modal centered closeButtonProps={{ 'aria-label': 'Close' }} {...props} />;
}

/** The mutation a confirmation runs on its target (a TanStack mutation fits). */
interface ConfirmAction<T> {
  isPending: boolean;
  error: unknown;
  mutate: (target: T) => void;
  reset: () => void;
}

interface ConfirmProps<T> {
  /** What the action applies to; the modal is open while it is set. */
  target: T | null;
  action: ConfirmAction<T>;
  /** Clears the target; the action's error is reset with it. */
  onClose: () => void;
  title: string;
  confirmLabel: string;
  children: ReactNode;
}

/** Destructive actions always pass through this: the consequence in words, then an explicit red button. */
export function ConfirmModal<T>({ target, action, onClose, title, confirmLabel, children }: ConfirmProps<T>) {
  const close = () => {
    onClose();
    action.reset();
  };
  return (
    <AdminModal opened={target !== null} onClose={close} title={title}>
      <Stack>
        <Text size="sm" component="div">
          {children}
        </Text>
        <FormError message={action.error ? errorMessage(action.error) : null} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={action.isPending} onClick={() => target !== null && action.mutate(target)}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </AdminModal>
  );
}

/** Page links under a list; with no total count (some lists omit it) it still allows going forward. */
export function Pager({ page, count, perPage, hasNext, onChange }: { page: number; count: number | null; perPage: number; hasNext: boolean; onChange: (page: number) => void }) {
  const total = count !== null ? Math.max(1, Math.ceil(count / perPage)) : page + (hasNext ? 1 : 0);
  if (total <= 1) return null;
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {count !== null ? `${count} in total` : ''}
      </Text>
      <Pagination total={total} value={page} onChange={onChange} size="sm" aria-label="Pages" />
    </Group>
  );
}

/** Title, one line on what the page is for, and its main action, kept on one row beside long text. */
export function PageHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap" gap="lg">
      <Box style={{ flex: 1 }}>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </Box>
      {action}
    </Group>
  );
}

/** A row's Edit button, named for the record so screen readers and tests can tell rows apart. */
export function EditButton({ name, onClick, variant = 'default' }: { name: string; onClick: () => void; variant?: 'default' | 'light' }) {
  return (
    <Button size="xs" variant={variant} onClick={onClick} aria-label={`Edit ${name}`}>
      Edit
    </Button>
  );
}

/** A row's Delete button; the confirmation is the page's ConfirmModal. */
export function DeleteButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="subtle" color="red" onClick={onClick} aria-label={`Delete ${name}`}>
      Delete
    </Button>
  );
}

/** A modal form's footer: Cancel, and the submit button that shows the save in flight. */
export function ModalActions({ onCancel, pending, submitLabel }: { onCancel: () => void; pending: boolean; submitLabel: ReactNode }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Group>
  );
}
