// Finds a Chromium for the end-to-end tests and the demo, installing Debian's `chromium` with apt when it
// can (root, apt-get present). Prints the executable path on stdout; exits 1 with plain instructions when
// no browser can be had. playwright-core never downloads a browser here: it drives the system one.

import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { ensureBrowser, findBrowser } from './support/system-browser.ts';

/**
 * Flags for every Chromium Gridside starts (demo, tests, benchmarks): no background traffic to Google's
 * services, which a closed network answers with refusals, and no first-run or sync UI.
 */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Flags that load one unpacked extension (Playwright adds --disable-extensions; the first undoes it). */
export const loadExtensionArgs = (dist: string): string[] => [
  `--disable-extensions-except=${dist}`,
  `--load-extension=${dist}`,
];

const CHROMIUM = {
  name: 'Chromium',
  candidates: [
    process.env.GRIDSIDE_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ],
  aptPackage: 'chromium',
};

export const findChromium = (): string | undefined => findBrowser(CHROMIUM);

export const ensureChromium = ({ install = true }: { install?: boolean } = {}): string | undefined =>
  ensureBrowser(CHROMIUM, { install });

export const INSTALL_HELP = [
  'No Chromium or Chrome was found, and it could not be installed automatically.',
  'Install one, then run the command again:',
  '  Debian/Ubuntu:  sudo apt-get install chromium',
  '  Fedora:         sudo dnf install chromium',
  '  macOS:          brew install --cask chromium',
  'or point Gridside at an existing browser: GRIDSIDE_CHROMIUM=/path/to/chrome',
].join('\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  exitWithUsageOnHelp(`usage: npx tsx scripts/ensure-chromium.ts

Finds a Chromium for the end-to-end tests and the demo (GRIDSIDE_CHROMIUM, else Debian's chromium,
installed with apt when run as root). Prints its path, or exits 1 with what to install.`);
  const path = ensureChromium();
  if (!path) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  console.log(path);
}
