import { afterEach, describe, expect, it } from 'vitest';
import { type OnePush, onPush } from '../../../src/content/background-channel.ts';
import { sampleContext } from '../background/fake-orchestrator.ts';
import { installFakeRuntime, job } from './panel/fake-runtime.ts';

let runtime: ReturnType<typeof installFakeRuntime> | undefined;
afterEach(() => runtime?.uninstall());

describe('pushes from the worker', () => {
  it('hands each job of updates sent together to the listener, in order, as single updates', () => {
    runtime = installFakeRuntime(() => undefined);
    const heard: OnePush[] = [];
    const stop = new AbortController();
    onPush((push) => heard.push(push), stop.signal);

    const first = job(sampleContext, { id: 'job-a', status: 'running' });
    const second = job(sampleContext, { id: 'job-b', status: 'succeeded' });
    runtime.push({ type: 'jobs.update', jobs: [first, second] });
    runtime.push({ type: 'job.update', job: first });
    expect(heard).toEqual([
      { type: 'job.update', job: first },
      { type: 'job.update', job: second },
      { type: 'job.update', job: first },
    ]);

    // Not this extension's, or not jobs: nothing is heard.
    runtime.push({ type: 'jobs.update', jobs: [first, second] }, 'another-extension');
    runtime.push({ type: 'jobs.update', jobs: [first, { id: 7 }] });
    runtime.push({ type: 'jobs.update', jobs: 'all of them' });
    expect(heard).toHaveLength(3);

    stop.abort();
    runtime.push({ type: 'jobs.update', jobs: [first, second] });
    expect(heard).toHaveLength(3);
  });
});
