import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';
import { pluginId } from '../core/srp/ids.ts';
import { parseActionsXml } from '../core/srp/parse.ts';
import { hashFolder } from './integrity.ts';
import { extractLpi, LpiError, MAX_UNPACKED, unpackProblem } from './lpi.ts';
import { SAVING_PREFIX } from './plugin-changes.ts';
import { verifyPlugin } from './plugin-signature.ts';
import { ImportRefused, type PluginEntry, type PluginRegistry } from './plugins.ts';

/**
 * "Import SmartResponse Plugins" over the API: an admin uploads a `.lpi` (gzip tar) or a zipped plugin
 * folder. Everything is checked in a staging folder under the data folder first — archive safety, the
 * actions.xml, the signature — and only a package that passes is written into the plugins folder, under
 * Gridside's own hand so the integrity watch does not take the write for tampering.
 */

const GZIP = Buffer.from([0x1f, 0x8b]);
const ZIP = Buffer.from('PK\x03\x04', 'latin1');

export async function importUpload(
  registry: PluginRegistry,
  pluginsDir: string,
  bytes: Buffer,
  filename: string,
  actor: string,
): Promise<PluginEntry> {
  const uploads = path.join(registry.dataDir, 'uploads');
  await mkdir(uploads, { recursive: true });
  const staging = await mkdtemp(path.join(uploads, 'import-'));
  try {
    const kind = bytes.subarray(0, 2).equals(GZIP)
      ? 'lpi'
      : bytes.subarray(0, 4).equals(ZIP)
        ? 'zip'
        : undefined;
    if (!kind) throw new ImportRefused(`${filename}: neither a .lpi package (gzip tar) nor a .zip`);
    let dir: string;
    if (kind === 'lpi') {
      await writeFile(path.join(staging, 'upload.lpi'), bytes);
      dir = await extractLpi(path.join(staging, 'upload.lpi'), path.join(staging, 'unpacked')).catch(
        (error: unknown) => {
          throw error instanceof LpiError
            ? new ImportRefused(error.message.replace('upload.lpi', filename))
            : error;
        },
      );
    } else {
      await unzip(bytes, path.join(staging, 'unpacked'), filename);
      dir = await pluginRoot(path.join(staging, 'unpacked'), filename);
    }
    const xmlFile = path.join(dir, 'actions.xml');
    let id: string;
    try {
      id = pluginId(parseActionsXml(await readFile(xmlFile, 'utf8'), 'actions.xml').name);
    } catch (error) {
      throw new ImportRefused(`${filename}: actions.xml: ${(error as Error).message}`);
    }
    // Judged here, before anything reaches the plugins folder; judged again by the import itself.
    const verdict = verifyPlugin(dir, await hashFolder(dir), registry.policy.trustedKeys);
    if (verdict.state === 'invalid')
      throw new ImportRefused(`${filename}: signature check failed: ${verdict.reason}`);
    if (verdict.state === 'unsigned' && registry.policy.requireSignatures) {
      throw new ImportRefused(`${filename}: signatures are required: ${verdict.reason}`);
    }
    const existing = registry.get(id);
    const targetKind = kind === 'lpi' ? 'lpi' : 'folder';
    if (existing && existing.kind !== targetKind) {
      throw new ImportRefused(
        `${filename}: plugin "${id}" is already installed as a ${existing.kind}; upload it in the same form`,
      );
    }
    const target = existing?.source ?? path.join(pluginsDir, kind === 'lpi' ? `${id}.lpi` : id);
    const clash = registry.usedBy(target, targetKind, id);
    if (clash !== undefined) {
      // Not the package's fault but a conflict with what is installed: answered 409, nothing written.
      throw new Error(
        `${filename}: plugin "${id}" would be saved as "${path.basename(target)}", ${clash}; rename the plugin`,
      );
    }
    return await registry.writing(target, async () => {
      try {
        await replacePackage(target, (to) =>
          kind === 'lpi' ? writeFile(to, bytes) : cp(dir, to, { recursive: true }),
        );
      } catch (error) {
        throw saveProblem(error, filename);
      }
      return registry.importPlugin(target, targetKind, actor, existing?.id);
    });
  } catch (error) {
    registry.refuseImport(filename, actor, error);
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Writes the package in place of what `target` holds, so that a write failing halfway (a full disk) leaves
 * the installed version as it was: the package is written beside it, under a name the plugin scan passes
 * over, and only then renamed into place. A `.lpi` file replaces the old one in that one rename; a folder
 * cannot be renamed over another, so the old one is moved aside first, moved back if the new one cannot
 * take its place, and removed once it has.
 */
async function replacePackage(target: string, write: (to: string) => Promise<void>): Promise<void> {
  const beside = (suffix: string) =>
    path.join(path.dirname(target), `${SAVING_PREFIX}${path.basename(target)}${suffix}`);
  const next = beside('');
  const previous = beside('.previous');
  // Left by a save the orchestrator did not live to finish.
  await rm(next, { recursive: true, force: true });
  await rm(previous, { recursive: true, force: true });
  try {
    await write(next);
    if (!(await stat(next)).isDirectory() || !existsSync(target)) {
      await rename(next, target);
      return;
    }
    await rename(target, previous);
    await rename(next, target).catch(async (error: unknown) => {
      await rename(previous, target);
      throw error;
    });
  } catch (error) {
    await rm(next, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  await rm(previous, { recursive: true, force: true }).catch((error: unknown) => {
    process.stderr.write(`gridside-orchestrator: the replaced package was left beside it: ${error}\n`);
  });
}

const SAVE_WORDS = new Map([
  ['EROFS', 'the plugins folder is on a read-only file system'],
  ['EACCES', "the orchestrator's account may not write to the plugins folder"],
  ['EPERM', "the orchestrator's account may not write to the plugins folder"],
  ['ENOSPC', 'the disk holding the plugins folder is full'],
  ['EDQUOT', "the orchestrator's account is over its disk quota"],
]);

/**
 * A package that passed every check but could not be written into the plugins folder: said without the
 * server's paths (the system's own words, with them, go to the orchestrator's log). On a host whose plugins
 * folder is kept read-only, plugins are installed on disk by the SOC's own tooling, not uploaded.
 */
function saveProblem(error: unknown, filename: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words = typeof code === 'string' ? SAVE_WORDS.get(code) : undefined;
  if (!words || !(error instanceof Error)) return error;
  process.stderr.write(`gridside-orchestrator: saving ${filename}: ${error.message}\n`);
  return new Error(`${filename}: not saved: ${words} (${code})`);
}

/** The folder holding actions.xml: the zip's root, or its single top-level folder. */
async function pluginRoot(unpacked: string, filename: string): Promise<string> {
  if (existsSync(path.join(unpacked, 'actions.xml'))) return unpacked;
  const entries = (await readdir(unpacked, { withFileTypes: true })).filter((e) => e.isDirectory());
  const holder = entries.find((e) => existsSync(path.join(unpacked, e.name, 'actions.xml')));
  if (entries.length === 1 && holder) return path.join(unpacked, holder.name);
  throw new ImportRefused(`${filename}: no actions.xml at the top of the zip or of its one folder`);
}

const isUnsafePath = (name: string): boolean =>
  name.startsWith('/') ||
  name.startsWith('\\') ||
  /^[a-zA-Z]:/.test(name) ||
  name.split(/[\\/]/).includes('..');

/** Unix mode bits a zip stores in the upper half of the external attributes; links are refused. */
const isLink = (entry: yauzl.Entry): boolean =>
  ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;

function unzip(bytes: Buffer, target: string, filename: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(new ImportRefused(`${filename}: not a readable zip`));
      let total = 0;
      const fail = (message: string) => {
        zip.close();
        reject(new ImportRefused(`${filename}: ${message}`));
      };
      zip.on('error', () => fail('not a readable zip'));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (isUnsafePath(name)) return fail(`${name}: absolute path or ".." is not allowed`);
        if (isLink(entry)) return fail(`${name}: links are not allowed (files and folders only)`);
        total += entry.uncompressedSize;
        if (total > MAX_UNPACKED) return fail('unpacks to more than 200 MB');
        const destination = path.join(target, name);
        if (name.endsWith('/')) {
          mkdir(destination, { recursive: true }).then(
            () => zip.readEntry(),
            (error: unknown) => fail(unpackProblem(name, error)),
          );
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(`${name}: cannot be read`);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', () => fail(`${name}: cannot be read`));
          stream.on('end', () => {
            mkdir(path.dirname(destination), { recursive: true })
              .then(() => writeFile(destination, Buffer.concat(chunks)))
              .then(
                () => zip.readEntry(),
                (error: unknown) => fail(unpackProblem(name, error)),
              );
          });
        });
      });
      zip.readEntry();
    });
  });
}
