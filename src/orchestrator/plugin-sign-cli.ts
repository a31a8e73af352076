import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tar from 'tar';
import { exitWithUsageOnHelp } from './cli-usage.ts';
import { publicKeyText, SIGNATURE_FILE, signPluginFolder } from './plugin-signature.ts';

/**
 * The signing commands, kept apart from their launchers so the orchestrator's own command line can offer
 * them too (`gridside-orchestrator sign …`). Each takes its arguments and returns the lines to print; a
 * UsageError carries the message for a wrong call.
 */

export class UsageError extends Error {}

export const SIGN_USAGE = `usage: sign --key FILE [--signer NAME] [--pack OUT.lpi] PLUGIN

Signs a SmartResponse plugin folder (the one holding actions.xml): writes ${SIGNATURE_FILE} beside it, an
Ed25519 signature over the list of its files and their sha256 hashes. Sign after the last change: any file
changed, added or removed afterwards breaks the signature.

  --key FILE       Ed25519 private key (PEM), as written by keygen
  --signer NAME    who signs, shown to admins (default: the key file's name)
  --pack OUT.lpi   also pack the signed folder as a .lpi (Plugin/bin/...) ready to import`;

export const KEYGEN_USAGE = `usage: keygen --out PREFIX

Creates an Ed25519 key pair for signing plugins: PREFIX.key (private, PEM, readable by its owner only) and
PREFIX.pub (the public key as ed25519:BASE64). Put the public key in the orchestrator config under
trustedKeys; keep the private key off the orchestrator host.

  --out PREFIX     where to write the two files (refuses to overwrite)`;

export async function signCommand(args: string[]): Promise<string[]> {
  const { values, positionals } = parseArgs({
    args,
    options: { key: { type: 'string' }, signer: { type: 'string' }, pack: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (!values.key || positionals.length !== 1) throw new UsageError(SIGN_USAGE.split('\n')[0]!);
  const folder = path.resolve(positionals[0]!);
  const signer = values.signer ?? path.basename(values.key).replace(/\.[^.]*$/, '');
  const signature = await signPluginFolder(folder, readFileSync(values.key, 'utf8'), signer);
  writeFileSync(path.join(folder, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  const lines = [
    `signed ${folder}: ${Object.keys(signature.files).length} file(s), signer "${signer}", key ${signature.publicKey}`,
  ];
  if (values.pack) {
    await packLpi(folder, path.resolve(values.pack));
    lines.push(`packed ${path.resolve(values.pack)}`);
  }
  return lines;
}

/** A .lpi is a gzip tar holding the plugin under Plugin/bin/. */
export async function packLpi(folder: string, out: string): Promise<void> {
  const staging = await mkdtemp(path.join(tmpdir(), 'gridside-pack-'));
  try {
    await cp(folder, path.join(staging, 'Plugin', 'bin'), { recursive: true });
    await tar.c({ gzip: true, file: out, cwd: staging, portable: true }, ['Plugin']);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export function keygenCommand(args: string[]): string[] {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError(KEYGEN_USAGE.split('\n')[0]!);
  const [keyFile, pubFile] = [`${values.out}.key`, `${values.out}.pub`];
  for (const file of [keyFile, pubFile])
    if (existsSync(file)) throw new UsageError(`${file} exists; not overwriting it`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const text = publicKeyText(publicKey);
  writeFileSync(pubFile, `${text}\n`);
  return [
    `wrote ${keyFile} (private: keep it secret) and ${pubFile}`,
    `trust it in the orchestrator config: "trustedKeys": [{ "name": "${path.basename(values.out)}", "publicKey": "${text}" }]`,
  ];
}

/**
 * Runs `sign` or `keygen` as a command of its own (the installed `gridside-orchestrator sign …` and the
 * npm scripts): `--help` prints `usage`, a usage mistake exits 2, any other failure 1.
 */
export async function runPluginCommand(
  name: string,
  usage: string,
  command: (args: string[]) => string[] | Promise<string[]>,
): Promise<void> {
  exitWithUsageOnHelp(usage);
  try {
    process.stdout.write(`${(await command(process.argv.slice(2))).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof UsageError ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}
