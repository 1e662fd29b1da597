import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../api/client';
import { fetchAll, keys, STAFF_PATH, type Organization, type User } from './api';

/** All organizations, for pickers and for showing a user's organization by name. */
export function useAllOrganizations() {
  return useQuery({ queryKey: [...keys.organizations, 'all'], queryFn: () => fetchAll<Organization>('/api/v2/organizations', 'organizations') });
}

/** All agents and admins, for adding group members. */
export function useAllStaff() {
  return useQuery({ queryKey: [...keys.users, 'staff', 'all'], queryFn: () => fetchAll<User>(STAFF_PATH, 'users') });
}

interface AdminMutation<TVars, TData> {
  mutationFn: (vars: TVars) => Promise<TData>;
  /** Lists this write changes; each is refetched after success. */
  invalidate: QueryKey[];
  /** Success notification; a function gets the server's answer (for names the server normalised). */
  success: string | ((data: TData, vars: TVars) => string);
  onSuccess?: (data: TData, vars: TVars) => void;
  /**
   * Whether failures are shown as a notification. Forms turn this off and show the error inline
   * next to the fields instead, so the message sits where the problem is.
   */
  notifyError?: boolean;
}

/** A write with the admin area's conventions: invalidate what changed, say so, or say what failed. */
export function useAdminMutation<TVars, TData = unknown>(o: AdminMutation<TVars, TData>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: o.mutationFn,
    onSuccess: async (data, vars) => {
      o.onSuccess?.(data, vars);
      notifications.show({ color: 'green', title: 'Done', message: typeof o.success === 'function' ? o.success(data, vars) : o.success });
      await Promise.all(o.invalidate.map((queryKey) => qc.invalidateQueries({ queryKey })));
    },
    onError: (error) => {
      if (o.notifyError === false) return;
      notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(error) });
    },
  });
}

/**
 * What to tell the admin about a failed request. Validation errors carry their reasons in `details`
 * (the top-level description is only "Record validation errors"), so those come first.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const reasons = Object.values(error.details).flatMap((problems) => problems.map((p) => p.description));
  return reasons.length ? reasons.join(' ') : error.message;
}

/**
 * When the session ends while the admin area is open (expired, signed out elsewhere, deactivated), any
 * admin request answers 401; re-checking the session then shows the sign-in form instead of errors.
 */
export function useSessionExpiryWatch() {
  const qc = useQueryClient();
  useEffect(() => {
    const expired = (e: unknown) => e instanceof ApiError && e.status === 401;
    const unsubscribeQueries = qc.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && event.query.queryKey[0] === 'admin' && expired(event.action.error)) qc.invalidateQueries({ queryKey: ['session'] });
    });
    const unsubscribeMutations = qc.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && expired(event.action.error)) qc.invalidateQueries({ queryKey: ['session'] });
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [qc]);
}
