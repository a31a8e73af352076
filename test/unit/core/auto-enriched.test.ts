import { describe, expect, it } from 'vitest';
import {
  type AutoEnrichedMark,
  autoEnrichedLabel,
  autoEnrichedText,
  isUnfinishedMark,
} from '../../../src/core/auto-enriched.ts';

/** The words of a row's "auto-enriched" chip: the verdict once there is one, the run's state before. */

const mark = (over: Partial<AutoEnrichedMark> = {}): AutoEnrichedMark => ({
  orchestratorId: 'o',
  runId: 'r',
  rule: 'Origin IP reputation',
  actionName: 'IP Reputation : Origin IP',
  status: 'succeeded',
  verdict: 'malicious',
  summary: 'Gridside:IPRep=c2 (93)',
  ...over,
});

describe('auto-enriched chip words', () => {
  it('names the verdict, and in its label the rule, the action and the verdict words', () => {
    expect(autoEnrichedText(mark())).toBe('Auto · malicious');
    expect(autoEnrichedLabel(mark())).toBe(
      'Auto-enriched by rule Origin IP reputation: IP Reputation : Origin IP, malicious (Gridside:IPRep=c2 (93))',
    );
  });

  it('says what the run is doing while it has no verdict', () => {
    expect(autoEnrichedText(mark({ status: 'running', verdict: null }))).toBe('Auto · running');
    expect(autoEnrichedText(mark({ status: 'queued', verdict: null }))).toBe('Auto · running');
    expect(autoEnrichedText(mark({ status: 'pending_approval', verdict: null }))).toBe(
      'Auto · awaits approval',
    );
    expect(autoEnrichedText(mark({ status: 'succeeded', verdict: null }))).toBe('Auto · done');
    expect(autoEnrichedText(mark({ status: 'failed', verdict: null }))).toBe('Auto · failed');
    expect(autoEnrichedText(mark({ status: 'timed_out', verdict: null }))).toBe('Auto · timed out');
    expect(autoEnrichedText(mark({ status: 'denied', verdict: null }))).toBe('Auto · denied');
    expect(autoEnrichedLabel(mark({ status: 'failed', verdict: null, summary: null }))).toContain(', failed');
  });

  it('asks again only about runs that can still change', () => {
    expect(isUnfinishedMark(mark({ status: 'pending_approval' }))).toBe(true);
    expect(isUnfinishedMark(mark({ status: 'running' }))).toBe(true);
    expect(isUnfinishedMark(mark({ status: 'denied' }))).toBe(false);
  });
});
