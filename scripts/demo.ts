/**
 * `npm run demo`: builds the extension (demo mode), starts the Gridside orchestrator with the demo plugins
 * and the demo console, points the extension at them, and opens Chromium with the extension loaded.
 * Without a display or a browser it prints exactly what to load and where to point it.
 *
 *   npm run demo                              # everything, browser if a display is available
 *   npm run demo -- --no-browser             # services only, print how to load dist/
 *   npm run demo -- --screenshot docs/screenshot.png   # headless: run an action in the grid, save a picture
 *   npm run demo -- --console-port 8080 --orchestrator-port 8787 --no-build
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { postDemoAlarms } from '../demo/alarm-events.ts';
import { startDemoConsole } from '../demo/server.ts';
import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { lookupWithId } from '../src/orchestrator/run-as.ts';
import { findChromium, loadExtensionArgs, QUIET_CHROMIUM_ARGS } from './ensure-chromium.ts';

exitWithUsageOnHelp(`usage: npm run demo [-- --no-browser] [-- --screenshot FILE] [-- --console-port 8080 --orchestrator-port 8787 --no-build]

Builds the extension (demo mode), starts the orchestrator with the demo plugins and the demo console,
points the extension at them and opens Chromium with it loaded. Without a display or a browser it prints
what to load and where to point it.`);

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STATE = path.join(ROOT, '.gridside-demo');
// Run as root, the orchestrator runs plugins as `nobody` (runAs in the demo config): the demo directory's
// state gets a folder of its own that user may write, and the rest of .gridside-demo stays root's.
const PLUGIN_STATE = path.join(STATE, 'plugin-state');
const DEMO_CONFIG = path.join(ROOT, 'demo', 'orchestrator.config.json');

/** The demo config's token for a role (demo-only tokens, never real secrets). */
function demoToken(role: string): string {
  const config = JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as {
    tokens: { roles: string[]; token?: string }[];
  };
  const token = config.tokens.find((t) => t.roles.includes(role))?.token;
  if (!token) throw new Error(`demo/orchestrator.config.json has no ${role} token`);
  return token;
}
const ANALYST_TOKEN = demoToken('analyst');
const APPROVER_TOKEN = demoToken('approver');
const ADMIN_TOKEN = demoToken('admin');

const { values } = parseArgs({
  options: {
    build: { type: 'boolean', default: true },
    browser: { type: 'boolean', default: true },
    screenshot: { type: 'string' },
    'console-port': { type: 'string', default: '8080' },
    'orchestrator-port': { type: 'string', default: '8787' },
  },
  allowNegative: true,
  strict: true,
});

function step(message: string): void {
  process.stdout.write(`\u25b6 ${message}\n`);
}

function startOrchestrator(port: number): Promise<{ url: string; child: ChildProcess }> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(
    tsx,
    [
      'src/orchestrator/main.ts',
      '--plugins',
      'demo/plugins',
      '--config',
      DEMO_CONFIG,
      '--port',
      String(port),
      '--data-dir',
      path.join(STATE, 'orchestrator'),
      // The demo config sits in the repository for anyone to read and its tokens are public.
      '--allow-readable-config',
      // The demo plugins come from this checkout, which a `git pull` updates: trust them as they are at
      // each start. The demo config requires signatures, so only files the demo key signed are trusted.
      '--reimport',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GRIDSIDE_DEMO_STATE_FILE: path.join(PLUGIN_STATE, 'directory-state.json') },
    },
  );
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /gridside-orchestrator listening on (\S+)/.exec(seen);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `the orchestrator exited with code ${code} (is port ${port} taken? try --orchestrator-port 0)`,
        ),
      ),
    );
  });
}

function hasDisplay(): boolean {
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform === 'darwin');
}

async function main(): Promise<void> {
  mkdirSync(PLUGIN_STATE, { recursive: true });
  const [uid, gid] = [lookupWithId('nobody', 'uid'), lookupWithId('nobody', 'gid')];
  if (process.getuid?.() === 0 && uid !== undefined && gid !== undefined) chownSync(PLUGIN_STATE, uid, gid);
  if (values.build) {
    step('Building the extension (demo mode) into dist/');
    const build = spawnSync('npx', ['vite', 'build', '--mode', 'demo'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the extension build failed (see above)');
  }

  step('Starting the Gridside orchestrator with the demo plugins');
  const orchestrator = await startOrchestrator(Number(values['orchestrator-port']));
  step('Starting the demo console');
  const demoConsole = await startDemoConsole({ port: Number(values['console-port']) }).catch(
    (error: unknown) => {
      orchestrator.child.kill('SIGTERM');
      throw error;
    },
  );
  const consoleUrl = `${demoConsole.url}/analyzer.html#logs`;

  // The demo build reads this file once, at install, and starts already pointed at the demo orchestrator.
  writeFileSync(
    path.join(DIST, 'demo-config.json'),
    `${JSON.stringify({ orchestrator: { url: orchestrator.url, token: ANALYST_TOKEN }, consoles: [demoConsole.url] }, null, 2)}\n`,
  );

  // Triggers: the newest alarms are announced as a SIEM would (signed events), so the demo rules have
  // enriched them before the analyst opens the Alarms tab.
  step('Announcing the newest alarms to the orchestrator (signed events for its trigger rules)');
  await postDemoAlarms({ orchestratorUrl: orchestrator.url, consoleUrl: demoConsole.url, count: 40 }).then(
    (runs) =>
      step(
        runs > 0
          ? `The trigger rules started ${runs} runs; their verdicts show on the Alarms tab`
          : 'The trigger rules enriched these alarms in an earlier demo run (once per dedupe window); their verdicts show on the Alarms tab',
      ),
    (error: unknown) => step(`Announcing the alarms failed (${String(error)}); triggers stay idle`),
  );

  const stopAll = async (): Promise<void> => {
    orchestrator.child.kill('SIGTERM');
    await demoConsole.close();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  if (values.screenshot) {
    // A failed picture must not leave the orchestrator running: the next demo would find its port taken.
    try {
      const { takeDemoScreenshot } = await import('./demo-screenshot.ts');
      await takeDemoScreenshot({ consoleUrl, out: path.resolve(values.screenshot) });
      step(`Screenshot saved to ${values.screenshot}`);
    } finally {
      await stopAll();
    }
    return;
  }

  const chromium = findChromium();
  const canOpen = values.browser && chromium && hasDisplay();
  process.stdout.write(
    [
      '',
      'Gridside demo is running.',
      `  Demo console (Analyzer grid):  ${consoleUrl}`,
      `  Alarms tab:                    ${demoConsole.url}/analyzer.html#alarms`,
      `  Other grids:                   ${demoConsole.url}/analyzer-v35.html  /table.html  /aria.html`,
      `  Grid libraries:                ${demoConsole.url}/grids/slickgrid.html  /grids/tabulator.html  /grids/eui.html  /grids/mui.html  /grids/tanstack.html`,
      `  Grids in a modal dialog:       ${demoConsole.url}/grids/mui-dialog.html  /grids/eui-modal.html  /grids/radix-dialog.html`,
      `  A grid to teach Gridside:      ${demoConsole.url}/custom-grid.html`,
      `  Orchestrator:                  ${orchestrator.url}  (health: ${orchestrator.url}/api/v1/health)`,
      `  Analyst token:                 ${ANALYST_TOKEN}`,
      `  Approver token:                ${APPROVER_TOKEN}`,
      `  Admin token (Plugins section): ${ADMIN_TOKEN}`,
      '',
    ].join('\n'),
  );
  if (canOpen && chromium) {
    step(`Opening ${path.basename(chromium)} with the extension loaded (profile in .gridside-demo/profile)`);
    const browser = spawn(
      chromium,
      [
        `--user-data-dir=${path.join(STATE, 'profile')}`,
        ...loadExtensionArgs(DIST),
        ...QUIET_CHROMIUM_ARGS.filter((arg) => arg !== '--disable-gpu'),
        consoleUrl,
      ],
      { stdio: 'ignore' },
    );
    browser.once('exit', () => void stopAll().then(() => process.exit(0)));
  } else {
    process.stdout.write(
      [
        values.browser
          ? `No ${chromium ? 'display' : 'Chromium or Chrome'} here, so no browser was opened. To use the demo:`
          : 'To use the demo:',
        '  1. Open chrome://extensions (or edge://extensions), turn on "Developer mode".',
        `  2. Click "Load unpacked" and choose ${DIST}`,
        `  3. Open ${consoleUrl}`,
        '     The demo build is already pointed at the orchestrator above (dist/demo-config.json).',
        '     If you loaded the extension before this run, set the orchestrator URL and the analyst token',
        '     in the extension options instead.',
        '  4. Hover a row and click the round ▶ button at its end ("Run SmartResponse"), or right-click a row → "Run SmartResponse on this row".',
        '',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gridside demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
