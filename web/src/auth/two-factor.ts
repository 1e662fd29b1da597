import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { ApiError, post } from '../api/client';
import type { SessionUser } from './session';

/** What POST /api/portal/login answers: a session, or the second step it needs first. */
export interface SessionAnswer {
  user: SessionUser;
  csrf_token: string;
  recovery_codes?: string[];
}
export interface ChallengeAnswer {
  two_factor_required: true;
  purpose: 'verify' | 'enroll';
  challenge_token: string;
  expires_in: number;
}
export type LoginAnswer = SessionAnswer | ChallengeAnswer;
export const isChallenge = (a: LoginAnswer): a is ChallengeAnswer => 'two_factor_required' in a;

export interface Enrollment {
  secret: string;
  otpauth_uri: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabled_at: string | null;
  recovery_codes_remaining: number;
  required: boolean;
}

/** A sign-in waiting for its second step; the dialog settles it. */
export interface PendingSecondStep {
  challenge: ChallengeAnswer;
  resolve: (answer: SessionAnswer) => void;
  reject: (error: unknown) => void;
}

let pending: PendingSecondStep | null = null;
const listeners = new Set<() => void>();
const publish = (next: PendingSecondStep | null) => {
  pending = next;
  listeners.forEach((l) => l());
};

/**
 * Opens the second-step dialog (mounted once in App) and resolves when it has opened a session, so
 * every sign-in form awaits the whole sign-in without knowing about two-factor.
 */
export function completeSecondStep(challenge: ChallengeAnswer): Promise<SessionAnswer> {
  pending?.reject(new ApiError(0, 'Cancelled', 'Sign-in cancelled.'));
  return new Promise((resolve, reject) =>
    publish({
      challenge,
      resolve: (a) => {
        publish(null);
        resolve(a);
      },
      reject: (e) => {
        publish(null);
        reject(e);
      },
    }),
  );
}

export function usePendingSecondStep(): PendingSecondStep | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );
}

/** The API client turns 401 into "Please sign in."; at the code step it means a wrong code or an expired sign-in. */
export function codeStepMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'That code is not correct, or this sign-in has expired. Try again, or start over.';
  if (error instanceof ApiError && error.status === 429) return `Too many attempts. Try again in ${error.retryAfter ?? 60} seconds.`;
  if (error instanceof ApiError) {
    const details = Object.values(error.details).flatMap((ps) => ps.map((p) => p.description));
    return details.length ? details.join(' ') : error.message;
  }
  return 'Something went wrong. Please try again.';
}

export const twoFactorApi = {
  verify: (challenge_token: string, factor: { code: string } | { recovery_code: string }) => post<SessionAnswer>('/api/portal/login/two_factor', { challenge_token, ...factor }),
  startLoginEnrollment: (challenge_token: string) => post<{ enrollment: Enrollment }>('/api/portal/login/two_factor/enrollment', { challenge_token }),
  confirmLoginEnrollment: (challenge_token: string, code: string) => post<SessionAnswer>('/api/portal/login/two_factor/enrollment/confirm', { challenge_token, code }),
  startEnrollment: () => post<{ enrollment: Enrollment }>('/api/portal/two_factor/enrollment'),
  confirmEnrollment: (code: string) => post<{ two_factor: TwoFactorStatus; recovery_codes: string[] }>('/api/portal/two_factor/enrollment/confirm', { code }),
  disable: (password: string, factor: { code: string } | { recovery_code: string }) => post<{ two_factor: TwoFactorStatus }>('/api/portal/two_factor/disable', { password, ...factor }),
  regenerateRecoveryCodes: (password: string, factor: { code: string } | { recovery_code: string }) =>
    post<{ two_factor: TwoFactorStatus; recovery_codes: string[] }>('/api/portal/two_factor/recovery_codes', { password, ...factor }),
};

/** The base32 secret in groups of four, easier to type into an app. */
export const groupSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** A form's submit handler with its busy flag and error message (the second-step wording). */
export function useCodeSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(codeStepMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
