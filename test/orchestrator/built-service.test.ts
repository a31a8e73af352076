import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrchestrator } from '../../scripts/build-orchestrator.ts';
import { HealthSchema } from '../../src/core/api.ts';
import { verifyAuditChain } from '../../src/orchestrator/audit.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from '../support/orchestrator-process.ts';
import { makeTestCa, type TestCa } from '../support/test-ca.ts';
import { baseConfig, client, PLUGINS, rowContext, TOKENS } from './setup.ts';

/**
 * The orchestrator as a SOC installs it: built to plain JavaScript and started with Node alone through the
 * `gridside-orchestrator` bin, serving HTTPS (with and without client certificates), refusing plain HTTP
 * off the loopback interface, and backed up while it runs.
 */

const BIN = path.join(REPO_ROOT, 'bin/gridside-orchestrator.js');
const run = promisify(execFile);
const handles: OrchestratorHandle[] = [];
let work: string;
let ca: TestCa;

beforeAll(async () => {
  await buildOrchestrator();
  work = mkdtempSync(path.join(tmpdir(), 'gridside-built-'));
  ca = makeTestCa(path.join(work, 'ca'));
}, 60_000);

afterAll(async () => {
  for (const handle of handles) {
    await handle.stop();
    handle.cleanup();
  }
  rmSync(work, { recursive: true, force: true });
});

interface TlsAnswer {
  status: number;
  body: unknown;
  peer: string | undefined;
}

/** GET over HTTPS trusting only the test CA, optionally with a client certificate. */
function httpsGet(url: string, token: string, client?: { cert: string; key: string }): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      url,
      {
        ca: readFileSync(ca.caCert),
        servername: 'localhost',
        headers: { authorization: `Bearer ${token}` },
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
      },
      (response) => {
        const peer = String((response.socket as TLSSocket).getPeerCertificate().subject?.CN);
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text),
            peer,
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

const portOf = (url: string): string => new URL(url).port;

describe('the built orchestrator', () => {
  it('is plain JavaScript that Node runs without TypeScript', async () => {
    const bundle = readFileSync(path.join(REPO_ROOT, 'dist-orchestrator/gridside-orchestrator.js'), 'utf8');
    expect(bundle).not.toMatch(/from ['"][^'"]+\.ts['"]/);
    expect(bundle).not.toMatch(/\binterface \w+ \{/);
    // Every package it imports is a run-time dependency: `npm ci --omit=dev` installs all it needs.
    const { dependencies } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const packages = [...bundle.matchAll(/(?:from |import\()"([^".][^"]*)"/g)]
      .map((match) => match[1]!)
      .filter((name) => !name.startsWith('node:'))
      .map((name) =>
        name
          .split('/')
          .slice(0, name.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((name) => !(name in dependencies))).toEqual([]);
    // And nothing else is: the extension's and the demo's packages (Preact, ag-Grid, the IP databases) are
    // bundled or run from the repository, and a server install has no use for them.
    expect(Object.keys(dependencies).filter((name) => !packages.includes(name))).toEqual([]);
    const { stdout } = await run(process.execPath, [BIN, '--help'], { cwd: work });
    expect(stdout).toMatch(/^usage: gridside-orchestrator/);
    for (const command of ['serve', 'backup', 'audit-verify']) expect(stdout).toContain(command);
    const serveHelp = await run(process.execPath, [BIN, 'serve', '--help'], { cwd: work });
    expect(serveHelp.stdout).toContain('--insecure-http');
    // Installed without src/ or npm scripts: each command's usage names the command itself.
    expect(serveHelp.stdout).toMatch(/^usage: gridside-orchestrator serve /);
    const verifyHelp = await run(process.execPath, [BIN, 'audit-verify', '--help'], { cwd: work });
    expect(verifyHelp.stdout).toMatch(/^usage: gridside-orchestrator audit-verify --db FILE/);
  });

  it('serves HTTPS on every interface and, with tls.ca, admits only clients whose certificate it signed', async () => {
    const orch = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig({ tls: { cert: ca.serverCert, key: ca.serverKey, ca: ca.caCert } }),
      built: true,
      host: '0.0.0.0',
    });
    handles.push(orch);
    expect(orch.url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
    const url = `https://127.0.0.1:${portOf(orch.url)}/api/v1/health`;

    const admitted = await httpsGet(url, TOKENS.dave, { cert: ca.clientCert, key: ca.clientKey });
    expect(admitted.status).toBe(200);
    expect(admitted.peer).toBe('localhost');
    expect(HealthSchema.parse(admitted.body).user).toEqual({ name: 'dave', roles: ['admin'] });

    // No client certificate, or one from another CA: the handshake itself fails, no token is even read.
    await expect(httpsGet(url, TOKENS.dave)).rejects.toThrow();
    await expect(
      httpsGet(url, TOKENS.dave, { cert: ca.strangerCert, key: ca.strangerKey }),
    ).rejects.toThrow();
    // Plain HTTP to the TLS port gets no API answer.
    const plain = await fetch(`http://127.0.0.1:${portOf(orch.url)}/api/v1/health`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
  });

  it('serves HTTPS without client certificates when tls.ca is not set', async () => {
    const orch = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig({ tls: { cert: ca.serverCert, key: ca.serverKey } }),
      built: true,
    });
    handles.push(orch);
    const answer = await httpsGet(`${orch.url}/api/v1/health`, TOKENS.alice);
    expect(answer.status).toBe(200);
    expect(HealthSchema.parse(answer.body).user?.name).toBe('alice');
  });

  it('refuses plain HTTP off the loopback interface unless told --insecure-http', async () => {
    await expect(
      startOrchestrator({ plugins: PLUGINS, config: baseConfig(), built: true, host: '0.0.0.0' }),
    ).rejects.toThrow(/refusing to serve plain HTTP on 0\.0\.0\.0/);
    const insecure = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig(),
      built: true,
      host: '0.0.0.0',
      extraArgs: ['--insecure-http'],
    });
    handles.push(insecure);
    expect(insecure.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const health = await fetch(`http://127.0.0.1:${portOf(insecure.url)}/api/v1/health`);
    expect(health.status).toBe(200);
  });

  it('backs up the database while runs go on, and the copy restores', async () => {
    const orch = await startOrchestrator({ plugins: PLUGINS, config: baseConfig(), built: true });
    handles.push(orch);
    const alice = client(orch, TOKENS.alice);
    const runOnce = async (n: number) => {
      const answer = await alice.run('test-echo/echo-row', {}, rowContext({ AlarmId: String(n) }));
      expect(answer.body.status).toBe('succeeded');
    };
    for (let n = 0; n < 3; n++) await runOnce(n);

    // Runs keep coming while the backup is taken.
    let busy = true;
    const traffic = (async () => {
      let n = 100;
      while (busy) await runOnce(n++);
    })();
    const target = path.join(work, 'backup.db');
    const backup = await run(process.execPath, [BIN, 'backup', '--db', orch.db, '--to', target], {
      cwd: work,
    });
    busy = false;
    await traffic;
    expect(backup.stdout).toMatch(/^backed up \d+ runs and \d+ audit records \(hash chain intact\)/);

    const copy = new Database(target, { readonly: true });
    const copied = (copy.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
    const check = verifyAuditChain(copy);
    copy.close();
    expect(copied).toBeGreaterThanOrEqual(3);
    expect(check.ok).toBe(true);

    const verify = await run(process.execPath, [BIN, 'audit-verify', '--db', target], { cwd: work });
    expect(verify.stdout).toMatch(/^OK \d+ audit records, hash chain intact/);
    // A backup never overwrites a file.
    await expect(
      run(process.execPath, [BIN, 'backup', '--db', orch.db, '--to', target], { cwd: work }),
    ).rejects.toMatchObject({ code: 2 });

    // Restore: an orchestrator started on the copy knows the runs it held.
    const restored = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig(),
      built: true,
      db: target,
    });
    handles.push(restored);
    const listed = await client(restored, TOKENS.alice).get('/api/v1/runs?limit=200');
    expect(listed.body.runs).toHaveLength(copied);
  });
});
