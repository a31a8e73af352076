import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../src/orchestrator/audit.ts';
import { importUpload } from '../../../src/orchestrator/plugin-upload.ts';
import { PluginRegistry } from '../../../src/orchestrator/plugins.ts';
import { openDb } from '../../../src/orchestrator/store.ts';
import { PLUGINS, zipBytes } from '../../orchestrator/setup.ts';

/**
 * An uploaded package that passed every check but cannot be written into the plugins folder: the shipped
 * service unit keeps that folder read-only, so this is what an admin meets on a host set up as documented.
 * The admin and the audit trail get the cause in words, without the server's paths. The file system's
 * refusal is raised by the one write into the plugins folder (a read-only mount cannot be made here).
 */

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rm: vi.fn(actual.rm) };
});

let dir: string;
let pluginsDir: string;
let db: Database.Database;
let registry: PluginRegistry;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gridside-plugin-save-'));
  pluginsDir = path.join(dir, 'plugins');
  cpSync(path.join(PLUGINS, 'echo'), path.join(pluginsDir, 'echo'), { recursive: true });
  db = openDb(path.join(dir, 'orchestrator.db'));
  registry = new PluginRegistry(db, new AuditLog(db), path.join(dir, 'data'));
  await registry.loadDirectory(pluginsDir);
});

afterEach(() => {
  vi.mocked(fsPromises.rm).mockReset();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The write into the plugins folder fails as the system would say it, with the full path. */
function pluginsFolderRefuses(code: string, words: string): void {
  const actual = vi.mocked(fsPromises.rm).getMockImplementation()!;
  vi.mocked(fsPromises.rm).mockImplementation(async (target, options) => {
    if (String(target).startsWith(pluginsDir))
      throw Object.assign(new Error(`${code}: ${words}, rm '${String(target)}'`), {
        code,
        path: String(target),
      });
    return actual(target, options);
  });
}

const echoZip = () =>
  zipBytes((zip) => {
    for (const name of ['actions.xml', 'echo.mjs'])
      zip.addFile(path.join(PLUGINS, 'echo', name), `echo/${name}`);
  });

function refusals(): string[] {
  return (
    db.prepare("SELECT outcome FROM audit WHERE event = 'plugin.import-refused' ORDER BY seq").all() as {
      outcome: string;
    }[]
  ).map((row) => row.outcome);
}

describe('an upload the plugins folder cannot take', () => {
  it.each([
    ['EROFS', 'read-only file system', 'the plugins folder is on a read-only file system (EROFS)'],
    [
      'EACCES',
      'permission denied',
      "the orchestrator's account may not write to the plugins folder (EACCES)",
    ],
  ])('says %s in words, without the server paths, once in the audit trail', async (code, words, said) => {
    pluginsFolderRefuses(code, words);
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const refused = await importUpload(registry, pluginsDir, await echoZip(), 'echo.zip', 'dave').then(
      () => null,
      (error: Error) => error.message,
    );
    const logged = stderr.mock.calls.map(([text]) => String(text)).join('');
    stderr.mockRestore();
    expect(refused).toBe(`echo.zip: not saved: ${said}`);
    expect(refused).not.toContain(dir);
    expect(refusals()).toEqual([`echo.zip: not saved: ${said}`]);
    // The system's own words, with the path, go to the orchestrator's log for whoever runs the host.
    expect(logged).toContain(pluginsDir);
  });

  it('names the package once in the audit trail when it refuses the package itself', async () => {
    await expect(
      importUpload(registry, pluginsDir, Buffer.from('not a package'), 'junk.bin', 'dave'),
    ).rejects.toThrow('junk.bin: neither a .lpi package');
    expect(refusals()).toEqual(['junk.bin: neither a .lpi package (gzip tar) nor a .zip']);
  });
});
