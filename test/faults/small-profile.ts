import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumPath } from '../support/extension-browser.ts';

/**
 * Chromium with its profile on a small file system of its own, so a test can fill the disk the browser
 * keeps Gridside's IndexedDB on. Chrome grants an origin storage in proportion to the free disk space,
 * and refuses writes (QuotaExceededError) when there is none: the way an analyst's browser runs out of
 * storage. (Chrome's quota override for tests does not apply to extension origins.)
 *
 * `use()` points the browser launcher (GRIDSIDE_CHROMIUM) at a wrapper that mounts a tmpfs over the
 * profile folder in a private mount namespace, then starts Chromium there; the test reaches the profile
 * through `/proc/<browser pid>/root`. Needs root for `unshare -m` and `mount`.
 */
export interface SmallProfile {
  /** Makes the next browser launch use the small profile disk; answers a function that undoes it. */
  use(): () => void;
  /** A path inside the browser's profile folder, as this test process reaches it. */
  reach(inside: string): string;
  /** The profile folder, as the browser sees it. */
  profileDir(): string;
  close(): void;
}

export function smallProfile(sizeBytes: number): SmallProfile {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-small-profile-'));
  const wrapper = path.join(dir, 'chromium');
  const pidFile = path.join(dir, 'browser.pid');
  const profileFile = path.join(dir, 'profile');
  // Every exec keeps the process id: the pid written is Chromium's own.
  writeFileSync(
    wrapper,
    `#!/bin/sh
for arg in "$@"; do case "$arg" in --user-data-dir=*) profile="\${arg#--user-data-dir=}";; esac; done
echo $$ > '${pidFile}'
printf '%s' "$profile" > '${profileFile}'
exec unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=${sizeBytes} tmpfs "$0" && exec "$@"' "$profile" '${chromiumPath()}' "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  const pid = () => readFileSync(pidFile, 'utf8').trim();
  return {
    use() {
      const before = process.env.GRIDSIDE_CHROMIUM;
      process.env.GRIDSIDE_CHROMIUM = wrapper;
      return () => {
        if (before === undefined) delete process.env.GRIDSIDE_CHROMIUM;
        else process.env.GRIDSIDE_CHROMIUM = before;
      };
    },
    profileDir: () => readFileSync(profileFile, 'utf8'),
    reach: (inside) => path.join(`/proc/${pid()}/root`, readFileSync(profileFile, 'utf8'), inside),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
