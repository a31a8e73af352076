import { describe, expect, it, vi } from 'vitest';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import type { ContentSender } from '../../../../src/background/channels/router.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { StoredJob } from '../../../../src/background/jobs/job-record.ts';
import type { CatalogService } from '../../../../src/background/orchestrators/catalog.ts';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { SettingsSchema } from '../../../../src/core/settings.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';

const sender: ContentSender = { origin: sampleContext.console, tab: { tabId: 1, frameId: 0 } };
const otherConsole: ContentSender = {
  origin: 'https://other-console.example',
  tab: { tabId: 2, frameId: 0 },
};

const storedJob: StoredJob = {
  id: 'job-1',
  orchestratorId: 'main',
  actionId: 'whois/lookup-ip',
  actionName: 'Look up IP owner',
  params: {},
  context: sampleContext,
  runId: 'run-1',
  status: 'running',
  run: null,
  error: null,
  createdAt: 1,
  updatedAt: 1,
  cachedAt: null,
  console: sampleContext.console,
  rowKey: '4711',
  open: 1,
  tab: { tabId: 1, frameId: 0 },
};

function setup() {
  const jobs = {
    start: vi.fn(async () => storedJob),
    get: vi.fn(async () => storedJob),
    cancel: vi.fn(async () => storedJob),
    forRow: vi.fn(async () => []),
  } as unknown as JobEngine;
  const catalog = {
    list: vi.fn(),
    action: vi.fn(async (_o: string, id: string) => (id === 'whois/lookup-ip' ? sampleAction() : undefined)),
    clear: vi.fn(),
  } as unknown as CatalogService;
  const orchestrators = {
    defaultEntry: async () => ({
      id: 'main',
      kind: 'gridside',
      name: 'Main',
      url: 'https://o.example/',
      enabled: true,
      options: {},
    }),
  } as unknown as Orchestrators;
  const settings = async () =>
    SettingsSchema.parse({
      consoles: [sampleContext.console, otherConsole.origin],
      fieldOverrides: {
        [sampleContext.console]: { 'Src Addr': 'SIP' },
        [otherConsole.origin]: { Secret: 'Login' },
      },
      gridSelectors: [
        {
          origin: `${sampleContext.console}/`,
          root: '.grid',
          row: '.r',
          cell: '.c',
          columnKey: { attribute: 'data-col' },
        },
        {
          origin: otherConsole.origin,
          root: '.other',
          row: '.r',
          cell: '.c',
          columnKey: { attribute: 'data-col' },
        },
      ],
    });
  return { jobs, handle: createContentHandler({ jobs, catalog, orchestrators, settings }) };
}

describe('content requests', () => {
  it('starts a run on the default orchestrator and remembers the tab to update', async () => {
    const { jobs, handle } = setup();
    const job = await handle(
      {
        type: 'run.start',
        actionId: 'whois/lookup-ip',
        params: { ip: '10.1.2.3' },
        context: sampleContext,
        refresh: false,
      },
      sender,
    );
    expect(job).toMatchObject({ id: 'job-1' });
    // The analyst waits for this run in the panel: a read-only one may be answered at its end.
    expect(jobs.start).toHaveBeenCalledWith(
      expect.objectContaining({ orchestratorId: 'main', tab: sender.tab, answerAtEnd: true }),
    );
  });

  it('records a pivot’s first job as its parent, and refuses a parent from another row', async () => {
    const { jobs, handle } = setup();
    const pivot = {
      type: 'run.start' as const,
      actionId: 'whois/lookup-ip',
      params: { ip: '10.9.9.9' },
      context: sampleContext,
      refresh: false,
      parentJobId: 'job-1',
    };
    await handle(pivot, sender);
    expect(jobs.start).toHaveBeenLastCalledWith(expect.objectContaining({ parentJobId: 'job-1' }));
    // A pivot from a pivot still names the first job of the investigation.
    vi.mocked(jobs.get).mockResolvedValueOnce({ ...storedJob, id: 'job-2', parentJobId: 'job-1' });
    await handle({ ...pivot, parentJobId: 'job-2' }, sender);
    expect(jobs.start).toHaveBeenLastCalledWith(expect.objectContaining({ parentJobId: 'job-1' }));
    vi.mocked(jobs.get).mockResolvedValueOnce({ ...storedJob, rowKey: 'another-row' });
    await expect(handle(pivot, sender)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(handle(pivot, otherConsole)).rejects.toMatchObject({ code: 'bad_request' });
    expect(jobs.start).toHaveBeenCalledTimes(2);
  });

  it('says plainly when the action does not exist', async () => {
    const { handle } = setup();
    await expect(
      handle(
        { type: 'run.start', actionId: 'nope/nope', params: {}, context: sampleContext, refresh: false },
        sender,
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a row that claims to come from another console', async () => {
    const { jobs, handle } = setup();
    await expect(
      handle(
        {
          type: 'run.start',
          actionId: 'whois/lookup-ip',
          params: {},
          context: sampleContext,
          refresh: false,
        },
        otherConsole,
      ),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      handle({ type: 'jobs.forRow', console: sampleContext.console, rowKey: '4711' }, otherConsole),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(jobs.start).not.toHaveBeenCalled();
  });

  it('does not let one console read or cancel another console’s job', async () => {
    const { jobs, handle } = setup();
    await expect(handle({ type: 'run.get', jobId: 'job-1' }, otherConsole)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(handle({ type: 'run.cancel', jobId: 'job-1' }, otherConsole)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(jobs.cancel).not.toHaveBeenCalled();
    await expect(handle({ type: 'run.get', jobId: 'job-1' }, sender)).resolves.toMatchObject({ id: 'job-1' });
  });

  it('gives a console only its own field overrides and grid selectors', async () => {
    const { handle } = setup();
    const config = await handle({ type: 'config.get' }, sender);
    expect(config).toEqual({
      fieldOverrides: { 'Src Addr': 'SIP' },
      gridSelectors: [expect.objectContaining({ root: '.grid' })],
    });
  });
});
