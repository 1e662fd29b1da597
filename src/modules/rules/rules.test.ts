import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { conditionHolds, conditionsHold, type RuleState } from './conditions.js';
import { renderPlaceholders } from './placeholders.js';
import { buildWebhookRequest, signWebhook } from './webhook-delivery.js';
import { isUlid, ulid } from './ulid.js';

const state = (over: Partial<RuleState> = {}, ticket: Partial<RuleState['ticket']> = {}): RuleState => ({
  ticket: {
    status: 'open', priority: 'high', type: null, group_id: 7, assignee_id: 3, requester_id: 9, organization_id: null, form_id: 1,
    tags: ['vip', 'billing'], custom_fields: { '42': 'red', '43': ['a', 'b'] }, subject: 'Printer on fire (again)', description: 'Smoke everywhere', via_channel: 'email',
    ...ticket,
  },
  previous: new Map(),
  isCreate: false,
  updater: { id: 3, role: 'agent' },
  updateVia: 'api',
  comment: { body: 'Please call me ASAP', public: true },
  satisfaction: 'unoffered',
  ...over,
});

describe('trigger conditions', () => {
  it('compare values, resolve current_user and requester_id, and order status and priority', () => {
    const s = state();
    expect(conditionHolds(s, { field: 'assignee_id', operator: 'is', value: 'current_user' })).toBe(true);
    expect(conditionHolds(s, { field: 'assignee_id', operator: 'is', value: 'requester_id' })).toBe(false);
    expect(conditionHolds(s, { field: 'requester_id', operator: 'is_not', value: 'current_user' })).toBe(true);
    expect(conditionHolds(s, { field: 'organization_id', operator: 'is', value: '' })).toBe(true);
    expect(conditionHolds(s, { field: 'status', operator: 'less_than', value: 'solved' })).toBe(true);
    expect(conditionHolds(s, { field: 'status', operator: 'greater_than', value: 'open' })).toBe(false);
    expect(conditionHolds(s, { field: 'priority', operator: 'greater_than', value: 'normal' })).toBe(true);
    expect(conditionHolds(state({}, { priority: null }), { field: 'priority', operator: 'less_than', value: 'urgent' })).toBe(false);
  });

  it('see what the update changed: changed, changed to, changed from', () => {
    const s = state({ previous: new Map([['status', 'pending']]) });
    expect(conditionHolds(s, { field: 'status', operator: 'changed', value: null })).toBe(true);
    expect(conditionHolds(s, { field: 'status', operator: 'value', value: 'open' })).toBe(true);
    expect(conditionHolds(s, { field: 'status', operator: 'value_previous', value: 'pending' })).toBe(true);
    expect(conditionHolds(s, { field: 'status', operator: 'not_value_previous', value: 'pending' })).toBe(false);
    expect(conditionHolds(s, { field: 'priority', operator: 'changed', value: null })).toBe(false);
    expect(conditionHolds(s, { field: 'priority', operator: 'not_changed', value: null })).toBe(true);
  });

  it('match words, strings, tags, channels, roles and comments like Zendesk', () => {
    const s = state();
    expect(conditionHolds(s, { field: 'subject_includes_word', operator: 'includes', value: 'fire water' })).toBe(true);
    expect(conditionHolds(s, { field: 'subject_includes_word', operator: 'includes', value: 'fir' })).toBe(false);
    expect(conditionHolds(s, { field: 'subject_includes_word', operator: 'is', value: 'on fire (ag' })).toBe(true);
    expect(conditionHolds(s, { field: 'comment_includes_word', operator: 'includes', value: 'asap' })).toBe(true);
    expect(conditionHolds(state({ comment: null }), { field: 'comment_includes_word', operator: 'not_includes', value: 'asap' })).toBe(true);
    expect(conditionHolds(s, { field: 'current_tags', operator: 'includes', value: 'gold vip' })).toBe(true);
    expect(conditionHolds(s, { field: 'current_tags', operator: 'not_includes', value: 'billing' })).toBe(false);
    expect(conditionHolds(s, { field: 'via_id', operator: 'is', value: '4' })).toBe(true);
    expect(conditionHolds(s, { field: 'via_id', operator: 'is', value: 'email' })).toBe(true);
    expect(conditionHolds(s, { field: 'current_via_id', operator: 'is', value: 5 })).toBe(true);
    expect(conditionHolds(s, { field: 'role', operator: 'is_not', value: 'end_user' })).toBe(true);
    expect(conditionHolds(state({ updater: { id: null, role: null } }), { field: 'role', operator: 'is', value: 'agent' })).toBe(false);
    expect(conditionHolds(s, { field: 'comment_is_public', operator: 'is', value: 'true' })).toBe(true);
    expect(conditionHolds(s, { field: 'comment_is_public', operator: 'is', value: 'false' })).toBe(false);
    expect(conditionHolds(s, { field: 'custom_fields_42', operator: 'is', value: 'red' })).toBe(true);
    expect(conditionHolds(s, { field: 'custom_fields_43', operator: 'includes', value: 'b' })).toBe(true);
    expect(conditionHolds(s, { field: 'update_type', operator: 'is', value: 'Change' })).toBe(true);
    expect(conditionHolds(s, { field: 'no_such_field', operator: 'is', value: 'x' })).toBe(false);
  });

  it('need every `all` and, when there are any, one `any`', () => {
    const s = state();
    const yes = { field: 'status', operator: 'is', value: 'open' };
    const no = { field: 'status', operator: 'is', value: 'solved' };
    expect(conditionsHold(s, { all: [yes], any: [] })).toBe(true);
    expect(conditionsHold(s, { all: [yes], any: [no] })).toBe(false);
    expect(conditionsHold(s, { all: [yes], any: [no, yes] })).toBe(true);
    expect(conditionsHold(s, { all: [yes, no], any: [] })).toBe(false);
  });
});

describe('placeholders', () => {
  it('fill known names, blank unknown ones, and escape for JSON and HTML', () => {
    const values = { 'ticket.id': '7', 'ticket.title': 'Say "hi" <b>' };
    expect(renderPlaceholders('#{{ticket.id}} {{ ticket.title }} {{nope.nothing}}!', values)).toBe('#7 Say "hi" <b> !');
    expect(JSON.parse(renderPlaceholders('{"t": "{{ticket.title}}"}', values, 'json'))).toEqual({ t: 'Say "hi" <b>' });
    expect(renderPlaceholders('<p>{{ticket.title}}</p>', values, 'html')).toBe('<p>Say &quot;hi&quot; &lt;b&gt;</p>');
  });
});

describe('webhook requests', () => {
  const hook = { id: ulid(), endpoint: 'https://example.com/hook?x=1', http_method: 'POST' as const, request_format: 'json' as const, authentication: null, custom_headers: { 'X-Team': 'support' }, signing_secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==' };
  const now = new Date('2021-07-25T10:00:00.123Z');

  it('are signed as base64(HMAC-SHA256(secret, timestamp + body)) with Zendesk headers', () => {
    const req = buildWebhookRequest(hook, 'INV1', '{"say": "hello"}', now);
    expect(req.headers['x-zendesk-webhook-signature-timestamp']).toBe('2021-07-25T10:00:00Z');
    expect(req.headers['x-zendesk-webhook-signature']).toBe(createHmac('sha256', hook.signing_secret).update('2021-07-25T10:00:00Z{"say": "hello"}').digest('base64'));
    expect(req.headers).toMatchObject({ 'x-zendesk-webhook-id': hook.id, 'x-zendesk-webhook-invocation-id': 'INV1', 'content-type': 'application/json', 'x-team': 'support' });
    expect(signWebhook('k', 't', 'b')).toBe(createHmac('sha256', 'k').update('tb').digest('base64'));
  });

  it('put GET parameters in the query, sign the empty body, and form-encode pairs', () => {
    const get = buildWebhookRequest({ ...hook, http_method: 'GET' }, 'INV2', '[["ticket", "7"], ["state", "open"]]', now);
    expect(get.url).toBe('https://example.com/hook?x=1&ticket=7&state=open');
    expect(get.body).toBe('');
    expect(get.headers['content-type']).toBeUndefined();
    expect(get.headers['x-zendesk-webhook-signature']).toBe(signWebhook(hook.signing_secret, '2021-07-25T10:00:00Z', ''));
    const form = buildWebhookRequest({ ...hook, request_format: 'form_encoded' }, 'INV3', '{"ticket": "7", "note": "a b&c"}', now);
    expect(form.body).toBe('ticket=7&note=a+b%26c');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('carry credentials in headers and name them for the log filter', () => {
    const bearer = buildWebhookRequest({ ...hook, authentication: { type: 'bearer_token', add_position: 'header', data: { token: 'T0K' } } }, 'I', '', now);
    expect(bearer.headers.authorization).toBe('Bearer T0K');
    const key = buildWebhookRequest({ ...hook, authentication: { type: 'api_key', add_position: 'header', data: { name: 'X-Api-Key', value: 'k3y' } } }, 'I', '', now);
    expect(key.headers['x-api-key']).toBe('k3y');
    expect(key.secretHeaders).toEqual(['x-api-key']);
  });

  it('have ULID ids that sort by creation', () => {
    const a = ulid(1_600_000_000_000);
    const b = ulid(1_600_000_000_001);
    expect(isUlid(a) && isUlid(b)).toBe(true);
    expect(a < b).toBe(true);
  });
});
