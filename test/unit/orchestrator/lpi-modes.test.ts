import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { extractLpi } from '../../../src/orchestrator/lpi.ts';

/**
 * A package's archive says which owner and mode each file had where it was built. An orchestrator that
 * unpacks as root must not take them: a file owned by root with the setuid bit, run by a plugin that
 * runs as an unprivileged account, would run as root.
 */

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-lpi-modes-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

it('unpacks files without setuid, setgid or sticky bits, and writable only by their owner', async () => {
  const root = path.join(work, 'root');
  const bin = path.join(root, 'Plugin', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'actions.xml'), '<x/>');
  writeFileSync(path.join(bin, 'escalate'), '#!/bin/sh\n');
  chmodSync(path.join(bin, 'escalate'), 0o6777);
  chmodSync(bin, 0o1777);
  const archive = path.join(work, 'modes.lpi');
  await tar.c({ gzip: true, file: archive, cwd: root, portable: true }, ['Plugin']);

  const unpacked = await extractLpi(archive, path.join(work, 'out'));
  expect(statSync(path.join(unpacked, 'escalate')).mode & 0o7777).toBe(0o755);
  expect(statSync(unpacked).mode & 0o7777).toBe(0o755);
});

it.runIf(isRoot)(
  'unpacks as root with the orchestrator as the owner, not the owner the archive names',
  async () => {
    const root = path.join(work, 'root');
    const bin = path.join(root, 'Plugin', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'actions.xml'), '<x/>');
    writeFileSync(path.join(bin, 'owned.mjs'), '');
    chownSync(path.join(bin, 'owned.mjs'), 4321, 4321);
    const archive = path.join(work, 'owners.lpi');
    // Not portable: the archive keeps each file's owner, as a package built by another account does.
    await tar.c({ gzip: true, file: archive, cwd: root }, ['Plugin']);

    const unpacked = await extractLpi(archive, path.join(work, 'out'));
    const owned = statSync(path.join(unpacked, 'owned.mjs'));
    expect([owned.uid, owned.gid]).toEqual([0, process.getgid?.()]);
  },
);
