import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABUSE_FINDER,
  CORTEX_API_KEY,
  type CortexStack,
  firstSipCell,
  startCortexStack,
} from '../support/cortex-stack.ts';
import { openPanelFromRow, panelText, runAction } from './analyst.ts';

/**
 * A team that already runs TheHive Cortex points Gridside at it instead of the Gridside orchestrator: the
 * analyst runs a Cortex analyzer from a grid row and reads its taxonomies as verdict chips. The Cortex
 * server answers with the recorded job report from Cortex's API guide (test/fixtures/engines/).
 */

let setup: CortexStack;
let page: Page;

beforeAll(async () => {
  setup = await startCortexStack();
  page = setup.page;
});

afterAll(async () => {
  await setup?.stop();
});

describe('a Cortex analyzer run from a grid row', () => {
  it('sends the row’s IP to Cortex with the API key and shows the report’s taxonomies as chips', async () => {
    const cell = await firstSipCell(page);
    const sip = (await cell.textContent())?.trim() ?? '';

    const opened = await openPanelFromRow(page, cell);
    if (opened.catalog === 'error') throw new Error(`the catalog did not load: ${await panelText(page)}`);
    const state = await runAction(page, `${ABUSE_FINDER.name} on SIP`);

    expect(state.status).toBe('succeeded');
    expect(state.verdicts.join(' ')).toContain('info');
    expect(state.stdout ?? '').toContain('Abuse_Finder:Address = network-abuse@google.com');
    const started = setup.cortex.requests.find((r) => r.method === 'POST');
    expect(started?.json).toMatchObject({ data: sip, dataType: 'ip' });
    expect(started?.headers.authorization).toBe(`Bearer ${CORTEX_API_KEY}`);
  });
});
