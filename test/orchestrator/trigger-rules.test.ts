import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/orchestrator/config.ts';
import { TriggerMatchSchema } from '../../src/orchestrator/trigger-config.ts';
import { EventError, eventFromBody } from '../../src/orchestrator/trigger-event.ts';
import { mismatch, PatternCache } from '../../src/orchestrator/trigger-match.ts';
import { checkSignature, signEvent } from '../../src/orchestrator/webhook-signature.ts';
import { logrhythmFixture } from './trigger-setup.ts';

/** The pure parts of triggers: the config section, matching, reading events, and the signature check. */

const tokens = [{ name: 'ada', roles: ['admin'], token: 'ada-admin-token-0123456789' }];
const withTriggers = (triggers: unknown) => parseConfig({ tokens, triggers });
const rule = { name: 'r', action: 'p/a' };

describe('the triggers config section', () => {
  it('fills defaults and refuses unknown keys, bad patterns and rules sharing a name', () => {
    const config = withTriggers({ rules: [rule] });
    expect(config.triggers?.rules[0]).toMatchObject({ dedupeSeconds: 3600, perMinute: 60, match: {} });
    expect(() => withTriggers({ rules: [{ ...rule, when: {} }] })).toThrow(ConfigError);
    expect(() => withTriggers({ rules: [{ ...rule, match: { minRisk: 5, riskAbove: 1 } }] })).toThrow(
      /riskAbove|Unrecognized/,
    );
    expect(() => withTriggers({ rules: [{ ...rule, match: { fields: { SIP: '([' } } }] })).toThrow(
      /regular expression/,
    );
    expect(() => withTriggers({ rules: [rule, rule] })).toThrow(/share a name/);
    expect(() => withTriggers({ webhook: { secret: 'plain text' } })).toThrow(ConfigError);
    expect(() => withTriggers({ logrhythmPoll: { url: 'file:///etc', token: { value: 't' } } })).toThrow(
      ConfigError,
    );
  });
});

const LR_ALARM = logrhythmFixture<unknown[]>('alarm_details_with_events.google-secops-marketplace.json');

describe('reading an event', () => {
  it('reads LogRhythm alarm JSON like the alarm row: rule name and id, AI Engine rule, risk and priority', () => {
    const event = eventFromBody(LR_ALARM);
    expect(event).toMatchObject({
      source: 'logrhythm',
      kind: 'alarm',
      key: '18755',
      alarmRule: { name: 'LogRhythm Agent Heartbeat Missed', id: '98' },
      aieRule: { name: 'CSC: Disabled Account Auth Success' },
      risk: 39,
      priority: 91,
    });
    expect(event.context.fields.Login).toBe('admin5');
    expect(event.context.alarmId).toBe('18755');
  });

  it('reads the documented event; a log event is keyed by its log id', () => {
    const event = eventFromBody({
      source: 'edr',
      logId: 'log-9',
      priority: 70,
      fields: { SIP: '198.51.100.4' },
    });
    expect(event).toMatchObject({ kind: 'log', key: 'log-9', priority: 70, source: 'edr' });
    expect(event.context.fields).toMatchObject({ SIP: '198.51.100.4', LogId: 'log-9', Priority: '70' });
    expect(() => eventFromBody({ source: 'edr', alarmId: '1', extra: true })).toThrow(EventError);
  });
});

describe('matching', () => {
  const event = eventFromBody({
    source: 'edr',
    alarmId: '5',
    alarmRuleName: 'Outbound to C2',
    alarmRuleId: 1200,
    aieRuleName: 'C2 Beacon',
    riskRating: 70,
    fields: { SIP: '203.0.113.9', DHostName: 'web-01' },
  });
  const check = (match: Record<string, unknown>) =>
    mismatch(TriggerMatchSchema.parse(match), event, new PatternCache());

  it('takes an event when every given condition holds', () => {
    expect(check({})).toBeNull();
    expect(
      check({
        alarmRules: ['outbound to c2'],
        aieRules: ['C2 Beacon'],
        minRisk: 70,
        present: ['SIP', 'DHostName'],
        fields: { SIP: '^203\\.0\\.113\\.' },
        sources: ['edr'],
      }),
    ).toBeNull();
    expect(check({ alarmRules: [1200] })).toBeNull();
  });

  it('says which condition failed', () => {
    expect(check({ alarmRules: ['Other'] })).toBe('alarm rule not listed');
    expect(check({ aieRules: [1] })).toBe('AI Engine rule not listed');
    expect(check({ minRisk: 71 })).toBe('risk below 71');
    expect(check({ minPriority: 1 })).toBe('priority below 1');
    expect(check({ present: ['Login'] })).toBe('no Login');
    expect(check({ fields: { SIP: '^10\\.' } })).toBe('SIP does not match');
    expect(check({ sources: ['logrhythm-poll'] })).toBe('source edr not listed');
  });
});

describe('the webhook signature', () => {
  const secret = 'a-webhook-secret-of-some-length';
  const body = Buffer.from('{"source":"edr","alarmId":"1"}');
  const now = 1_800_000_000;
  const check = (over: Partial<Parameters<typeof checkSignature>[0]>) =>
    checkSignature({
      secret,
      timestamp: String(now),
      signature: signEvent(secret, String(now), body),
      rawBody: body,
      nowSeconds: now,
      toleranceSeconds: 300,
      ...over,
    });

  it('accepts the body signed with the secret and its timestamp, within the window', () => {
    expect(check({}).ok).toBe(true);
    expect(check({ nowSeconds: now + 300 }).ok).toBe(true);
  });

  it('refuses another body, another timestamp, another secret, an old timestamp and bad headers', () => {
    expect(check({ rawBody: Buffer.from('{"source":"edr","alarmId":"2"}') })).toMatchObject({ ok: false });
    // The timestamp is signed: a fresh one on an old signature does not match.
    expect(check({ timestamp: String(now + 1) })).toMatchObject({
      problem: expect.stringContaining('signature'),
    });
    expect(check({ signature: signEvent('another-secret-entirely', String(now), body) }).ok).toBe(false);
    expect(check({ nowSeconds: now + 301 })).toMatchObject({ problem: expect.stringContaining('301 s') });
    expect(check({ timestamp: undefined })).toMatchObject({ problem: expect.stringContaining('Timestamp') });
    expect(check({ signature: 'md5=abc' })).toMatchObject({ problem: expect.stringContaining('Signature') });
  });
});
