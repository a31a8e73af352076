import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { makeTestCa, type TestCa } from '../support/test-ca.ts';
import { baseConfig, PLUGINS } from './setup.ts';

/**
 * What an engineer reads when the service cannot start: the setting and the file at fault and what to do,
 * never a library's bare words (`SqliteError: unable to open database file`) that name neither.
 */

let work: string;
let ca: TestCa;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-start-'));
  ca = makeTestCa(path.join(work, 'ca'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the database', () => {
  it('names a database it cannot open, and what the account needs', async () => {
    const db = path.join(work, 'no-such-folder', 'orchestrator.db');
    const start = startOrchestrator({ plugins: PLUGINS, config: baseConfig(), db });
    await expect(start).rejects.toThrow(
      `gridside-orchestrator: database ${db}: unable to open database file: the orchestrator's account`,
    );
    await expect(start).rejects.toThrow(`create files in ${path.dirname(db)}`);
  });

  it('names a file that is not a database', async () => {
    const db = path.join(work, 'notes.db');
    writeFileSync(db, 'not a database\n'.repeat(500));
    await expect(startOrchestrator({ plugins: PLUGINS, config: baseConfig(), db })).rejects.toThrow(
      `gridside-orchestrator: database ${db}: file is not a database: restore a copy made by gridside-orchestrator backup, or give --db a new file`,
    );
  });
});

describe('a new database, started from a shell with umask 022 and plugins under the same account', () => {
  // The run's parameters, its output and the audit trail are nobody else's to read, whatever the shell's
  // umask: the unit file's UMask=0077 covered only a start through systemd.
  const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

  /** Starts the orchestrator on `db` from `sh` with umask 022, hands it to `check`, and stops it. */
  async function startedOn(db: string, check: (orch: OrchestratorHandle) => void): Promise<void> {
    const orch = await startOrchestrator({
      plugins: PLUGINS,
      config: baseConfig({ allowRootPlugins: true }),
      asConfigured: true,
      db,
      wrap: (node, args) => ({
        command: '/bin/sh',
        args: ['-c', 'umask 022 && exec "$0" "$@"', node, ...args],
      }),
    });
    try {
      check(orch);
    } finally {
      expect(await orch.stop()).toBe(0);
      orch.cleanup();
    }
  }

  it('is created readable by the orchestrator’s account alone, with its -wal and -shm files', async () => {
    const db = path.join(work, 'private.db');
    await startedOn(db, (orch) => {
      const files = [db, `${db}-wal`, `${db}-shm`].filter((file) => existsSync(file));
      expect(files, 'SQLite keeps its write-ahead log beside the database').toContain(`${db}-wal`);
      expect(Object.fromEntries(files.map((file) => [path.basename(file), modeOf(file)]))).toEqual(
        Object.fromEntries(files.map((file) => [path.basename(file), '600'])),
      );
      expect(orch.output().stderr).not.toContain('readable by other accounts');
    });
  });

  it('names one that other accounts can read, and leaves its mode to the engineer', async () => {
    const db = path.join(work, 'shared.db');
    writeFileSync(db, '');
    chmodSync(db, 0o640);
    await startedOn(db, (orch) => {
      expect(orch.output().stderr).toContain(
        `warning: database ${db} is readable by other accounts (mode 0640); it holds run parameters, output and the audit trail: chmod 600 it`,
      );
      expect(modeOf(db)).toBe('640');
    });
  });
});

/** The start, which must fail; one that succeeds is stopped rather than left running. */
async function refused(start: Promise<OrchestratorHandle>): Promise<string> {
  const outcome = await start.then(
    async (orch) => {
      await orch.stop();
      orch.cleanup();
      return 'it started';
    },
    (error: Error) => error.message,
  );
  return outcome;
}

describe('the API address', () => {
  it('says the port is taken, and what to do, when another process listens there', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const said = await refused(
        startOrchestrator({ plugins: PLUGINS, config: baseConfig(), extraArgs: ['--port', String(port)] }),
      );
      expect(said).toContain(
        `gridside-orchestrator: cannot listen on 127.0.0.1:${port}: another process listens there (EADDRINUSE), perhaps an orchestrator already running; stop it, or give --port another port`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('TLS files', () => {
  const start = (tls: Record<string, string>) =>
    refused(startOrchestrator({ plugins: PLUGINS, config: baseConfig({ tls }) }));

  it('names a certificate file that holds no certificate', async () => {
    const garbage = path.join(work, 'garbage.crt');
    writeFileSync(garbage, 'not a certificate\n');
    await expect(start({ cert: garbage, key: ca.serverKey })).resolves.toContain(
      `gridside-orchestrator: tls.cert: ${garbage} holds no PEM certificate`,
    );
  });

  it('names a key file that holds no private key', async () => {
    await expect(start({ cert: ca.serverCert, key: ca.serverCert })).resolves.toContain(
      `gridside-orchestrator: tls.key: ${ca.serverCert} holds no PEM private key`,
    );
  });

  it('names a key that is not the certificate’s', async () => {
    await expect(start({ cert: ca.serverCert, key: ca.clientKey })).resolves.toContain(
      `gridside-orchestrator: tls.key: ${ca.clientKey} is not the private key of the certificate in ${ca.serverCert}`,
    );
  });

  it('names a client CA file that holds no certificate', async () => {
    await expect(start({ cert: ca.serverCert, key: ca.serverKey, ca: ca.serverKey })).resolves.toContain(
      `gridside-orchestrator: tls.ca: ${ca.serverKey} holds no PEM certificate`,
    );
  });
});

const isRoot = process.getuid?.() === 0;

describe('a TLS key the plugin user can read', () => {
  // Tests started as root run their plugins as nobody (test/support/orchestrator-process.ts).
  it.skipIf(!isRoot)('refuses to start, naming the key, as for the config itself', async () => {
    const key = path.join(work, 'readable-server.key');
    copyFileSync(ca.serverKey, key);
    chmodSync(key, 0o644);
    chmodSync(work, 0o755);
    await expect(
      refused(
        startOrchestrator({ plugins: PLUGINS, config: baseConfig({ tls: { cert: ca.serverCert, key } }) }),
      ),
    ).resolves.toMatch(new RegExp(`plugins run as "nobody" .*which can read ${key}`));
  });
});
