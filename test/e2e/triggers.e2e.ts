import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmEvent, postSignedEvent } from '../../demo/alarm-events.ts';
import { THREAT_IPS } from '../../demo/generator/index.ts';
import { RunSchema } from '../../src/core/api.ts';
import { TriggeredRunsSchema } from '../../src/core/triggers-api.ts';
import { demoPerson, type Stack, startStack } from '../support/e2e-stack.ts';
import { shadowBox, shadowClick, shadowQueryAll, shadowText, shadowWaitFor } from '../support/shadow-dom.ts';
import { outputFrameText } from './analyst.ts';

/**
 * Triggers end to end, in real Chromium against the real orchestrator with the demo config: an alarm of
 * the demo console, posted to the events endpoint with a valid signature, triggers IP Reputation by the
 * demo rule; when the analyst opens the Alarms tab, that alarm's row already shows "auto-enriched" with
 * the verdict, without a click on the row. A click on the chip shows the run beside the row.
 */

const IP_REPUTATION = 'gridside-demo-ip-reputation/ip-reputation-origin-ip';
const NETWORK_RULES = ['Outbound Connection To Known C2', 'VPN Logon From Known Bad IP'];

let stack: Stack;
let page: Page;
/** The alarm the first test enriched. */
let firstAlarmId = '';

beforeAll(async () => {
  stack = await startStack({ logs: 500, alarms: 200 });
  page = await stack.openConsole('/analyzer.html#logs', '#logs-grid .ag-row[row-index]');
  await page.waitForFunction(() => 'gridApi' in window, undefined, { timeout: 60_000 });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

const cellOf = (index: number, column: string) =>
  page.locator(`#alarms-grid .ag-row[row-index="${index}"] [col-id="${column}"]`).first();

describe('an alarm enriched by a trigger before the analyst looks', () => {
  it('shows the verdict of the triggered IP Reputation on the alarm row, and the run on a click', {
    timeout: 240_000,
  }, async () => {
    // An alarm near the top raised by a network rule, whose origin IP is on the demo threat list.
    const threats = THREAT_IPS.map((t) => t.ip);
    const { index, row } = await page.evaluate(
      ({ rules, threats }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
        const grid = (window as any).gridApi.alarms;
        for (let i = 1; i < 12; i++) {
          const data = grid.getDisplayedRowAtIndex(i)?.data;
          const rule = String(data?.AlarmRuleName ?? '').replace(/^AIE:\s*/, '');
          if (data?.SIP && rules.includes(rule) && threats.includes(data.SIP)) return { index: i, row: data };
        }
        throw new Error('no network alarm with a known-bad origin IP among the first rows');
      },
      { rules: NETWORK_RULES, threats },
    );
    const alarmId = String(row.AlarmId);
    firstAlarmId = alarmId;
    expect(await shadowQueryAll(page, '.auto-mark')).toHaveLength(0);

    // The SIEM announces the alarm, signed with the demo webhook secret.
    const accepted = await postSignedEvent(stack.orchestrator.url, alarmEvent(row));
    expect(accepted.key).toEqual({ kind: 'alarm', value: alarmId });
    const started = accepted.runs.find((run) => run.rule === 'Reputation of the origin IP of network alarms');
    expect(started).toBeDefined();

    const analyst = demoPerson('analyst', stack.orchestrator.tokens).token;
    const done = RunSchema.parse(
      await (
        await fetch(`${stack.orchestrator.url}/api/v1/runs/${started!.runId}?wait=30`, {
          headers: { authorization: `Bearer ${analyst}` },
        })
      ).json(),
    );
    expect(done).toMatchObject({ actionId: IP_REPUTATION, status: 'succeeded', alarmId });
    expect(Object.values(done.params)).toEqual([row.SIP]);
    // The verdict is the run's most severe taxonomy: a listed IP is suspicious or malicious.
    const levels = (done.output?.taxonomies ?? []).map((t) => t.level);
    const verdict = (['malicious', 'suspicious'] as const).find((level) => levels.includes(level));
    expect(verdict).toBeDefined();
    const marks = TriggeredRunsSchema.parse(
      await (
        await fetch(`${stack.orchestrator.url}/api/v1/triggered-runs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json' },
          body: JSON.stringify({ rows: [{ kind: 'alarm', key: alarmId }] }),
        })
      ).json(),
    );
    expect(marks.rows[`alarm:${alarmId}`]?.verdict).toBe(verdict);

    // The analyst opens the Alarms tab: the chip is there with no click on the row.
    await page.locator('#tab-alarms').click();
    await page.waitForSelector('#alarms-grid .ag-row[row-index="0"] [col-id="AlarmId"]', { timeout: 60_000 });
    expect(((await cellOf(index, 'AlarmId').textContent()) ?? '').trim()).toBe(alarmId);
    await shadowWaitFor(page, '.auto-mark[data-shown]', { text: `Auto · ${verdict}`, timeoutMs: 30_000 });
    expect(await shadowQueryAll(page, '.auto-mark[data-shown]')).toHaveLength(1);
    const chip = await shadowBox(page, '.auto-mark[data-shown]');
    const box = await page.locator(`#alarms-grid .ag-row[row-index="${index}"]`).first().boundingBox();
    const middle = ((chip?.top ?? 0) + (chip?.bottom ?? 0)) / 2;
    expect(middle).toBeGreaterThan(box?.y ?? 0);
    expect(middle).toBeLessThan((box?.y ?? 0) + (box?.height ?? 0));
    expect(await panelClosed(page)).toBe(true);

    // A click on the chip shows the triggered run beside the row, like a pinned result.
    await shadowClick(page, '.auto-mark[data-shown]');
    await shadowWaitFor(page, '.auto-run-view .auto-run', { text: 'Succeeded', timeoutMs: 20_000 });
    const [text = ''] = await shadowText(page, '.auto-run-view');
    expect(text).toContain(`Alarm ${alarmId}`);
    expect(text).toContain('rule "Reputation of the origin IP of network alarms"');
    // The run's output (the plugin's report on the IP) is in the output frame beside it.
    await expect.poll(() => outputFrameText(page), { timeout: 10_000 }).toContain(String(row.SIP));
    expect(await shadowQueryAll(page, `.auto-run-view .chip.${verdict}`)).not.toHaveLength(0);
  });
});

describe('an alarm enriched by a trigger while the analyst looks at it', () => {
  it('gets its chip without a click, a key or a scroll', { timeout: 180_000 }, async () => {
    await page.keyboard.press('Escape'); // the run opened above
    await page.mouse.move(5, 5);
    const chipped = await shadowQueryAll(page, '.auto-mark[data-shown]');
    // Another network alarm on screen, not yet enriched.
    const target = await page.evaluate(
      ({ rules, enriched }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the demo console exposes its ag-Grid API for tests
        const grid = (window as any).gridApi.alarms;
        for (let i = 0; i < 12; i++) {
          const data = grid.getDisplayedRowAtIndex(i)?.data;
          const rule = String(data?.AlarmRuleName ?? '').replace(/^AIE:\s*/, '');
          if (data?.SIP && rules.includes(rule) && String(data.AlarmId) !== enriched) return data;
        }
        throw new Error('no second network alarm among the first rows');
      },
      { rules: [...NETWORK_RULES, 'Port Scan From Known Scanner'], enriched: firstAlarmId },
    );
    await page.waitForTimeout(1_000); // the marks have answered about the rows as they are
    const accepted = await postSignedEvent(stack.orchestrator.url, alarmEvent(target));
    expect(accepted.runs.length).toBeGreaterThan(0);
    // Nothing happens on the page: the marks' recheck of a visible tab (20 s) finds the run.
    await expect
      .poll(async () => (await shadowQueryAll(page, '.auto-mark[data-shown]')).length, {
        timeout: 45_000,
        interval: 1_000,
      })
      .toBe(chipped.length + 1);
  });
});

/** No action panel was opened for the row: the verdict came without the analyst asking. */
async function panelClosed(target: Page): Promise<boolean> {
  const raw = await target.locator('[data-gridside]').first().getAttribute('data-gridside-state');
  return !raw || JSON.parse(raw).open === false;
}
