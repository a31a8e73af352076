import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthSchema, RunSchema } from '../../src/core/api.ts';
import { PluginInfoSchema, PluginListSchema } from '../../src/core/plugins-api.ts';
import { verifyAuditChain } from '../../src/orchestrator/audit.ts';
import { hashFile } from '../../src/orchestrator/integrity.ts';
import { MAX_UNPACKED } from '../../src/orchestrator/lpi.ts';
import { packLpi, signCommand } from '../../src/orchestrator/plugin-sign-cli.ts';
import { publicKeyText, SIGNATURE_FILE } from '../../src/orchestrator/plugin-signature.ts';
import {
  type OrchestratorHandle,
  restartOrchestrator,
  type StartOrchestratorOptions,
  startOrchestrator,
} from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS, writePadding, zipBytes } from './setup.ts';

/**
 * The plugin supply chain against a real orchestrator process that requires signatures: import of signed
 * packages through the admin API, refusal of unsigned and tampered ones, and the integrity watch catching
 * a file changed while it runs and another changed while it was stopped.
 */

const work = mkdtempSync(path.join(tmpdir(), 'gridside-supply-'));
const keyFile = path.join(work, 'vendor.key');
const strangerKey = path.join(work, 'stranger.key');
const context = rowContext({ SIP: '10.0.0.7' });
const ECHO = 'gridside-demo-echo-row/echo-row-fields';
const SCAN = 'gridside-demo-slow-scan/slow-scan-origin-ip';
let vendorPublic: string;
let orch: OrchestratorHandle;
let options: StartOrchestratorOptions;

const admin = () => client(orch, TOKENS.dave);
const analyst = () => client(orch, TOKENS.alice);

function keyPair(file: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return publicKeyText(publicKey);
}

/** A copy of a demo plugin, re-signed with the given key (or left unsigned). */
async function pluginCopy(name: string, demo: string, key: string | null): Promise<string> {
  const dir = path.join(work, name);
  cpSync(path.join('demo/plugins', demo), dir, { recursive: true });
  rmSync(path.join(dir, SIGNATURE_FILE));
  if (key) await signCommand(['--key', key, '--signer', 'Vendor Inc', dir]);
  return dir;
}

function zipFolder(dir: string, root: string): Promise<Buffer> {
  return zipBytes((zip) => {
    for (const name of ['actions.xml', 'geoip-asn.mjs', 'srp-args.mjs', SIGNATURE_FILE]) {
      zip.addFile(path.join(dir, name), `${root}/${name}`);
    }
  });
}

/** A zip of the given entries, paths as written. */
function zipOf(entries: Record<string, string>): Promise<Buffer> {
  return zipBytes((zip) => {
    for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  });
}

/** A `.lpi` of the given files, written entry by entry: the same path may come twice. */
function lpiOf(entries: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of entries) {
    const body = Buffer.from(content);
    const header = new tar.Header({
      path: name,
      mode: 0o644,
      size: body.length,
      type: 'File',
      mtime: new Date(0),
    });
    header.encode();
    blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

/** Uploads raw bytes, as the Plugins page does (the test client sends JSON). */
async function upload(bytes: Buffer, filename: string, token: string = TOKENS.dave) {
  const response = await fetch(`${orch.url}/api/v1/plugins?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are read loosely, successes through the schema
  return { status: response.status, body: (await response.json()) as any };
}

function auditRecords(
  event: string,
): { actor: string; outcome: string; params: Record<string, string> | null }[] {
  const db = new Database(orch.db, { readonly: true });
  try {
    return (
      db.prepare('SELECT actor, outcome, params_json FROM audit WHERE event = ? ORDER BY seq').all(event) as {
        actor: string;
        outcome: string;
        params_json: string | null;
      }[]
    ).map((r) => ({
      actor: r.actor,
      outcome: r.outcome,
      params: r.params_json ? JSON.parse(r.params_json) : null,
    }));
  } finally {
    db.close();
  }
}

/** Polls the admin's health view until the predicate holds (the watch reacts within moments). */
async function healthUntil(predicate: (health: ReturnType<typeof HealthSchema.parse>) => boolean) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const health = HealthSchema.parse((await admin().get('/api/v1/health')).body);
    if (predicate(health) || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function plugin(id: string) {
  const list = PluginListSchema.parse((await admin().get('/api/v1/plugins')).body);
  return list.plugins.find((p) => p.id === id);
}

beforeAll(async () => {
  vendorPublic = keyPair(keyFile);
  keyPair(strangerKey);
  const plugins = path.join(work, 'plugins');
  mkdirSync(plugins);
  cpSync(await pluginCopy('echo', 'echo-row', keyFile), path.join(plugins, 'echo-row'), { recursive: true });
  cpSync(await pluginCopy('scan', 'slow-scan', keyFile), path.join(plugins, 'slow-scan'), {
    recursive: true,
  });
  cpSync(await pluginCopy('hash', 'hash-reputation', keyFile), path.join(plugins, 'hash-reputation'), {
    recursive: true,
  });
  options = {
    plugins,
    config: {
      tokens: [
        { name: 'alice', roles: ['analyst'], token: TOKENS.alice },
        { name: 'dave', roles: ['admin'], token: TOKENS.dave },
      ],
      requireSignatures: true,
      trustedKeys: [{ name: 'Vendor', publicKey: vendorPublic }],
      // Events normally bring the check; a short rescan proves nothing is lost if one is missed.
      integrityRescanSeconds: 2,
      actions: { [SCAN]: { timeoutSeconds: 30 } },
    },
  };
  orch = await startOrchestrator(options);
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('import', () => {
  it('imports a signed .lpi through the API, shows its signer and hashes, and runs it', async () => {
    const lpi = path.join(work, 'ARPlugin_AssetOwner.lpi');
    await packLpi(await pluginCopy('owner-lpi', 'asset-owner', keyFile), lpi);
    const bytes = readFileSync(lpi);
    expect((await upload(bytes, 'ARPlugin_AssetOwner.lpi', TOKENS.alice)).status).toBe(403);

    const answer = await upload(bytes, 'ARPlugin_AssetOwner.lpi');
    expect(answer.status).toBe(201);
    const info = PluginInfoSchema.parse(answer.body);
    expect(info).toMatchObject({
      id: 'gridside-demo-asset-owner',
      kind: 'lpi',
      status: 'trusted',
      runnable: true,
    });
    expect(info.signer).toMatchObject({ name: 'Vendor Inc', keyName: 'Vendor' });
    const script = info.files.find((f) => f.path === 'asset-owner.mjs');
    expect(script?.sha256).toBe(await hashFile('demo/plugins/asset-owner/asset-owner.mjs'));

    const run = RunSchema.parse(
      (await analyst().run('gridside-demo-asset-owner/asset-owner-origin-ip', {}, context)).body,
    );
    expect(run.status, JSON.stringify(run.output)).toBe('succeeded');
    expect(auditRecords('plugin.imported').at(-1)).toMatchObject({ actor: 'dave' });
    expect(auditRecords('plugin.imported').at(-1)?.outcome).toContain('signed by "Vendor Inc"');
  });

  it('imports a signed, zipped plugin folder', async () => {
    const dir = await pluginCopy('geo-zip', 'geoip-asn', keyFile);
    writeFileSync(
      path.join(dir, 'actions.xml'),
      readFileSync(path.join(dir, 'actions.xml'), 'utf8').replace(
        'Name="Gridside Demo GeoIP and ASN"',
        'Name="Zipped GeoIP"',
      ),
    );
    await signCommand(['--key', keyFile, '--signer', 'Vendor Inc', dir]);
    const answer = await upload(await zipFolder(dir, 'zipped-geoip'), 'zipped-geoip.zip');
    expect(answer.status).toBe(201);
    expect(PluginInfoSchema.parse(answer.body)).toMatchObject({
      id: 'zipped-geoip',
      kind: 'folder',
      status: 'trusted',
    });
  });

  it('refuses an unsigned package, one signed by an untrusted key and a tampered one, and audits each', async () => {
    const before = auditRecords('plugin.import-refused').length;
    const unsigned = path.join(work, 'unsigned.lpi');
    await packLpi(await pluginCopy('unsigned', 'asset-owner', null), unsigned);
    const refused = await upload(readFileSync(unsigned), 'unsigned.lpi');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('signatures are required: the plugin carries no signature');

    const foreign = path.join(work, 'foreign.lpi');
    await packLpi(await pluginCopy('foreign', 'asset-owner', strangerKey), foreign);
    const untrusted = await upload(readFileSync(foreign), 'foreign.lpi');
    expect(untrusted.status).toBe(400);
    expect(untrusted.body.error.message).toContain('which this orchestrator does not trust');

    const tamperedDir = await pluginCopy('tampered', 'asset-owner', keyFile);
    writeFileSync(path.join(tamperedDir, 'asset-owner.mjs'), "process.stdout.write('{}');\n");
    const tampered = path.join(work, 'tampered.lpi');
    await packLpi(tamperedDir, tampered);
    const broken = await upload(readFileSync(tampered), 'tampered.lpi');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toContain('file asset-owner.mjs differs from what was signed');

    expect(
      auditRecords('plugin.import-refused')
        .slice(before)
        .map((r) => r.outcome.split(':')[0]),
    ).toEqual(['unsigned.lpi', 'foreign.lpi', 'tampered.lpi']);
    // The trusted plugin of the same id is untouched and still runs.
    expect((await plugin('gridside-demo-asset-owner'))?.status).toBe('trusted');
  });
});

describe('import limits', () => {
  it('refuses a package that unpacks to more than 200 MB before unpacking it or judging its signature', async () => {
    const dir = await pluginCopy('bulky', 'asset-owner', null);
    writePadding(path.join(dir, 'padding.bin'), MAX_UNPACKED + 1024 * 1024);
    const bulky = path.join(work, 'bulky.lpi');
    await packLpi(dir, bulky);
    rmSync(dir, { recursive: true });
    const refused = await upload(readFileSync(bulky), 'bulky.lpi');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('bulky.lpi: unpacks to more than 200 MB');
    expect(readdirSync(path.join(orch.dataDir, 'uploads'))).toEqual([]);
  });

  it('refuses a package holding a file and a folder of one name with 400, not naming server folders', async () => {
    const zip = await upload(await zipOf({ 'p/a': 'file', 'p/a/b': 'under the file' }), 'clash.zip');
    expect(zip.status).toBe(400);
    expect(zip.body.error.message).toBe('clash.zip: p/a/b: a file and a folder of the same name');
    const lpi = lpiOf([
      ['Plugin/bin/actions.xml', '<x/>'],
      ['Plugin/bin/p', 'file'],
      ['Plugin/bin/p/q', 'under the file'],
    ]);
    const packed = await upload(lpi, 'clash.lpi');
    expect(packed.status).toBe(400);
    expect(packed.body.error.message).toBe('clash.lpi: Plugin/bin/p/q: a file and a folder of the same name');
    for (const answer of [zip, packed]) expect(JSON.stringify(answer.body)).not.toContain(orch.dataDir);
  });

  it('names the upload limit, not the API body limit, when a package is too large', async () => {
    // The orchestrator answers from the announced length, before the body: the body is never sent, so the
    // answer cannot race a write the server stopped reading (EPIPE).
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(`${orch.url}/api/v1/plugins?filename=huge.lpi`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKENS.dave}`,
          'content-type': 'application/octet-stream',
          'content-length': String(22 * 1024 * 1024),
        },
      });
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text });
          request.destroy();
        });
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).error.message).toBe(`the body is larger than ${20 * 1024 * 1024} bytes`);
  });
});

describe('disable and enable', () => {
  it('refuses runs of a disabled plugin until it is enabled again', async () => {
    expect((await analyst().post('/api/v1/plugins/gridside-demo-echo-row/disable')).status).toBe(403);
    const disabled = PluginInfoSchema.parse(
      (await admin().post('/api/v1/plugins/gridside-demo-echo-row/disable')).body,
    );
    expect(disabled).toMatchObject({ status: 'disabled', runnable: false });
    const refused = await analyst().post('/api/v1/runs', { actionId: ECHO, params: {}, context });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('disabled by an admin');
    expect((await admin().post('/api/v1/plugins/gridside-demo-echo-row/enable')).body.status).toBe('trusted');
    expect(RunSchema.parse((await analyst().run(ECHO, {}, context)).body).status).toBe('succeeded');
    expect(auditRecords('plugin.disabled').at(-1)).toMatchObject({
      actor: 'dave',
      outcome: 'gridside-demo-echo-row',
    });
    expect(auditRecords('plugin.enabled').at(-1)).toMatchObject({
      actor: 'dave',
      outcome: 'gridside-demo-echo-row',
    });
  });
});

describe('file integrity monitoring', () => {
  it('catches a file changed while running: audit event with hashes, alert, refused run, until re-trusted', async () => {
    const script = path.join(orch.pluginsDir, 'echo-row', 'echo-row.mjs');
    const before = await hashFile(script);
    writeFileSync(script, `${readFileSync(script, 'utf8')}\n// changed by hand\n`);
    const after = await hashFile(script);

    // No run asked for it: the watch alone raises the alert.
    const health = await healthUntil((h) =>
      (h.alerts ?? []).some((a) => a.pluginId === 'gridside-demo-echo-row'),
    );
    expect(health.alerts).toEqual([
      expect.objectContaining({
        code: 'plugin_files_changed',
        message: 'plugin files changed outside Gridside: echo-row.mjs',
      }),
    ]);
    const [event] = auditRecords('plugin.files-changed');
    expect(event).toMatchObject({ actor: 'system', params: { 'echo-row.mjs': `${before} -> ${after}` } });
    expect(event?.outcome).toContain('plugin files changed outside Gridside');

    const refused = await analyst().post('/api/v1/runs', { actionId: ECHO, params: {}, context });
    expect(refused.status).toBe(409);
    const info = await plugin('gridside-demo-echo-row');
    expect(info).toMatchObject({ status: 'modified', runnable: false });
    expect(info?.changed?.files).toEqual([{ path: 'echo-row.mjs', before, after }]);
    // Anonymous health callers learn nothing about the plugins.
    expect(HealthSchema.parse((await client(orch).get('/api/v1/health')).body).alerts).toBeUndefined();

    // The files are signed: the changed one no longer matches, so trusting it as it is now is refused…
    const distrusted = await admin().post('/api/v1/plugins/gridside-demo-echo-row/trust');
    expect(distrusted.status).toBe(409);
    expect(distrusted.body.error.message).toContain('differs from what was signed');
    // …until the vendor signs the new version.
    await signCommand(['--key', keyFile, '--signer', 'Vendor Inc', path.dirname(script)]);
    const trusted = await admin().post('/api/v1/plugins/gridside-demo-echo-row/trust');
    expect(trusted.status).toBe(200);
    expect(trusted.body).toMatchObject({ status: 'trusted', runnable: true });
    expect(RunSchema.parse((await analyst().run(ECHO, {}, context)).body).status).toBe('succeeded');
    expect((await healthUntil((h) => (h.alerts ?? []).length === 0)).alerts).toEqual([]);
    expect(auditRecords('plugin.trusted').at(-1)?.actor).toBe('dave');
  });

  it('changes nothing when trusting a renamed plugin is refused: it stays, modified, with its alert', async () => {
    const id = 'gridside-demo-hash-reputation';
    const xmlFile = path.join(orch.pluginsDir, 'hash-reputation', 'actions.xml');
    const xml = readFileSync(xmlFile, 'utf8');
    // A new Name is a new plugin id, and the signature no longer matches the files.
    writeFileSync(xmlFile, xml.replace('Name="Gridside Demo Hash Reputation"', 'Name="Renamed Reputation"'));
    await healthUntil((h) => (h.alerts ?? []).some((a) => a.pluginId === id));

    const refused = await admin().post(`/api/v1/plugins/${id}/trust`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('signature check failed');
    expect(await plugin(id)).toMatchObject({ status: 'modified', runnable: false });
    expect(await plugin('renamed-reputation')).toBeUndefined();
    const health = HealthSchema.parse((await admin().get('/api/v1/health')).body);
    expect(health.alerts?.map((a) => a.pluginId)).toEqual([id]);
    const db = new Database(orch.db, { readonly: true });
    try {
      expect(db.prepare('SELECT id FROM plugins WHERE id = ?').get(id)).toEqual({ id });
      expect(db.prepare('SELECT COUNT(*) AS n FROM plugin_files WHERE plugin_id = ?').get(id)).not.toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }

    // Put back as signed, it can be trusted again under its own id.
    writeFileSync(xmlFile, xml);
    const trusted = await admin().post(`/api/v1/plugins/${id}/trust`);
    expect(trusted.status).toBe(200);
    expect(trusted.body).toMatchObject({ id, status: 'trusted' });
    expect((await healthUntil((h) => (h.alerts ?? []).length === 0)).alerts).toEqual([]);
  });

  it('answers a trust that renamed a plugin with the plugin under its new id', async () => {
    const id = 'gridside-demo-hash-reputation';
    const folder = path.join(orch.pluginsDir, 'hash-reputation');
    const xmlFile = path.join(folder, 'actions.xml');
    const xml = readFileSync(xmlFile, 'utf8');
    writeFileSync(xmlFile, xml.replace('Name="Gridside Demo Hash Reputation"', 'Name="Renamed Reputation"'));
    await signCommand(['--key', keyFile, '--signer', 'Vendor Inc', folder]);
    await healthUntil((h) => (h.alerts ?? []).some((a) => a.pluginId === id));

    const trusted = await admin().post(`/api/v1/plugins/${id}/trust`);
    expect(trusted.status).toBe(200);
    expect(trusted.body).toMatchObject({ id: 'renamed-reputation', status: 'trusted', runnable: true });
    expect(await plugin(id)).toBeUndefined();
    expect((await healthUntil((h) => (h.alerts ?? []).length === 0)).alerts).toEqual([]);
  });

  it('audits a plugin package put into the plugins folder by hand, and does not load it', async () => {
    cpSync(await pluginCopy('dropped', 'user-lookup', null), path.join(orch.pluginsDir, 'dropped-in'), {
      recursive: true,
    });
    const deadline = Date.now() + 15_000;
    const appeared = () =>
      auditRecords('plugin.files-changed').find((r) => r.outcome.includes('dropped-in appeared'));
    while (!appeared() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(appeared()?.outcome).toBe(
      'plugin files changed outside Gridside: dropped-in appeared in the plugins folder; it is not loaded (import it through Gridside)',
    );
    expect(await plugin('gridside-demo-user-lookup')).toBeUndefined();
  });

  it('catches a file changed while the orchestrator was stopped, at start-up', async () => {
    expect(await orch.stop()).toBe(0);
    const script = path.join(orch.pluginsDir, 'slow-scan', 'slow-scan.mjs');
    const before = await hashFile(script);
    writeFileSync(script, "process.stdout.write('{}');\n");
    orch = await restartOrchestrator(orch, options);

    const health = HealthSchema.parse((await admin().get('/api/v1/health')).body);
    expect(health.alerts?.map((a) => a.pluginId)).toEqual(['gridside-demo-slow-scan']);
    const event = auditRecords('plugin.files-changed').at(-1);
    expect(event?.params).toEqual({ 'slow-scan.mjs': `${before} -> ${await hashFile(script)}` });
    const refused = await analyst().post('/api/v1/runs', { actionId: SCAN, params: {}, context });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('plugin files changed outside Gridside (slow-scan.mjs)');
    // A change on record stays until an admin acts, even across restarts.
    expect((await plugin('gridside-demo-slow-scan'))?.status).toBe('modified');

    const db = new Database(orch.db, { readonly: true });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    db.close();
  });
});
