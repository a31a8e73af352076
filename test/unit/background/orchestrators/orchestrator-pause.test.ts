import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import {
  createOrchestratorPause,
  slowDownMessage,
} from '../../../../src/background/orchestrators/orchestrator-pause.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { fakeConnector } from '../history/fake-connector.ts';

const tooMany = (ms?: number) => () =>
  new ConnectorError('rate_limited', 'Too many requests.', undefined, ms);
const request = { action: sampleAction(), params: { ip: '10.1.2.3' }, context: sampleContext };

describe('HTTP 429 pauses the orchestrator', () => {
  it('pauses for the Retry-After, or 30 s when none is given, and says until when', async () => {
    let clock = Date.UTC(2026, 10, 27, 9, 0, 0);
    const pause = createOrchestratorPause({ now: () => clock });
    const connector = fakeConnector();
    const wrapped = pause.wrap('main', connector);
    const run = await wrapped.startRun(request);

    connector.failNext.push(tooMany(5_000));
    const error = await wrapped.getRun(run.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('rate_limited');
    expect((error as ConnectorError).message).toBe(slowDownMessage(clock + 5_000));
    expect((error as ConnectorError).message).toMatch(/slow down; retrying at \d\d:\d\d:\d\d\.$/);
    expect(pause.pausedUntil('main')).toBe(clock + 5_000);
    // Only that orchestrator is paused.
    expect(pause.pausedUntil('other')).toBeNull();

    clock += 5_000;
    expect(pause.pausedUntil('main')).toBeNull();
    connector.failNext.push(tooMany());
    await wrapped.getRun(run.id).catch(() => {});
    expect(pause.pausedUntil('main')).toBe(clock + 30_000);
  });

  it('makes new runs and polls wait until the pause is over, then go ahead', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector({ finishAtOnce: true });
    const wrapped = pause.wrap('main', connector);
    pause.pause('main', 150);
    const order: string[] = [];
    const started = wrapped.startRun(request).then((run) => {
      order.push('started');
      return run;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.push('still paused');
    expect(connector.starts).toHaveLength(0);
    const run = await started;
    expect(order).toEqual(['still paused', 'started']);
    expect(connector.starts).toHaveLength(1);
    const polled = await wrapped.getRun(run.id);
    expect(polled.status).toBe('succeeded');
  });

  it('retries a start that was answered 429 (it was not accepted), after the pause', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector();
    const wrapped = pause.wrap('main', connector);
    connector.failNext.push(tooMany(30));
    const run = await wrapped.startRun(request);
    expect(run.status).toBe('running');
    expect(connector.starts).toHaveLength(1);
  });

  it('starts again on its own, after the pause, a start of several that the rate limit refused', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector();
    const refused = new ConnectorError('rate_limited', 'Too many requests.', undefined, 40);
    const startedAt: number[] = [];
    const startRun = connector.startRun.bind(connector);
    connector.startRun = async (request, signal) => {
      startedAt.push(performance.now());
      return startRun(request, signal);
    };
    connector.startRuns = async (requests) => [await connector.startRun(requests[0]!), refused];
    const wrapped = pause.wrap('main', connector);
    const results = await wrapped.startRuns!([request, { ...request, params: { ip: '10.1.2.4' } }]);
    expect(results.map((r) => (r instanceof ConnectorError ? r.code : r.params.ip))).toEqual([
      '10.1.2.3',
      '10.1.2.4',
    ]);
    // The refused one waited out the pause its refusal set, then went alone.
    expect(connector.starts.map((s) => s.params.ip)).toEqual(['10.1.2.3', '10.1.2.4']);
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(35);
  });

  it('gives up on a start after three 429s, saying when it may be tried again', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector();
    const wrapped = pause.wrap('main', connector);
    connector.failNext.push(tooMany(1), tooMany(1), tooMany(1));
    const error = await wrapped.startRun(request).catch((e: unknown) => e);
    expect((error as ConnectorError).message).toMatch(/slow down/);
    expect(connector.starts).toHaveLength(0);
  });

  it('passes other errors through untouched and does not pause for them', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector();
    const wrapped = pause.wrap('main', connector);
    connector.failNext.push(() => new ConnectorError('unauthorized', 'The token was refused.'));
    const error = await wrapped.startRun(request).catch((e: unknown) => e);
    expect((error as ConnectorError).code).toBe('unauthorized');
    expect(pause.pausedUntil('main')).toBeNull();
  });

  it('hands the long-poll everything the job engine gives it, the run it last saw included', async () => {
    const pause = createOrchestratorPause();
    const connector = fakeConnector({ finishAtOnce: true });
    const seenBy: unknown[] = [];
    const withWait = Object.assign(connector, {
      async waitForRun(runId: string, _seconds: number, _signal?: AbortSignal, seen?: unknown) {
        seenBy.push(seen);
        return connector.getRun(runId);
      },
    });
    const wrapped = pause.wrap('main', withWait);
    const run = await wrapped.startRun(request);
    await wrapped.waitForRun?.(run.id, 15, undefined, run);
    // Without it the orchestrator cannot answer on the next change, only when the run ends.
    expect(seenBy).toEqual([run]);
  });

  it('says what its connector knows of start keys, as the connector learns it', async () => {
    const pause = createOrchestratorPause();
    let keeps = false;
    const connector = Object.assign(fakeConnector(), { startsOnceByKey: () => keeps });
    const wrapped = pause.wrap('main', connector);
    // Without it the job engine never sends a lost start again, nor offers to.
    expect(wrapped.startsOnceByKey?.()).toBe(false);
    keeps = true;
    expect(wrapped.startsOnceByKey?.()).toBe(true);
  });
});
