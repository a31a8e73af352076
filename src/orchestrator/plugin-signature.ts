import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from './audit.ts';
import { hashFolder, type Manifest } from './integrity.ts';

/**
 * Signed plugin packages. A signature is a small JSON file next to actions.xml, `gridside-signature.json`,
 * kept apart from the files it covers (a detached signature): the list of every other file in the plugin
 * folder with its sha256, signed with Ed25519. A plugin verifies when its files are exactly the listed ones
 * with the listed hashes and the signature was made by a key the orchestrator's config trusts.
 *
 * Public keys are written as `ed25519:` + base64 of the raw 32-byte key: short enough for a config file
 * and for reading out over the phone when a SOC checks a vendor's key.
 */

export const SIGNATURE_FILE = 'gridside-signature.json';
const FORMAT = 'gridside-plugin-signature/1';

export const SignatureFileSchema = z
  .object({
    format: z.literal(FORMAT),
    /** Who signed, as the signer called themselves; the trusted key's name in the config is what counts. */
    signer: z.string().min(1).max(200),
    publicKey: z.string().regex(/^ed25519:[A-Za-z0-9+/]{43}=$/),
    files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    signature: z.string().min(1),
  })
  .strict();
export type SignatureFile = z.infer<typeof SignatureFileSchema>;

export interface TrustedKey {
  name: string;
  publicKey: string;
}

export type Verdict =
  | { state: 'signed'; signer: string; keyName: string; keyId: string }
  | { state: 'unsigned'; reason: string }
  /** A signature is present but does not hold: files differ, or the bytes were not signed by that key. */
  | { state: 'invalid'; reason: string; signer?: string };

/** The bytes that are signed: the file list with hashes, in a canonical order. */
export function signedPayload(files: Record<string, string>): Buffer {
  return Buffer.from(canonicalJson({ format: FORMAT, files }), 'utf8');
}

/** Short, stable identity of a public key, shown beside the signer in lists. */
export const keyId = (publicKey: string): string =>
  createHash('sha256').update(publicKey).digest('hex').slice(0, 16);

export function publicKeyObject(publicKey: string): KeyObject {
  const raw = Buffer.from(publicKey.replace(/^ed25519:/, ''), 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function publicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  return `ed25519:${Buffer.from(jwk.x ?? '', 'base64url').toString('base64')}`;
}

/** The files a signature covers: everything in the folder but the signature itself (links are refused). */
export function filesToSign(manifest: Manifest): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, entry] of manifest) {
    if (file === SIGNATURE_FILE) continue;
    if (entry.sha256.startsWith('link:'))
      throw new Error(`${file} is a symbolic link; plugins hold files only`);
    files[file] = entry.sha256;
  }
  return files;
}

/** Signs the plugin folder (the one holding actions.xml) with a PEM private key; returns the file written. */
export async function signPluginFolder(
  dir: string,
  privateKeyPem: string,
  signer: string,
): Promise<SignatureFile> {
  if (!existsSync(path.join(dir, 'actions.xml'))) throw new Error(`${dir}: no actions.xml here`);
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the key is not an Ed25519 private key');
  const files = filesToSign(await hashFolder(dir));
  return {
    format: FORMAT,
    signer,
    publicKey: publicKeyText(createPublicKey(privateKey)),
    files,
    signature: sign(null, signedPayload(files), privateKey).toString('base64'),
  };
}

/** Checks the folder against its signature and the trusted keys. `manifest` is the folder as hashed now. */
export function verifyPlugin(dir: string, manifest: Manifest, trusted: readonly TrustedKey[]): Verdict {
  const file = path.join(dir, SIGNATURE_FILE);
  if (!existsSync(file)) return { state: 'unsigned', reason: 'the plugin carries no signature' };
  let signature: SignatureFile;
  try {
    signature = SignatureFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { state: 'invalid', reason: `${SIGNATURE_FILE} is not a valid signature file` };
  }
  const key = trusted.find((k) => k.publicKey === signature.publicKey);
  let ok = false;
  try {
    ok = verify(
      null,
      signedPayload(signature.files),
      publicKeyObject(signature.publicKey),
      Buffer.from(signature.signature, 'base64'),
    );
  } catch {
    ok = false;
  }
  if (!ok)
    return {
      state: 'invalid',
      signer: signature.signer,
      reason: 'the signature does not match its file list',
    };
  let present: Record<string, string>;
  try {
    present = filesToSign(manifest);
  } catch (error) {
    return { state: 'invalid', signer: signature.signer, reason: (error as Error).message };
  }
  for (const [name, sha256] of Object.entries(signature.files)) {
    if (present[name] === undefined) return invalid(signature, `signed file ${name} is missing`);
    if (present[name] !== sha256) return invalid(signature, `file ${name} differs from what was signed`);
  }
  for (const name of Object.keys(present)) {
    if (signature.files[name] === undefined) return invalid(signature, `file ${name} was not signed`);
  }
  if (!key) {
    return {
      state: 'unsigned',
      reason: `signed by "${signature.signer}" with key ${keyId(signature.publicKey)}, which this orchestrator does not trust`,
    };
  }
  return { state: 'signed', signer: signature.signer, keyName: key.name, keyId: keyId(key.publicKey) };
}

const invalid = (signature: SignatureFile, reason: string): Verdict => ({
  state: 'invalid',
  signer: signature.signer,
  reason,
});
