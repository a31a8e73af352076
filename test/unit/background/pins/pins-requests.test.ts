import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import type { ContentSender } from '../../../../src/background/channels/router.ts';
import { openGridsideDb } from '../../../../src/background/db.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { StoredJob } from '../../../../src/background/jobs/job-record.ts';
import type { CatalogService } from '../../../../src/background/orchestrators/catalog.ts';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { createPinService } from '../../../../src/background/pins/pins.ts';
import { ContentRequestSchema } from '../../../../src/core/messages.ts';
import { sampleContext } from '../fake-orchestrator.ts';

/** The pins.* requests as a console tab sends them: parsed by the content schema, answered by the handler. */

const sender: ContentSender = { origin: sampleContext.console, tab: { tabId: 1, frameId: 0 } };

const finished: StoredJob = {
  id: 'job-1',
  orchestratorId: 'main',
  actionId: 'whois/lookup-ip',
  actionName: 'Look up IP owner',
  params: {},
  context: sampleContext,
  runId: 'run-1',
  status: 'succeeded',
  run: {
    id: 'run-1',
    actionId: 'whois/lookup-ip',
    actionName: 'Look up IP owner',
    status: 'succeeded',
    requestedBy: 'bob',
    params: {},
    alarmId: '4711',
    rowKey: '4711',
    approvals: [],
    output: { stdout: 'AS64500 Example', stderr: '', exitCode: 0, truncated: false },
    reason: null,
    timing: { createdAt: '2026-01-01T00:00:00Z', startedAt: null, finishedAt: null, durationMs: 1 },
  },
  error: null,
  createdAt: 1,
  updatedAt: 2,
  cachedAt: null,
  console: sampleContext.console,
  rowKey: '4711',
  open: 0,
  tab: null,
};

function handler(more: Partial<Parameters<typeof createContentHandler>[0]> = {}) {
  const jobs = {
    get: async (id: string) => (id === finished.id ? finished : undefined),
  } as unknown as JobEngine;
  const pins = createPinService({ db: openGridsideDb('gridside-pins-requests'), job: jobs.get });
  const handle = createContentHandler({
    catalog: {} as CatalogService,
    jobs,
    orchestrators: {} as Orchestrators,
    settings: async () => ({ orchestrators: [], consoles: [], fieldOverrides: {}, gridSelectors: [] }),
    pins,
    ...more,
  });
  return (message: unknown, from = sender) => handle(ContentRequestSchema.parse(message), from);
}

describe('pins requests from a console tab', () => {
  it('pins, marks and lists through the content channel', async () => {
    const ask = handler();
    const pin = await ask({ type: 'pins.add', jobId: 'job-1', note: 'seen before' });
    expect(pin).toMatchObject({ rowKey: '4711', pinnedBy: 'bob', note: 'seen before' });
    const rows = [
      { key: '4711', kind: 'log' },
      { key: '4712', kind: 'log' },
      { key: '4711', kind: 'alarm' }, // the same key in another grid: one pin count
    ];
    expect(await ask({ type: 'marks.onScreen', console: sampleContext.console, rows })).toEqual({
      pins: { '4711': 1 },
      approvals: {},
      auto: {},
      autoFields: [],
    });
    expect(await ask({ type: 'pins.forRow', console: sampleContext.console, rowKey: '4711' })).toHaveLength(
      1,
    );
  });

  it('still answers the pins when the approvals cannot be asked for (the orchestrator is out of reach)', async () => {
    const ask = handler({
      approvalMarks: {
        marks: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:8443');
        },
      } as unknown as Parameters<typeof createContentHandler>[0]['approvalMarks'],
    });
    await ask({ type: 'pins.add', jobId: 'job-1' });
    const rows = [{ key: '4711', kind: 'log' }];
    expect(await ask({ type: 'marks.onScreen', console: sampleContext.console, rows })).toMatchObject({
      pins: { '4711': expect.any(Number) },
      approvals: null, // the page draws no approval mark, and keeps the pins
      auto: {},
    });
  });

  it('refuses more than 200 rows in one marks request, and marks of another console', async () => {
    const rows = Array.from({ length: 201 }, (_, i) => ({ key: String(i), kind: 'log' }));
    expect(
      ContentRequestSchema.safeParse({ type: 'marks.onScreen', console: sampleContext.console, rows })
        .success,
    ).toBe(false);
    await expect(
      handler()({ type: 'marks.onScreen', console: 'https://other-console.example', rows: rows.slice(0, 1) }),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
