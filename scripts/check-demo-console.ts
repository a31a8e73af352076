import { chromium } from 'playwright-core';
import { startDemoConsole } from '../demo/server.ts';

/**
 * Opens every demo console page in real Chromium and checks that the grids render virtualized rows,
 * that hostile cell values stay text, and saves screenshots for a human look.
 *   tsx scripts/check-demo-console.ts [--out /tmp/demo-console]
 */

const out = process.argv.includes('--out')
  ? process.argv[process.argv.indexOf('--out') + 1]!
  : '/tmp/demo-console';

const PAGES: Array<{ path: string; name: string; rows: string; virtualized?: boolean }> = [
  { path: '/analyzer.html#logs', name: 'analyzer-logs', rows: '.ag-row:not(.ag-header-row)' },
  { path: '/analyzer.html#alarms', name: 'analyzer-alarms', rows: '#alarms-grid .ag-row' },
  { path: '/analyzer-v35.html', name: 'analyzer-v35', rows: '.ag-center-cols-container .ag-row' },
  // A plain table is not virtualized: all 500 logs plus hour separator rows are in the DOM.
  { path: '/table.html', name: 'table', rows: 'table tbody tr', virtualized: false },
  { path: '/aria.html', name: 'aria', rows: '[role=grid] [role=row]:not(:has([role=columnheader]))' },
];

async function main(): Promise<void> {
  const demo = await startDemoConsole({ port: 0 });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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
      await page.goto(demo.url + spec.path);
      await page.waitForSelector(spec.rows, { timeout: 20_000 });
      await page.waitForTimeout(300);
      const loadMs = Date.now() - started;
      const facts = await page.evaluate((rows) => {
        // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
        return {
          rows: [...document.querySelectorAll(rows)].filter((el) => (el as HTMLElement).offsetParent !== null)
            .length,
          headers: [...document.querySelectorAll('[role=columnheader]')].filter(
            (el) => (el as HTMLElement).offsetParent !== null,
          ).length,
          injected: document.querySelectorAll(
            '[role=gridcell] img, [role=gridcell] script, td img, td script',
          ).length,
          rowIds: [...document.querySelectorAll(rows)]
            .slice(0, 3)
            .map((r) => r.getAttribute('row-id') ?? r.getAttribute('aria-rowindex')),
          colCount:
            document.querySelector('[role=grid],[role=treegrid]')?.getAttribute('aria-colcount') ?? null,
        };
      }, spec.rows);
      const rowsOk = spec.virtualized === false ? facts.rows >= 500 : facts.rows > 0 && facts.rows < 200;
      const ok = rowsOk && facts.injected === 0 && problems.length === 0;
      if (!ok) failures++;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${spec.name}: ${JSON.stringify(facts)} load ${loadMs} ms`);
      for (const p of problems) console.log(`     ${p}`);
      await page.screenshot({ path: `${out}-${spec.name}.png` });
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
