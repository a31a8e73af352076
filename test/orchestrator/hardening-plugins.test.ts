import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS, zipBytes } from './setup.ts';

/**
 * Plugin folders and packages that try to hide what runs: symbolic links, hard links and special files
 * (refused, at import and when they appear later), two `.lpi` files unpacking into one folder (refused,
 * naming both, at load and at upload), an upload saved over another plugin's folder, and a plugin folder removed under a running orchestrator (the analyst is not shown the
 * server's paths).
 */

const ECHO = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2) }));\n';
const actionsXml = (name: string) => `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="${name}" Version="1">
  <remv1:Action Name="Echo" Command="node">
    <remv1:ConstantParameter Name="Script" Switch="echo.mjs" Order="1" />
  </remv1:Action>
</remv1:Remediation-Plugin>
`;

/** A script without its executable bit, and an action whose interpreter is not installed. */
const NO_EXEC_XML = `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="No Exec" Version="1">
  <remv1:Action Name="Run Script" Command="run.sh" />
  <remv1:Action Name="Missing Interpreter" Command="python.exe">
    <remv1:ConstantParameter Name="Script" Switch="lookup.py" Order="1" />
  </remv1:Action>
</remv1:Remediation-Plugin>
`;

let work: string;
let plugins: string;
let outside: string;
let orch: OrchestratorHandle;

function folderPlugin(folder: string, name: string, script?: (file: string) => void): string {
  const dir = path.join(plugins, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'actions.xml'), actionsXml(name));
  const file = path.join(dir, 'echo.mjs');
  if (script) script(file);
  else writeFileSync(file, ECHO);
  return dir;
}

function lpi(file: string, name: string, hardLink = false, into = plugins): void {
  const root = mkdtempSync(path.join(work, 'staging-'));
  const bin = path.join(root, 'Plugin', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'actions.xml'), actionsXml(name));
  writeFileSync(path.join(bin, 'echo.mjs'), ECHO);
  if (hardLink) linkSync(path.join(bin, 'echo.mjs'), path.join(bin, 'again.mjs'));
  tar.c({ gzip: true, file: path.join(into, file), cwd: root, sync: true }, ['Plugin']);
}

/** A zipped plugin folder, as an admin uploads one. */
function zipped(name: string): Promise<Buffer> {
  return zipBytes((zip) => {
    zip.addBuffer(Buffer.from(actionsXml(name)), 'actions.xml');
    zip.addBuffer(Buffer.from(ECHO), 'echo.mjs');
  });
}

async function upload(bytes: Buffer, filename: string) {
  const response = await fetch(`${orch.url}/api/v1/plugins?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.dave}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: (await response.json()) as { error: { message: string } } };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-indirection-'));
  chmodSync(work, 0o755); // plugins run as an unprivileged user when the tests run as root
  plugins = path.join(work, 'plugins');
  outside = path.join(work, 'outside.mjs');
  writeFileSync(outside, ECHO);
  folderPlugin('linked', 'Sym Linked', (file) => symlinkSync(outside, file));
  folderPlugin('hardlinked', 'Hard Linked', (file) => linkSync(outside, file));
  folderPlugin('piped', 'Piped', (file) => {
    writeFileSync(file, ECHO);
    execFileSync('mkfifo', [path.join(path.dirname(file), 'control')]);
  });
  folderPlugin('plain', 'Plain Folder');
  folderPlugin('doomed', 'Doomed Folder');
  folderPlugin('solo', 'Solo Folder');
  folderPlugin('tamper-me', 'Tamper Me');
  const noExec = path.join(plugins, 'noexec');
  mkdirSync(noExec);
  writeFileSync(path.join(noExec, 'actions.xml'), NO_EXEC_XML);
  writeFileSync(path.join(noExec, 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o644 });
  lpi('Coll A.lpi', 'Collision First');
  lpi('coll-a.lpi', 'Collision Second');
  lpi('twin.lpi', 'Twin Names', true);
  orch = await startOrchestrator({
    plugins,
    copyPlugins: false,
    config: {
      tokens: [
        { name: 'alice', roles: ['analyst'], token: TOKENS.alice },
        { name: 'dave', roles: ['admin'], token: TOKENS.dave },
      ],
      interpreters: { 'python.exe': '/usr/bin/python3-not-installed' },
    },
  });
});
afterAll(async () => {
  await orch?.stop();
  orch?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const catalog = async () =>
  CatalogSchema.parse((await client(orch, TOKENS.alice).get('/api/v1/actions')).body).actions;

describe('indirections in plugin folders', () => {
  it('refuses symbolic links, hard links and special files at import, saying which file', async () => {
    const ids = (await catalog()).map((a) => a.plugin.id);
    expect(ids).toContain('plain-folder');
    expect(ids).not.toContain('sym-linked');
    expect(ids).not.toContain('hard-linked');
    expect(ids).not.toContain('piped');
    const { stderr } = orch.output();
    expect(stderr).toMatch(/linked not loaded: .*echo\.mjs is a symbolic link/);
    expect(stderr).toMatch(/hardlinked not loaded: .*echo\.mjs is a hard link/);
    expect(stderr).toMatch(/piped not loaded: .*control is not a regular file/);
    // The target outside the folder changing is what the refusal prevents from going unnoticed.
    appendFileSync(outside, 'process.exit(7);\n');
    expect((await catalog()).map((a) => a.plugin.id)).not.toContain('sym-linked');
  });

  it('refuses a link that appears after import before the plugin runs again', async () => {
    const alice = client(orch, TOKENS.alice);
    const first = await alice.run('plain-folder/echo', {}, rowContext({}));
    expect(first.body.status).toBe('succeeded');
    const script = path.join(plugins, 'plain', 'echo.mjs');
    rmSync(script);
    symlinkSync(outside, script);
    const refused = await alice.post('/api/v1/runs', {
      actionId: 'plain-folder/echo',
      params: {},
      context: rowContext({}),
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/echo\.mjs is a symbolic link/);
    rmSync(script);
    copyFileSync(outside, script);
  });

  it('refuses a package holding a hard link', async () => {
    expect((await catalog()).map((a) => a.plugin.id)).not.toContain('twin-names');
    expect(orch.output().stderr).toMatch(/twin\.lpi not loaded: .*Link entries are not allowed/);
  });
});

describe('package collisions', () => {
  it('refuses the second package that would unpack into the same folder, naming both files', async () => {
    const ids = (await catalog()).map((a) => a.plugin.id);
    expect(ids).toContain('collision-first');
    expect(ids).not.toContain('collision-second');
    expect(orch.output().stderr).toContain(
      '"coll-a.lpi" and "Coll A.lpi" would unpack into the same folder ("coll-a")',
    );
    const run = await client(orch, TOKENS.alice).run('collision-first/echo', {}, rowContext({}));
    expect(run.body.status).toBe('succeeded');
  });

  it("refuses an upload that would unpack into another plugin's folder or be saved over it, naming both", async () => {
    // Plugin "Coll A" would be saved as coll-a.lpi, which unpacks where "Coll A.lpi" already did.
    const staging = mkdtempSync(path.join(work, 'upload-'));
    lpi('upload.lpi', 'Coll A', false, staging);
    const onDisk = readFileSync(path.join(plugins, 'coll-a.lpi'));
    const lpiClash = await upload(readFileSync(path.join(staging, 'upload.lpi')), 'upload.lpi');
    expect(lpiClash.status).toBe(409);
    expect(lpiClash.body.error.message).toContain(
      'plugin "coll-a" would be saved as "coll-a.lpi", which unpacks into the folder "coll-a" of plugin "collision-first" ("Coll A.lpi")',
    );
    expect(readFileSync(path.join(plugins, 'coll-a.lpi')).equals(onDisk)).toBe(true);

    // Plugin "Solo" would be saved as the folder solo, which holds "Solo Folder".
    const folderClash = await upload(await zipped('Solo'), 'solo.zip');
    expect(folderClash.status).toBe(409);
    expect(folderClash.body.error.message).toContain(
      'plugin "solo" would be saved as "solo", which already holds plugin "solo-folder"',
    );

    const alice = client(orch, TOKENS.alice);
    expect((await alice.run('collision-first/echo', {}, rowContext({}))).body.status).toBe('succeeded');
    expect((await alice.run('solo-folder/echo', {}, rowContext({}))).body.status).toBe('succeeded');
    expect((await catalog()).map((a) => a.plugin.id)).not.toContain('coll-a');
  });
});

describe('a plugin folder removed under the orchestrator', () => {
  it('says so without showing the server its paths', async () => {
    rmSync(path.join(plugins, 'doomed'), { recursive: true });
    const refused = await client(orch, TOKENS.alice).post('/api/v1/runs', {
      actionId: 'doomed-folder/echo',
      params: {},
      context: rowContext({}),
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('the plugin folder is gone');
    expect(refused.text).not.toContain(work);
    expect(refused.text).not.toContain('scandir');
    const doomed = (await catalog()).find((a) => a.plugin.id === 'doomed-folder')!;
    expect(doomed.available).toBe(false);
    expect(doomed.unavailableReason).not.toContain(work);
  });
});

describe('errors that would show the server its paths', () => {
  it("says a plugin's command is not executable, or its interpreter not found, naming no server path", async () => {
    const alice = client(orch, TOKENS.alice);
    const noexec = await alice.run('no-exec/run-script', {}, rowContext({}));
    expect(noexec.body).toMatchObject({
      status: 'failed',
      reason: "the plugin could not be started: the plugin's command run.sh is not executable",
    });
    const missing = await alice.run('no-exec/missing-interpreter', {}, rowContext({}));
    expect(missing.body).toMatchObject({
      status: 'failed',
      reason: 'the plugin could not be started: the command python3-not-installed was not found',
    });
    for (const answer of [noexec, missing]) {
      expect(answer.text).not.toContain(work);
      expect(answer.text).not.toContain('/usr/bin');
      expect(answer.text).not.toMatch(/spawn|EACCES|ENOENT/);
    }
    // The admin finds the system's own words in the orchestrator's log.
    expect(orch.output().stderr).toMatch(/could not start .*run\.sh: spawn .*EACCES/);
  });

  it('names a missing actions.xml relative to the plugin folder on re-import and trust, and in the audit trail', async () => {
    rmSync(path.join(plugins, 'tamper-me', 'actions.xml'));
    const admin = client(orch, TOKENS.dave);
    const reimported = await admin.post('/api/v1/plugins/tamper-me/reimport');
    expect(reimported.status).toBe(409);
    expect(reimported.body.error.message).toBe('re-import failed: actions.xml is missing');
    const trusted = await admin.post('/api/v1/plugins/tamper-me/trust');
    expect(trusted.status).toBe(409);
    expect(trusted.body.error.message).toBe('cannot trust it: actions.xml is missing');
    const db = new Database(orch.db, { readonly: true });
    try {
      const outcomes = db.prepare('SELECT outcome FROM audit').all() as { outcome: string }[];
      const told = outcomes.filter((o) => o.outcome.includes('actions.xml is missing'));
      expect(told.length).toBeGreaterThanOrEqual(2);
      for (const { outcome } of told) expect(outcome).not.toContain(work);
      expect(outcomes.some((o) => o.outcome.includes("open '"))).toBe(false);
    } finally {
      db.close();
    }
  });
});
