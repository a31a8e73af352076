import { describe, expect, it, vi } from 'vitest';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import { createOutputFrameHandler } from '../../../../src/background/channels/output-frame-handlers.ts';
import { createPush } from '../../../../src/background/channels/push.ts';
import { createRouter, type SenderInfo } from '../../../../src/background/channels/router.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import { toJob } from '../../../../src/background/jobs/job-record.ts';
import type { ContentPush } from '../../../../src/core/messages.ts';
import { storedJob } from '../history/job-fixtures.ts';

/**
 * The output frame's channel and what the console page no longer gets: run output reaches only the
 * output frame page, inside a tab of an enabled console, about that console's own runs.
 */

const EXT_ID = 'abcdefghijklmnop';
const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;
const FRAME_PAGE = 'src/pages/output-frame/index.html';
const SECRET = 'CN=Alice Example,OU=Finance — directory data';
const job = storedJob({ id: 'job-7', stdout: SECRET });
const CONSOLE = job.console;
const VIEW = 'a1b2c3d4e5f6a7b8';

function setup() {
  const pushed: Array<{ tabId: number; message: ContentPush }> = [];
  const jobs = { get: vi.fn(async (id: string) => (id === job.id ? job : undefined)) };
  const outputFrame = createOutputFrameHandler({
    jobs,
    pushToTab: async (tabId, message) => {
      pushed.push({ tabId, message });
    },
    forwardSummary: false,
  });
  const never = vi.fn(async () => 'handled');
  const route = createRouter({
    extensionId: EXT_ID,
    extensionOrigin: EXT_ORIGIN,
    isEnabledConsole: async (origin) => origin === CONSOLE,
    content: never,
    options: never,
    popup: never,
    history: never,
    outputFrame,
  });
  return { route, pushed, never };
}

/** The frame as the browser describes it: an extension page (maybe under Chrome's random host) in a console tab. */
const fromFrame = (host = EXT_ID, tabUrl = `${CONSOLE}/analyzer#logs`): SenderInfo => ({
  id: EXT_ID,
  url: `chrome-extension://${host}/${FRAME_PAGE}#view=${VIEW}&job=${job.id}`,
  frameId: 3,
  tab: { id: 12, url: tabUrl },
});
const getOutput = { type: 'output.get', view: VIEW, source: { kind: 'job', id: job.id } };

describe('output frame channel', () => {
  it('answers the frame page with the output of its console’s job, under the extension id or a random host', async () => {
    const { route } = setup();
    for (const host of [EXT_ID, '0df59edd-d911-4e30-a523-198b6ee578ef']) {
      const reply = await route(getOutput, fromFrame(host));
      expect(reply).toMatchObject({ ok: true, data: { output: { stdout: SECRET } } });
    }
  });

  it('answers nothing about another console’s job, nor outside an enabled console’s tab', async () => {
    const { route } = setup();
    const elsewhere = await route(getOutput, fromFrame(EXT_ID, 'https://other.example/'));
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'refused' } });
    const noTab = await route(getOutput, { ...fromFrame(), tab: undefined });
    expect(noTab).toMatchObject({ ok: false, error: { code: 'refused' } });
    const unknown = await route({ ...getOutput, source: { kind: 'job', id: 'job-other' } }, fromFrame());
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('holds a question about a running job until it ended, then answers with its output', async () => {
    let running = true;
    let end: () => void = () => {};
    const handler = createOutputFrameHandler({
      jobs: {
        get: async () =>
          running ? { ...job, status: 'running' as const, run: { ...job.run!, output: null } } : job,
      },
      jobEnded: () =>
        new Promise<void>((resolve) => {
          end = resolve;
        }),
      pushToTab: async () => {},
      forwardSummary: false,
    });
    const sender = { origin: CONSOLE, tabId: 12 };
    const ask = (untilEnded: boolean) =>
      handler({ type: 'output.get', view: VIEW, source: { kind: 'job', id: job.id }, untilEnded }, sender);
    expect(await ask(false)).toEqual({ output: null, ended: false });
    let answered: unknown = null;
    const held = ask(true).then((reply) => {
      answered = reply;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBeNull();
    running = false;
    end();
    await held;
    expect(answered).toMatchObject({ ended: true, output: { stdout: SECRET } });
  });

  it('takes frame requests only from the frame page, and the frame’s requests nowhere else', async () => {
    const { route, never } = setup();
    const fromOptions: SenderInfo = { id: EXT_ID, url: `${EXT_ORIGIN}/src/options/index.html` };
    expect(await route(getOutput, fromOptions)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const fromPage: SenderInfo = { ...fromFrame(), url: `${CONSOLE}/${FRAME_PAGE}` };
    expect(await route(getOutput, fromPage)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await route(getOutput, { ...fromFrame(), id: 'another-extension' })).toMatchObject({ ok: false });
    expect(await route({ type: 'run.get', jobId: job.id }, fromFrame())).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(never).not.toHaveBeenCalled();
  });

  it('relays height and Escape to the tab by view name, and drops the test summary outside demo/test builds', async () => {
    const { route, pushed } = setup();
    const reply = await route(
      { type: 'output.report', view: VIEW, height: 212, key: 'Escape', summary: SECRET },
      fromFrame(),
    );
    expect(reply).toEqual({ ok: true, data: {} });
    expect(pushed).toEqual([
      { tabId: 12, message: { type: 'output.frame', view: VIEW, height: 212, key: 'Escape' } },
    ]);
    expect(JSON.stringify(pushed)).not.toContain('Alice');
  });
});

describe('what the console page gets of a run', () => {
  it('pushes job updates without stdout, stderr or plugin JSON, keeping verdicts and status', async () => {
    const sent: unknown[] = [];
    const push = createPush({
      sendMessage: async (_tabId, message) => {
        sent.push(message);
      },
    });
    const full = toJob(job);
    full.run!.output!.stderr = `warning about ${SECRET}`;
    full.run!.output!.data = { owner: SECRET };
    await push({ tabId: 1, frameId: 0 }, { type: 'job.update', job: full });
    expect(JSON.stringify(sent)).not.toContain('Alice');
    const pushedJob = (sent[0] as { job: typeof full }).job;
    expect(pushedJob.status).toBe('succeeded');
    expect(pushedJob.run?.output).toMatchObject({
      stdout: '',
      stderr: '',
      exitCode: full.run!.output!.exitCode,
    });
    expect(pushedJob.run?.output?.taxonomies).toEqual(full.run!.output!.taxonomies);
    // The job the worker keeps is untouched.
    expect(full.run!.output!.stdout).toBe(SECRET);
  });

  it('answers run.get and jobs.forRow without the output text', async () => {
    const jobs = {
      get: async () => job,
      forRow: async () => [toJob(job)],
    } as unknown as JobEngine;
    const handler = createContentHandler({
      catalog: {} as never,
      jobs,
      orchestrators: {} as never,
      settings: async () => ({}) as never,
    });
    const sender = { origin: CONSOLE, tab: { tabId: 1, frameId: 0 } };
    const got = await handler({ type: 'run.get', jobId: job.id }, sender);
    const listed = await handler({ type: 'jobs.forRow', console: CONSOLE, rowKey: job.rowKey }, sender);
    expect(JSON.stringify([got, listed])).not.toContain('Alice');
    expect((got as { status: string }).status).toBe('succeeded');
  });
});
