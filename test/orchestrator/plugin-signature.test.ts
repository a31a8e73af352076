import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/orchestrator/config.ts';
import { hashFolder } from '../../src/orchestrator/integrity.ts';
import {
  publicKeyText,
  SIGNATURE_FILE,
  signPluginFolder,
  verifyPlugin,
} from '../../src/orchestrator/plugin-signature.ts';

/** Detached Ed25519 signatures over a plugin's file list: what verifies, and every way it stops verifying. */

const work = mkdtempSync(path.join(tmpdir(), 'gridside-sig-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    text: publicKeyText(publicKey),
  };
};
const vendor = keyPair();
const stranger = keyPair();
const trusted = [{ name: 'Vendor', publicKey: vendor.text }];

async function signedCopy(name: string, pem = vendor.pem): Promise<string> {
  const dir = path.join(work, name);
  cpSync('demo/plugins/echo-row', dir, { recursive: true });
  rmSync(path.join(dir, SIGNATURE_FILE), { force: true });
  const signature = await signPluginFolder(dir, pem, 'Vendor Inc');
  writeFileSync(path.join(dir, SIGNATURE_FILE), JSON.stringify(signature));
  return dir;
}
const judge = async (dir: string, keys = trusted) => verifyPlugin(dir, await hashFolder(dir), keys);

describe('plugin signatures', () => {
  it('verifies a folder signed by a trusted key and names the signer', async () => {
    const verdict = await judge(await signedCopy('good'));
    expect(verdict).toMatchObject({ state: 'signed', signer: 'Vendor Inc', keyName: 'Vendor' });
  });

  it('calls a folder without a signature unsigned', async () => {
    const dir = await signedCopy('none');
    rmSync(path.join(dir, SIGNATURE_FILE));
    expect(await judge(dir)).toMatchObject({ state: 'unsigned', reason: 'the plugin carries no signature' });
  });

  it('calls a valid signature by a key nobody trusts unsigned, naming the key', async () => {
    const verdict = await judge(await signedCopy('stranger', stranger.pem));
    expect(verdict.state).toBe('unsigned');
    expect('reason' in verdict && verdict.reason).toContain('does not trust');
  });

  it('refuses a changed, an added and a removed file, and a forged file list', async () => {
    const changed = await signedCopy('changed');
    writeFileSync(path.join(changed, 'echo-row.mjs'), 'process.exit(0);\n');
    expect(await judge(changed)).toMatchObject({
      state: 'invalid',
      reason: 'file echo-row.mjs differs from what was signed',
    });

    const added = await signedCopy('added');
    writeFileSync(path.join(added, 'extra.mjs'), '');
    expect(await judge(added)).toMatchObject({ state: 'invalid', reason: 'file extra.mjs was not signed' });

    const removed = await signedCopy('removed');
    rmSync(path.join(removed, 'echo-row.mjs'));
    expect(await judge(removed)).toMatchObject({
      state: 'invalid',
      reason: 'signed file echo-row.mjs is missing',
    });

    // Rewriting the list to match tampered files breaks the signature itself.
    const forged = await signedCopy('forged');
    writeFileSync(path.join(forged, 'echo-row.mjs'), 'process.exit(0);\n');
    const file = path.join(forged, SIGNATURE_FILE);
    const signature = JSON.parse(readFileSync(file, 'utf8'));
    signature.files['echo-row.mjs'] = (await hashFolder(forged)).get('echo-row.mjs')!.sha256;
    writeFileSync(file, JSON.stringify(signature));
    expect(await judge(forged)).toMatchObject({
      state: 'invalid',
      reason: 'the signature does not match its file list',
    });
  });
});

describe('the demo plugins', () => {
  const config = loadConfigFile('demo/orchestrator.config.json');
  const folders = readdirSync('demo/plugins', { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
    .map((e) => e.name);

  it('require signatures and trust the demo key', () => {
    expect(config.requireSignatures).toBe(true);
    expect(config.trustedKeys.map((k) => k.publicKey)).toEqual([
      readFileSync('demo/signing/gridside-demo-DEMO-ONLY.pub', 'utf8').trim(),
    ]);
  });

  it.each(folders)(
    '%s is signed with the demo key (after a change: npx tsx scripts/sign-demo-plugins.ts)',
    async (folder) => {
      const dir = path.join('demo/plugins', folder);
      expect(verifyPlugin(dir, await hashFolder(dir), config.trustedKeys)).toMatchObject({ state: 'signed' });
    },
  );
});
