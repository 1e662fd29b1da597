import { describe, expect, it } from 'vitest';
import { parseDateValue, parseQuery, QueryError } from './query.js';

describe('search query syntax', () => {
  it('splits words, phrases, fields, operators, negation and wildcards', () => {
    expect(parseQuery('type:ticket status<solved priority>=high "push proxy" -tags:spam ldap* -beta organization:"Northwind Logistics"')).toEqual([
      { kind: 'field', key: 'type', op: ':', value: 'ticket', negated: false },
      { kind: 'field', key: 'status', op: '<', value: 'solved', negated: false },
      { kind: 'field', key: 'priority', op: '>=', value: 'high', negated: false },
      { kind: 'text', text: 'push proxy', phrase: true, prefix: false, negated: false },
      { kind: 'field', key: 'tags', op: ':', value: 'spam', negated: true },
      { kind: 'text', text: 'ldap', phrase: false, prefix: true, negated: false },
      { kind: 'text', text: 'beta', phrase: false, prefix: false, negated: true },
      { kind: 'field', key: 'organization', op: ':', value: 'Northwind Logistics', negated: false },
    ]);
  });

  it('reads what node-zendesk sends and ignores punctuation-only words', () => {
    expect(parseQuery('type:ticket status<solved priority:urgent').map((t) => (t.kind === 'field' ? `${t.key}${t.op}${t.value}` : t.text))).toEqual(['type:ticket', 'status<solved', 'priority:urgent']);
    expect(parseQuery('-- ! ?')).toEqual([]);
  });

  it('refuses a key without a value', () => {
    expect(() => parseQuery('status:')).toThrow(QueryError);
  });

  it('reads calendar days, ISO times and relative ages', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    expect(parseDateValue('2026-11-01', now)).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z') });
    expect(parseDateValue('4hours', now).start).toEqual(new Date('2026-11-26T08:00:00Z'));
    expect(parseDateValue('2days', now).start).toEqual(new Date('2026-11-24T12:00:00Z'));
    expect(parseDateValue('1week', now).start).toEqual(new Date('2026-11-19T12:00:00Z'));
    expect(() => parseDateValue('yesterday', now)).toThrow(/not a date/);
  });
});
