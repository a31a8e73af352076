import { chromium, type Page } from 'playwright-core';
import { startDemoConsole } from '../demo/server.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';

exitWithUsageOnHelp(`usage: npx tsx scripts/check-demo-console.ts [--out /tmp/demo-console]

Opens every demo console page in Chromium and checks what the extension meets there (virtualized rows
and columns, split rows, recycled rows, hostile values shown as text); saves a screenshot per page.`);

/**
 * Opens every demo console page in real Chromium (Debian's /usr/bin/chromium) and checks what the
 * extension will meet there: virtualized rows and columns, split rows on ag-Grid 35, recycled rows in the
 * ARIA grid, and hostile values shown as text. Saves a screenshot per page for a human look.
 *   tsx scripts/check-demo-console.ts [--out /tmp/demo-console]
 * Note: no named functions inside page.evaluate callbacks; tsx wraps them in a `__name` helper the page
 * does not have.
 */

const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1]! : '/tmp/demo-console';

type Check = (page: Page) => Promise<Record<string, unknown>>;

const BODY_ROWS = '.ag-row:not(.ag-header-row)';

/** Counts rendered rows and headers, and any element that a hostile value would have created. */
const basics =
  (rows: string): Check =>
  (page) =>
    page.evaluate((rows) => {
      const shown = [...document.querySelectorAll(rows)].filter(
        (el) => (el as HTMLElement).offsetParent !== null,
      );
      return {
        rows: shown.length,
        headers: [...document.querySelectorAll('[role=columnheader]')].filter(
          (el) => (el as HTMLElement).offsetParent !== null,
        ).length,
        injected: document.querySelectorAll(
          ':is([role=gridcell], td) :is(img, script, svg, iframe, b, a, style)',
        ).length,
        colspanCells: document.querySelectorAll('td[colspan], th[colspan]').length,
        colCount: document
          .querySelector('[role=grid]:not([hidden] *),[role=treegrid]')
          ?.getAttribute('aria-colcount'),
      };
    }, rows);

/** Scrolls an ag-Grid (through the page's exposed API) to a row with an HTML payload and reads the cell. */
const hostileCell =
  (grid: 'logs' | 'alarms'): Check =>
  (page) =>
    page.evaluate(async (grid) => {
      // biome-ignore lint/suspicious/noExplicitAny: page global set by the demo console for tests
      const api = (window as any).gridApi[grid];
      let hit: { index: number; field: string; value: string; id: string } | null = null;
      api.forEachNodeAfterFilterAndSort(
        (node: { rowIndex: number; id: string; data: Record<string, unknown> }) => {
          if (hit) return;
          for (const [field, value] of Object.entries(node.data)) {
            if (field !== 'Message' && typeof value === 'string' && /<[a-z]/i.test(value)) {
              hit = { index: node.rowIndex, field, value, id: node.id };
              return;
            }
          }
        },
      );
      if (!hit) return { hostile: 'none in data' };
      const { index, field, value, id } = hit as { index: number; field: string; value: string; id: string };
      api.ensureIndexVisible(index, 'middle');
      api.ensureColumnVisible(field);
      await new Promise((r) => setTimeout(r, 400));
      const cell = document.querySelector(
        `.ag-row[row-id="${CSS.escape(id)}"] [col-id="${CSS.escape(field)}"]`,
      );
      return {
        hostileField: field,
        hostileShownAsText: cell?.textContent === value && cell.querySelector('*:not(span)') === null,
      };
    }, grid);

/** Jumps deep into the grid: rows stay virtualized and the right-most column comes into the DOM. */
const deepScroll: Check = (page) =>
  page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: page global set by the demo console for tests
    const api = (window as any).gridApi.logs;
    const lastColumn = api.getAllDisplayedColumns().at(-1).getColId();
    const before = document.querySelector(`.ag-header-cell[col-id="${lastColumn}"]`) !== null;
    api.ensureIndexVisible(40_000, 'top');
    api.ensureColumnVisible(lastColumn);
    await new Promise((r) => setTimeout(r, 600));
    const indexes = [...document.querySelectorAll('#logs-grid .ag-row[row-index]')].map((r) =>
      Number(r.getAttribute('row-index')),
    );
    return {
      lastColumn,
      lastColumnRenderedAtStart: before,
      lastColumnRenderedAfterScroll:
        document.querySelector(`.ag-header-cell[col-id="${lastColumn}"]`) !== null,
      rowsAfterScroll: new Set(indexes).size,
      minRowIndexAfterScroll: Math.min(...indexes),
    };
  });

/** ag-Grid 35 with pinned columns: one logical row is three DOM rows sharing a row-id. */
const splitRows: Check = (page) =>
  page.evaluate(() => {
    const first = document.querySelector('.ag-center-cols-container .ag-row');
    const id = first?.getAttribute('row-id') ?? '';
    const parts = [...document.querySelectorAll(`.ag-row[row-id="${CSS.escape(id)}"]`)];
    return {
      splitRowId: id,
      splitParts: parts.map((p) => p.parentElement?.className.match(/ag-[a-z-]+-container/)?.[0]),
    };
  });

/** The ARIA grid reuses row elements: after a scroll, the same element shows another row. */
const recycledRows: Check = (page) =>
  page.evaluate(async () => {
    const grid = document.querySelector('[role=grid]') as HTMLElement;
    const row = grid.querySelector('[role=row][aria-rowindex="2"]') as HTMLElement;
    const text = row.textContent;
    grid.scrollTop = 260_000;
    await new Promise((r) => setTimeout(r, 300));
    return {
      sameElementReused:
        row.isConnected && row.getAttribute('aria-rowindex') !== '2' && row.textContent !== text,
      reusedAs: row.getAttribute('aria-rowindex'),
      rowsAfterScroll: grid.querySelectorAll('[role=row]:not([hidden])').length - 1,
      renderedHeaders: grid.querySelectorAll('[role=columnheader]').length,
      colCount: grid.getAttribute('aria-colcount'),
    };
  });

const PAGES: Array<{ path: string; name: string; rows: string; virtualized?: boolean; checks: Check[] }> = [
  {
    path: '/analyzer.html#logs',
    name: 'analyzer-logs',
    rows: `#logs-grid ${BODY_ROWS}`,
    checks: [hostileCell('logs'), deepScroll],
  },
  {
    path: '/analyzer.html#alarms',
    name: 'analyzer-alarms',
    rows: `#alarms-grid ${BODY_ROWS}`,
    checks: [hostileCell('alarms')],
  },
  {
    path: '/analyzer-v35.html',
    name: 'analyzer-v35',
    rows: '.ag-center-cols-container .ag-row',
    checks: [splitRows, hostileCell('logs')],
  },
  // A plain table is not virtualized: all 500 logs plus hour separator rows are in the DOM.
  { path: '/table.html', name: 'table', rows: 'table tbody tr', virtualized: false, checks: [] },
  {
    path: '/aria.html',
    name: 'aria',
    rows: '[role=grid] [role=row]:not([aria-rowindex="1"])',
    checks: [recycledRows],
  },
];

async function main(): Promise<void> {
  const demo = await startDemoConsole({ port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...QUIET_CHROMIUM_ARGS],
  });
  let failures = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('dialog', (d) => {
      problems.push(`dialog opened: ${d.message()} (a hostile value ran as script)`);
      void d.dismiss();
    });
    for (const spec of PAGES) {
      problems.length = 0;
      const started = Date.now();
      await page.goto('about:blank');
      await page.goto(demo.url + spec.path);
      await page.waitForSelector(spec.rows, { timeout: 90_000 });
      const firstRowsMs = Date.now() - started;
      await page.waitForTimeout(300);
      const facts = await basics(spec.rows)(page);
      await page.screenshot({ path: `${out}-${spec.name}.png` });
      for (const check of spec.checks) Object.assign(facts, await check(page));
      const rows = Number(facts.rows);
      const rowsOk = spec.virtualized === false ? rows >= 500 : rows > 0 && rows < 200;
      const ok =
        rowsOk && facts.injected === 0 && facts.hostileShownAsText !== false && problems.length === 0;
      if (!ok) failures++;
      console.log(
        `${ok ? 'ok  ' : 'FAIL'} ${spec.name} (first rows after ${firstRowsMs} ms): ${JSON.stringify(facts)}`,
      );
      for (const p of problems) console.log(`     ${p}`);
    }
  } finally {
    await browser.close();
    await demo.close();
  }
  process.exitCode = failures > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
