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

function handler() {
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
  });
  return (message: unknown, from = sender) => handle(ContentRequestSchema.parse(message), from);
}

describe('pins requests from a console tab', () => {
  it('pins, marks and lists through the content channel', async () => {
    const ask = handler();
    const pin = await ask({ type: 'pins.add', jobId: 'job-1', note: 'seen before' });
    expect(pin).toMatchObject({ rowKey: '4711', pinnedBy: 'bob', note: 'seen before' });
    expect(
      await ask({ type: 'pins.markers', console: sampleContext.console, rowKeys: ['4711', '4712'] }),
    ).toEqual({
      '4711': 1,
    });
    expect(await ask({ type: 'pins.forRow', console: sampleContext.console, rowKey: '4711' })).toHaveLength(
      1,
    );
  });

  it('refuses more than 200 row keys in one markers request', () => {
    const rowKeys = Array.from({ length: 201 }, (_, i) => String(i));
    expect(
      ContentRequestSchema.safeParse({ type: 'pins.markers', console: sampleContext.console, rowKeys })
        .success,
    ).toBe(false);
  });
});
