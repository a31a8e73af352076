import { describe, expect, it, vi } from 'vitest';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import type { ContentSender } from '../../../../src/background/channels/router.ts';
import type { BatchRunner } from '../../../../src/background/jobs/batch.ts';
import type { RunCache } from '../../../../src/background/jobs/cache.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { CatalogService } from '../../../../src/background/orchestrators/catalog.ts';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { type ContentRequest, ContentRequestSchema } from '../../../../src/core/messages.ts';
import { SettingsSchema } from '../../../../src/core/settings.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';

/** The content channel's part of the cache and batch runs: who may ask, and what reaches the runners. */

const sender: ContentSender = { origin: sampleContext.console, tab: { tabId: 1, frameId: 0 } };

function setup() {
  const runs = { start: vi.fn(async () => ({ id: 'job-1' })), fanOut: vi.fn() } as unknown as RunCache;
  const batches = {
    start: vi.fn(async () => ({ jobIds: ['a', 'b'] })),
    idle: vi.fn(),
  } as unknown as BatchRunner;
  const jobs = { start: vi.fn() } as unknown as JobEngine;
  const catalog = {
    action: vi.fn(async (_o: string, id: string) => (id === 'whois/lookup-ip' ? sampleAction() : undefined)),
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
  const settings = async () => SettingsSchema.parse({ consoles: [sampleContext.console] });
  const handle = createContentHandler({ catalog, jobs, orchestrators, settings, runs, batches });
  return { handle, runs, batches, jobs };
}

const parse = (message: unknown): ContentRequest => ContentRequestSchema.parse(message);

describe('run.start and batch.start on the content channel', () => {
  it('starts single runs through the read-only cache, passing the analyst’s refresh', async () => {
    const { handle, runs, jobs } = setup();
    await handle(
      parse({
        type: 'run.start',
        actionId: 'whois/lookup-ip',
        params: { ip: '1.1.1.1' },
        context: sampleContext,
        refresh: true,
      }),
      sender,
    );
    expect(runs.start).toHaveBeenCalledWith(expect.objectContaining({ refresh: true, tab: sender.tab }));
    expect(jobs.start).not.toHaveBeenCalled();
  });

  it('hands the selected rows, the action and the sender’s tab to the batch runner', async () => {
    const { handle, batches } = setup();
    const second = { ...sampleContext, key: { ...sampleContext.key, value: '4712' } };
    const answer = await handle(
      parse({ type: 'batch.start', actionId: 'whois/lookup-ip', rows: [sampleContext, second] }),
      sender,
    );
    expect(answer).toEqual({ jobIds: ['a', 'b'] });
    expect(batches.start).toHaveBeenCalledWith(
      expect.objectContaining({
        orchestratorId: 'main',
        rows: [sampleContext, second],
        tab: sender.tab,
        confirmed: false,
      }),
    );
  });

  it('refuses a batch holding a row of another console, and an unknown action', async () => {
    const { handle, batches } = setup();
    const foreign = { ...sampleContext, console: 'https://other-console.example' };
    await expect(
      handle(
        parse({ type: 'batch.start', actionId: 'whois/lookup-ip', rows: [sampleContext, foreign] }),
        sender,
      ),
    ).rejects.toThrow(/does not belong/);
    await expect(
      handle(parse({ type: 'batch.start', actionId: 'nope/nope', rows: [sampleContext] }), sender),
    ).rejects.toThrow(/has no action/);
    expect(batches.start).not.toHaveBeenCalled();
  });

  it('refuses more than 200 rows before anything runs', () => {
    const rows = Array.from({ length: 201 }, () => sampleContext);
    expect(ContentRequestSchema.safeParse({ type: 'batch.start', actionId: 'x', rows }).success).toBe(false);
  });
});
