import { describe, expect, it, vi } from 'vitest';
import type { AutoEnrichService } from '../../../../src/background/auto-enrich/auto-enrich.ts';
import { createAutoEnrichSwitch } from '../../../../src/background/auto-enrich/auto-enrich-switch.ts';
import { createContentHandler } from '../../../../src/background/channels/content-handlers.ts';
import type { ContentSender } from '../../../../src/background/channels/router.ts';
import type { JobEngine } from '../../../../src/background/jobs/job-engine.ts';
import type { CatalogService } from '../../../../src/background/orchestrators/catalog.ts';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import type { AutoEnrichedService } from '../../../../src/background/triggers/auto-enriched.ts';
import type { AutoEnrichedMark } from '../../../../src/core/auto-enriched.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/core/settings.ts';
import { sampleContext, sampleRun } from '../fake-orchestrator.ts';

/**
 * Auto-enrichment through the worker's channels: the page proposes only its own console's rows and the
 * worker answers for the sender's origin; the chips join the orchestrator's trigger marks (whose run
 * wins on a row both have); the popup's switch saves the console's setting and refuses a console with
 * no rule.
 */

const sender: ContentSender = { origin: sampleContext.console, tab: { tabId: 1, frameId: 0 } };
const mark = (runId: string, rule: string): AutoEnrichedMark => ({
  orchestratorId: 'main',
  runId,
  rule,
  actionName: 'IP Reputation',
  status: 'succeeded',
  verdict: 'malicious',
  summary: null,
});

function setup() {
  const autoEnrich = {
    fields: vi.fn(async () => ({ fields: ['SIP'] })),
    propose: vi.fn(async () => ({ started: 1, shared: 0, waiting: 0, retryAfterMs: null })),
    marks: vi.fn(async () => ({
      'alarm:1': mark('local-1', 'browser'),
      'alarm:2': mark('local-2', 'browser'),
    })),
    run: vi.fn(async () => sampleRun({ id: 'local-1' })),
    status: vi.fn(),
  } satisfies AutoEnrichService;
  const autoEnriched = {
    marks: vi.fn(async () => ({ 'alarm:2': mark('remote-2', 'orchestrator') })),
    run: vi.fn(async () => sampleRun({ id: 'remote-2' })),
  } satisfies AutoEnrichedService;
  const handle = createContentHandler({
    jobs: {} as JobEngine,
    catalog: {} as CatalogService,
    orchestrators: {} as Orchestrators,
    settings: async () => DEFAULT_SETTINGS,
    autoEnrich,
    autoEnriched,
  });
  return { autoEnrich, autoEnriched, handle };
}

describe('auto-enrichment on the content channel', () => {
  it('takes rows of the sender’s own console only, and answers for the sender’s origin', async () => {
    const { autoEnrich, handle } = setup();
    const foreign = { ...sampleContext, console: 'https://other-console.example' };
    await expect(
      handle({ type: 'auto.propose', rows: [sampleContext, foreign] }, sender),
    ).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect(autoEnrich.propose).not.toHaveBeenCalled();
    await handle({ type: 'auto.propose', rows: [sampleContext] }, sender);
    expect(autoEnrich.propose).toHaveBeenCalledWith(sender.origin, [sampleContext]);
    expect(await handle({ type: 'auto.fields' }, sender)).toEqual({ fields: ['SIP'] });
    expect(autoEnrich.fields).toHaveBeenCalledWith(sender.origin);
  });

  it('adds the chips of this browser’s auto-enrichment to the trigger marks; the orchestrator’s run wins', async () => {
    const { autoEnrich, handle } = setup();
    const rows = [
      { key: '1', kind: 'alarm' as const },
      { key: '2', kind: 'alarm' as const },
    ];
    const answer = (await handle({ type: 'marks.onScreen', console: sender.origin, rows }, sender)) as {
      auto: Record<string, AutoEnrichedMark>;
      autoFields: string[];
    };
    const marks = answer.auto;
    expect(answer.autoFields).toEqual(['SIP']); // which fields the page proposes rows by, in the same answer
    expect(marks['alarm:1']?.runId).toBe('local-1');
    expect(marks['alarm:2']?.runId).toBe('remote-2');
    expect(autoEnrich.marks).toHaveBeenCalledWith(sender.origin, rows);
  });

  it('opens the orchestrator’s triggered run when there is one, else this browser’s', async () => {
    const { autoEnriched, handle } = setup();
    expect(await handle({ type: 'triggers.run', row: { key: '2', kind: 'alarm' } }, sender)).toMatchObject({
      id: 'remote-2',
    });
    autoEnriched.run.mockRejectedValueOnce(new Error('no triggered run'));
    expect(await handle({ type: 'triggers.run', row: { key: '1', kind: 'alarm' } }, sender)).toMatchObject({
      id: 'local-1',
    });
  });
});

describe('the popup’s switch', () => {
  it('saves the console’s switch, and refuses to switch on a console with no rule', async () => {
    const origin = sampleContext.console;
    let saved: Settings = { ...DEFAULT_SETTINGS, consoles: [origin] };
    const store = {
      load: async () => saved,
      save: async (next: Settings) => {
        saved = next;
        return next;
      },
    };
    const service = { status: vi.fn(async (o: string) => ({ origin: o }) as never) };
    const toggle = createAutoEnrichSwitch({ settings: store, service });
    await expect(toggle.set(origin, true)).rejects.toMatchObject({ code: 'bad_request' });
    expect(saved.autoEnrich).toBeUndefined();

    const rule = { field: 'SIP', when: 'public-ip' as const, actionId: 'ip-reputation' };
    saved = {
      ...saved,
      autoEnrich: { [origin]: { enabled: false, rules: [rule], perMinute: 5, concurrency: 1 } },
    };
    await toggle.set(`${origin}/some/page`, true);
    expect(saved.autoEnrich?.[origin]).toEqual({
      enabled: true,
      rules: [rule],
      perMinute: 5,
      concurrency: 1,
    });
    await toggle.set(origin, false);
    expect(saved.autoEnrich?.[origin]?.enabled).toBe(false);
    expect(service.status).toHaveBeenLastCalledWith(origin);
  });
});
