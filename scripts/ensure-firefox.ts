// Finds Firefox for the Firefox end-to-end tests, installing Debian's `firefox-esr` with apt when it can
// (root, apt-get present), as ensure-chromium.ts does for Chromium. Prints the executable path on stdout;
// exits 1 with plain instructions when no Firefox can be had. puppeteer-core never downloads a browser
// here: it drives the system one.

import { exitWithUsageOnHelp } from '../src/orchestrator/cli-usage.ts';
import { ensureBrowser, findBrowser } from './support/system-browser.ts';

const FIREFOX = {
  name: 'Firefox',
  candidates: [
    process.env.GRIDSIDE_FIREFOX,
    '/usr/bin/firefox-esr',
    '/usr/bin/firefox',
    '/Applications/Firefox.app/Contents/MacOS/firefox',
  ],
  aptPackage: 'firefox-esr',
};

export const findFirefox = (): string | undefined => findBrowser(FIREFOX);

export const ensureFirefox = ({ install = true }: { install?: boolean } = {}): string | undefined =>
  ensureBrowser(FIREFOX, { install });

export const FIREFOX_INSTALL_HELP = [
  'No Firefox was found, and it could not be installed automatically.',
  'The Firefox end-to-end tests need Firefox 142 or later (ESR is fine). Install it, then run again:',
  '  Debian:         sudo apt-get install firefox-esr',
  '  Ubuntu:         sudo apt-get install firefox',
  '  Fedora:         sudo dnf install firefox',
  '  macOS:          brew install --cask firefox',
  'or point Gridside at an existing browser: GRIDSIDE_FIREFOX=/path/to/firefox',
].join('\n');

if (import.meta.url === `file://${process.argv[1]}`) {
  exitWithUsageOnHelp(`usage: npx tsx scripts/ensure-firefox.ts

Finds Firefox for the Firefox end-to-end tests (GRIDSIDE_FIREFOX, else Debian's firefox-esr, installed
with apt when run as root). Prints its path, or exits 1 with what to install.`);
  const path = ensureFirefox();
  if (!path) {
    console.error(FIREFOX_INSTALL_HELP);
    process.exit(1);
  }
  console.log(path);
}
