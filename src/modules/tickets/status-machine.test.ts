import { describe, expect, it } from 'vitest';
import { canTransition, customerStatus, nextStatuses, STATUSES } from './status-machine.js';

describe('ticket status machine', () => {
  it('never lets anyone return a ticket to new', () => {
    for (const from of STATUSES.filter((s) => s !== 'new')) {
      for (const by of ['agent', 'end_user', 'system'] as const) expect(canTransition(from, 'new', by)).toBe(false);
    }
  });

  it('lets only the system close, and nobody leave closed', () => {
    expect(canTransition('solved', 'closed', 'agent')).toBe(false);
    expect(canTransition('solved', 'closed', 'system')).toBe(true);
    expect(canTransition('open', 'closed', 'system')).toBe(false);
    for (const to of STATUSES.filter((s) => s !== 'closed')) expect(canTransition('closed', to, 'agent')).toBe(false);
  });

  it('lets customers reopen and solve but not park tickets', () => {
    expect(canTransition('pending', 'open', 'end_user')).toBe(true);
    expect(canTransition('solved', 'open', 'end_user')).toBe(true);
    expect(canTransition('open', 'pending', 'end_user')).toBe(false);
    expect(canTransition('open', 'hold', 'end_user')).toBe(false);
    expect(nextStatuses('open', 'end_user')).toEqual(['solved']);
  });

  it('shows on-hold to customers as open', () => {
    expect(customerStatus('hold')).toBe('open');
    expect(customerStatus('pending')).toBe('pending');
  });
});
