import { describe, expect, it } from 'vitest';
import { createPush } from '../../../../src/background/channels/push.ts';
import type { ContentPush, Job } from '../../../../src/core/messages.ts';
import { createFakeBrowser } from '../../../support/fake-browser.ts';
import { job as pageJob } from '../../content/panel/fake-runtime.ts';
import { sampleContext } from '../fake-orchestrator.ts';

const TAB = { tabId: 4, frameId: 0 };
const OTHER_FRAME = { tabId: 4, frameId: 2 };

/** A job update as the worker pushes it; `stdout` is what the page must never get. */
const job = (id: string, status: Job['status'], stdout = ''): Job =>
  pageJob(sampleContext, { id, status, output: { stdout, stderr: '', exitCode: 0, truncated: false } });
const update = (j: Job): ContentPush => ({ type: 'job.update', job: j });

describe('pushes to the console page', () => {
  it('sends the updates one turn makes for one frame as one message, in order, and a lone one as before', async () => {
    const browser = createFakeBrowser();
    const push = createPush(browser.tabs);
    const sent = Promise.all([
      push(TAB, update(job('a', 'running'))),
      push(TAB, update(job('b', 'succeeded', 'secret output'))),
      push(OTHER_FRAME, update(job('c', 'running'))),
      push(TAB, { type: 'approvals.changed' }),
      push(TAB, update(job('a', 'succeeded'))),
    ]);
    expect(browser.sent).toEqual([]); // nothing leaves before the turn is over
    await sent;
    const messages = browser.sent.map((s) => [s.options?.frameId, s.message as ContentPush]);
    expect(messages.map(([frame, m]) => [frame, (m as ContentPush).type])).toEqual([
      [0, 'jobs.update'],
      [0, 'approvals.changed'],
      [0, 'job.update'],
      [2, 'job.update'],
    ]);
    const together = messages[0]![1] as Extract<ContentPush, { type: 'jobs.update' }>;
    expect(together.jobs.map((j) => [j.id, j.status])).toEqual([
      ['a', 'running'],
      ['b', 'succeeded'],
    ]);
    // The output text stays out of the page, together or alone.
    expect(together.jobs[1]?.run?.output?.stdout).toBe('');

    // A later turn is a message of its own.
    await push(TAB, update(job('d', 'running')));
    expect(browser.sent.at(-1)?.message).toMatchObject({ type: 'job.update' });
  });

  it('answers every push of a closed tab without an error', async () => {
    const browser = createFakeBrowser();
    browser.closedTabs.add(TAB.tabId);
    const push = createPush(browser.tabs);
    await expect(
      Promise.all([push(TAB, update(job('a', 'running'))), push(TAB, update(job('b', 'running')))]),
    ).resolves.toEqual([undefined, undefined]);
    expect(browser.sent).toEqual([]);
  });

  it("goes on the frame's kept port while it has one, without the output, and by message otherwise", async () => {
    const browser = createFakeBrowser();
    const onLine: Array<[string, unknown]> = [];
    const lines = {
      post: (tab: { tabId: number; frameId: number }, message: unknown) => {
        if (tab.frameId !== TAB.frameId) return false;
        onLine.push([`${tab.tabId}/${tab.frameId}`, message]);
        return true;
      },
    };
    const push = createPush(browser.tabs, lines);
    await Promise.all([
      push(TAB, update(job('a', 'succeeded', 'secret output'))),
      push(OTHER_FRAME, update(job('c', 'running'))),
    ]);
    expect(onLine).toHaveLength(1);
    expect(onLine[0]![0]).toBe('4/0');
    const carried = onLine[0]![1] as Extract<ContentPush, { type: 'job.update' }>;
    expect(carried.job.id).toBe('a');
    expect(carried.job.run?.output?.stdout).toBe('');
    expect(browser.sent.map((s) => [s.options?.frameId, (s.message as { type: string }).type])).toEqual([
      [2, 'job.update'],
    ]);
  });
});
