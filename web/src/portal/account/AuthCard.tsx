import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';

/** The narrow centred card every account page (sign in, sign up, passwords) uses. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  useDocumentTitle(`${title} · Sundial Support`);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" maw={440} mx="auto" mt={{ base: 'xs', sm: 'xl' }}>
      <Stack gap="md">
        <div>
          <Title order={1} size="h2">{title}</Title>
          {intro && <Text c="dimmed" size="sm" mt={4}>{intro}</Text>}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

/** "Try again in 3 minutes" from a 429's Retry-After. */
export function retryText(seconds?: number): string {
  if (!seconds) return 'Try again in a few minutes.';
  return seconds < 90 ? `Try again in ${seconds} seconds.` : `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/**
 * The part of an error that no field shows: rate limits, network trouble, server faults. Field
 * problems (422 details) are shown beside their inputs instead, so they are skipped here.
 */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null;
  if (error instanceof ApiError) {
    if (error.status === 422 && fields.some((f) => error.field(f))) return null;
    // A 422 about something without an input of its own: its detail says more than "Record validation errors".
    const detail = Object.values(error.details)[0]?.[0]?.description;
    const text = error.status === 429 ? `Too many attempts. ${retryText(error.retryAfter)}` : error.status === 422 && detail ? detail : error.message;
    return <Alert color="red" role="alert">{text}</Alert>;
  }
  return <Alert color="red" role="alert">Something went wrong. Please try again.</Alert>;
}

/** The message for one field from a 422, if any. */
export const fieldError = (error: unknown, name: string) => (error instanceof ApiError ? error.field(name) : undefined);
