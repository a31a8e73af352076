// The browsers the end-to-end tests drive come from the system, never downloaded by a test library: this
// finds one, or installs its Debian package with apt-get when it can (root, apt-get present).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemBrowser {
  /** As the analyst knows it: `Chromium`, `Firefox`. */
  name: string;
  /** Paths to try, first found wins (an environment override first). */
  candidates: ReadonlyArray<string | undefined>;
  /** The Debian package that provides it. */
  aptPackage: string;
}

export function findBrowser(browser: SystemBrowser): string | undefined {
  return browser.candidates.find((path): path is string => !!path && existsSync(path));
}

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** The browser's path, installing its package first when it is missing and that is possible here. */
export function ensureBrowser(browser: SystemBrowser, { install = true } = {}): string | undefined {
  const found = findBrowser(browser);
  if (found || !install) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return undefined;
  console.error(
    `${browser.name} is missing: installing Debian package "${browser.aptPackage}" with apt-get…`,
  );
  if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', browser.aptPackage]))
    return findBrowser(browser);
  return undefined;
}
