import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import * as tar from 'tar';
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
 * refusal is raised by the writes into the plugins folder (a read-only mount or a full disk cannot be made
 * here). A write that fails halfway leaves the installed version of the plugin as it was.
 */

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rm: vi.fn(actual.rm), cp: vi.fn(actual.cp), writeFile: vi.fn(actual.writeFile) };
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
  for (const mocked of [fsPromises.rm, fsPromises.cp, fsPromises.writeFile]) vi.mocked(mocked).mockReset();
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

/** The echo plugin as an upload, its script changed by `edit` (a new version of what is installed). */
const echoZip = (edit = '') =>
  zipBytes((zip) => {
    zip.addFile(path.join(PLUGINS, 'echo', 'actions.xml'), 'echo/actions.xml');
    zip.addBuffer(
      Buffer.concat([readFileSync(path.join(PLUGINS, 'echo', 'echo.mjs')), Buffer.from(edit)]),
      'echo/echo.mjs',
    );
  });

/** The echo plugin as a `.lpi` package (Plugin/bin/…), its script changed by `edit`. */
async function echoLpi(edit = ''): Promise<Buffer> {
  const root = mkdtempSync(path.join(dir, 'lpi-'));
  const bin = path.join(root, 'Plugin', 'bin');
  mkdirSync(bin, { recursive: true });
  cpSync(path.join(PLUGINS, 'echo', 'actions.xml'), path.join(bin, 'actions.xml'));
  writeFileSync(path.join(bin, 'echo.mjs'), readFileSync(path.join(PLUGINS, 'echo', 'echo.mjs')) + edit);
  const file = path.join(root, 'echo.lpi');
  await tar.c({ gzip: true, file, cwd: root, portable: true }, ['Plugin']);
  return readFileSync(file);
}

/** Every file under a folder (or the file itself) with its bytes: what is installed, to compare. */
function filesOf(at: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(at, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found[path.relative(at, file)] = readFileSync(file, 'base64');
  }
  return found;
}

/** Writes into the plugins folder stop halfway, the disk full: part of the package is on disk. */
function diskFillsHalfway(): void {
  const full = (target: unknown) =>
    Object.assign(new Error(`ENOSPC: no space left on device, write '${String(target)}'`), {
      code: 'ENOSPC',
    });
  const actualCp = vi.mocked(fsPromises.cp).getMockImplementation()!;
  vi.mocked(fsPromises.cp).mockImplementation(async (from, to, options) => {
    if (!String(to).startsWith(pluginsDir)) return actualCp(from, to, options);
    mkdirSync(String(to), { recursive: true });
    writeFileSync(path.join(String(to), 'actions.xml'), '<remv1:Remediation-Plugin');
    throw full(to);
  });
  const actualWrite = vi.mocked(fsPromises.writeFile).getMockImplementation()!;
  vi.mocked(fsPromises.writeFile).mockImplementation(async (file, data, options) => {
    if (!String(file).startsWith(pluginsDir)) return actualWrite(file, data, options);
    writeFileSync(String(file), Buffer.from(data as Buffer).subarray(0, 100));
    throw full(file);
  });
}

const FULL = 'not saved: the disk holding the plugins folder is full (ENOSPC)';

/** The upload, refused as the disk fills halfway through writing it (the system's words go to stderr). */
async function uploadOnFullDisk(bytes: Buffer, filename: string): Promise<void> {
  diskFillsHalfway();
  const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  try {
    await expect(importUpload(registry, pluginsDir, bytes, filename, 'dave')).rejects.toThrow(
      `${filename}: ${FULL}`,
    );
  } finally {
    stderr.mockRestore();
  }
}

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

describe('an upload the disk fills halfway', () => {
  it('keeps the installed plugin folder as it was, and leaves nothing beside it', async () => {
    const installed = filesOf(path.join(pluginsDir, 'echo'));
    await uploadOnFullDisk(await echoZip('// v2\n'), 'echo.zip');
    expect(filesOf(path.join(pluginsDir, 'echo'))).toEqual(installed);
    expect(readdirSync(pluginsDir)).toEqual(['echo']);
    expect(registry.get('test-echo')?.available).toBe(true);
  });

  it('keeps the installed .lpi package as it was', async () => {
    // A host whose echo plugin is installed as a .lpi: its own plugins folder and database.
    pluginsDir = path.join(dir, 'lpi-plugins');
    mkdirSync(pluginsDir);
    db.close();
    db = openDb(path.join(dir, 'lpi.db'));
    registry = new PluginRegistry(db, new AuditLog(db), path.join(dir, 'lpi-data'));
    await registry.loadDirectory(pluginsDir);
    await importUpload(registry, pluginsDir, await echoLpi(), 'echo.lpi', 'dave');
    const [saved] = readdirSync(pluginsDir);
    const installed = readFileSync(path.join(pluginsDir, saved!));
    await uploadOnFullDisk(await echoLpi('// v2\n'), 'echo.lpi');
    expect(readdirSync(pluginsDir)).toEqual([saved]);
    expect(readFileSync(path.join(pluginsDir, saved!)).equals(installed)).toBe(true);
    expect(registry.get('test-echo')?.available).toBe(true);
  });

  it('replaces the installed version when the write completes, and leaves nothing beside it', async () => {
    await importUpload(registry, pluginsDir, await echoZip('// v2\n'), 'echo.zip', 'dave');
    expect(readFileSync(path.join(pluginsDir, 'echo', 'echo.mjs'), 'utf8')).toMatch(/\/\/ v2\n$/);
    expect(readdirSync(pluginsDir)).toEqual(['echo']);
  });

  it('passes over what a save cut short left in the plugins folder, and clears it on the next save', async () => {
    // The orchestrator stopped between writing the new version and moving it into place.
    cpSync(path.join(PLUGINS, 'echo'), path.join(pluginsDir, '.gridside-saving-echo'), { recursive: true });
    await registry.loadDirectory(pluginsDir);
    expect(registry.list().map((plugin) => path.basename(plugin.source))).toEqual(['echo']);
    await importUpload(registry, pluginsDir, await echoZip('// v2\n'), 'echo.zip', 'dave');
    expect(readdirSync(pluginsDir)).toEqual(['echo']);
  });
});
