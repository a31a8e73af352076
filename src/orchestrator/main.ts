import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from './audit.ts';
import { AuditAnchorError, AuditSigner } from './audit-anchor.ts';
import { TokenBook } from './auth.ts';
import { unknownConfiguredActions, unsafeActions } from './catalog.ts';
import { commandName, exitWithUsageOnHelp } from './cli-usage.ts';
import { ConfigError, configuredSecrets, loadConfigFile } from './config.ts';
import { checkListenAddress, httpsOptions } from './listen-policy.ts';
import { watchPlugins } from './plugin-watch.ts';
import { PluginRegistry } from './plugins.ts';
import { scheduleRetention } from './retention.ts';
import { assertReadableBy, decidePluginUser, RunAsError } from './run-as.ts';
import { cleanupNotices } from './run-cleanup.ts';
import { RunService } from './runs.ts';
import { checkSecretFiles, ReadableSecretsError } from './secret-files.ts';
import { buildServer } from './server.ts';
import { type Db, openDb, RunStore } from './store.ts';
import { SyslogForwarder } from './syslog-forwarder.ts';
import { startTriggers } from './trigger-setup.ts';
import { gridsideVersion } from './version.ts';

/**
 * `npm run orchestrator -- --plugins DIR --config FILE [--host 127.0.0.1] [--port 8787] [--db FILE]
 *  [--data-dir DIR] [--reimport] [--allow-root-plugins] [--allow-readable-config] [--insecure-http]`
 *
 * Prints exactly one line to stdout once it listens: `gridside-orchestrator listening on http(s)://HOST:PORT`
 * (the demo launcher and the tests wait for it). Everything else goes to stderr.
 */

const USAGE = `usage: ${commandName('npm run orchestrator --')} --plugins DIR --config FILE [--host 127.0.0.1] [--port 8787] [--db FILE] [--data-dir DIR] [--reimport] [--allow-root-plugins] [--allow-readable-config] [--insecure-http]`;

const HELP = `${USAGE}

Serves Gridside's API v1 for the plugins in --plugins (SmartResponse plugin folders or .lpi archives),
with the tokens, roles and action settings of --config (docs/orchestrator.md). Prints one line to stdout
once it listens: gridside-orchestrator listening on http(s)://HOST:PORT.

  --plugins DIR           folder of plugins to load
  --config FILE           orchestrator config (JSON)
  --host, --port          where to listen (127.0.0.1:8787)
  --db FILE               SQLite database (default: DATA_DIR/orchestrator.db)
  --data-dir DIR          extracted .lpi packages and the default database
  --reimport              trust the plugin files as they are now (after updating them)
  --allow-root-plugins    let plugins run as root (refused otherwise when started as root)
  --allow-readable-config start even though the plugin user can read the config (its tokens and secrets)
  --insecure-http         serve plain HTTP on a non-loopback address (refused otherwise without tls)`;

async function main(): Promise<void> {
  exitWithUsageOnHelp(HELP);
  const { values } = parseArgs({
    options: {
      plugins: { type: 'string' },
      config: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      db: { type: 'string' },
      'data-dir': { type: 'string' },
      reimport: { type: 'boolean', default: false },
      'allow-root-plugins': { type: 'boolean', default: false },
      'allow-readable-config': { type: 'boolean', default: false },
      'insecure-http': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.plugins || !values.config) throw new ConfigError(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`--port: not a port: ${values.port}`);

  const config = loadConfigFile(values.config);
  const configDir = path.dirname(path.resolve(values.config));
  checkListenAddress(values.host, config.tls !== undefined, values['insecure-http']);
  const https = config.tls ? httpsOptions(config.tls, configDir) : undefined;
  // Decided before anything is opened: a root orchestrator without runAs must not even start.
  const { pluginUser, notices } = decidePluginUser({
    orchestratorUid: process.getuid?.(),
    runAs: config.runAs,
    allowRootPlugins: values['allow-root-plugins'] || config.allowRootPlugins,
  });
  for (const notice of notices) process.stderr.write(`${notice}\n`);
  if (pluginUser) {
    const allow = values['allow-readable-config'] || config.allowReadableConfig;
    // The audit key too: a plugin that could read it could sign checkpoints for a rewritten trail. And the
    // TLS keys: with the API's, a plugin could pose as the orchestrator to analysts; with the syslog
    // client's, as the orchestrator to the SIEM.
    const secretFiles = [
      values.config,
      ...(config.auditAnchor ? [path.resolve(configDir, config.auditAnchor.privateKeyFile)] : []),
      ...(config.tls ? [path.resolve(configDir, config.tls.key)] : []),
      ...(config.syslog?.tls?.key ? [path.resolve(configDir, config.syslog.tls.key)] : []),
    ];
    for (const warning of checkSecretFiles(secretFiles, pluginUser, allow))
      process.stderr.write(`${warning}\n`);
  }
  const dataDir = path.resolve(
    values['data-dir'] ??
      (config.dataDir ? path.resolve(configDir, config.dataDir) : '.gridside-orchestrator'),
  );
  mkdirSync(dataDir, { recursive: true });
  const dbFile = values.db ?? path.join(dataDir, 'orchestrator.db');
  const db = openServiceDb(dbFile, Boolean(pluginUser));
  // Runs' parameters and the audit trail are not the plugins' business: the plugin user must not read them.
  if (pluginUser) {
    for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`])
      if (existsSync(file)) chmodSync(file, 0o600);
  }

  // Every value the config supplies is kept out of the audit trail, whatever field it shows up in.
  const audit = new AuditLog(db, () => configuredSecrets(config, process.env));
  if (config.auditAnchor) {
    const anchor = config.auditAnchor;
    audit.anchorWith(
      new AuditSigner(
        anchor,
        path.resolve(configDir, anchor.privateKeyFile),
        path.resolve(configDir, anchor.checkpointFile),
      ),
    );
  }
  const registry = new PluginRegistry(db, audit, dataDir, {
    trustedKeys: config.trustedKeys,
    requireSignatures: config.requireSignatures,
  });
  await registry.loadDirectory(path.resolve(values.plugins), values.reimport);
  const integrityWatch = watchPlugins(registry, config.integrityRescanSeconds);
  if (pluginUser)
    assertReadableBy(
      registry.list().map((plugin) => plugin.dir),
      pluginUser,
    );
  let authorOf: ((requestedBy: string) => string | undefined) | undefined;
  const runs = new RunService({
    store: new RunStore(db),
    audit,
    registry,
    config,
    env: process.env,
    ...(pluginUser ? { pluginUser } : {}),
    authorOf: (requestedBy) => authorOf?.(requestedBy),
  });
  for (const id of unknownConfiguredActions(runs.catalog(), config)) {
    process.stderr.write(`gridside-orchestrator: config names action "${id}", which no loaded plugin has\n`);
  }
  for (const { id, reason } of unsafeActions(runs.catalog())) {
    process.stderr.write(`gridside-orchestrator: action "${id}" will not run: ${reason}\n`);
  }
  await runs.recover();
  // Whether leftovers of a run can be found at all here: a sandbox can take both means away silently.
  for (const notice of await cleanupNotices(pluginUser)) process.stderr.write(`${notice}\n`);
  const triggers = startTriggers({ config, db, runs, audit, env: process.env });
  authorOf = (requestedBy) => triggers?.routes.triggers.authorOf(requestedBy);

  const syslog = config.syslog ? new SyslogForwarder(db, config.syslog, configDir) : undefined;
  syslog?.start();
  const stopRetention = config.retention ? scheduleRetention(db, config.retention, audit) : undefined;
  const app = buildServer({
    config,
    tokens: new TokenBook(config),
    runs,
    registry,
    audit,
    version: gridsideVersion(),
    ...(https ? { https } : {}),
    service: {
      db,
      ...(syslog ? { syslog } : {}),
      metricsTokens: new TokenBook({
        ...config,
        tokens: config.metrics.tokens.map((token) => ({ ...token, roles: [] })),
      }),
    },
    ...(triggers ? { triggers: triggers.routes } : {}),
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`gridside-orchestrator: ${signal}, stopping\n`);
    integrityWatch.stop();
    const closing = app.close();
    await triggers?.stop();
    await runs.stop();
    await closing;
    stopRetention?.();
    audit.stopAnchoring(); // a last checkpoint covers everything up to the shutdown
    await syslog?.stop(); // after the last checkpoint, so the SIEM receives it too
    db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: values.host, port }).catch((error: unknown) => {
    throw listenProblem(error, values.host, port);
  });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(
    `gridside-orchestrator listening on ${https ? 'https' : 'http'}://${values.host}:${actualPort}\n`,
  );
  triggers?.startPolling();
}

/**
 * Why the API could not listen, with what to do about it. The system's words ("listen EADDRINUSE: address
 * already in use") name the address but not the remedy, and the common cause is an orchestrator already
 * running, or a unit given a privileged port without the capability to bind it.
 */
function listenProblem(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const at = `cannot listen on ${host}:${port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `${at}: another process listens there (EADDRINUSE), perhaps an orchestrator already running; stop it, or give --port another port`,
    );
  if (code === 'EACCES' && port < 1024)
    return new ConfigError(
      `${at}: a port below 1024 needs the CAP_NET_BIND_SERVICE capability (EACCES); give --port 1024 or above, or grant the capability in the service unit`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new ConfigError(
      `${at}: no network interface of this host has that address (EADDRNOTAVAIL); check --host`,
    );
  return error;
}

/**
 * Opens the database or stops, naming the file and what it needs. SQLite's own words ("unable to open
 * database file") name neither, and a database the account can read but not write opened without a
 * complaint and failed at the first write, halfway through loading the plugins.
 *
 * It holds every run's parameters and output and the audit trail: a new one is created readable by the
 * orchestrator's account alone, whatever the umask of the shell that started it (SQLite gives its -wal and
 * -shm files the database's mode). One that other accounts can read already is named on stderr, not
 * changed: an engineer may have opened it to a backup agent's group on purpose. With plugins run as
 * another user (`madePrivate`), the caller makes it private anyway.
 */
function openServiceDb(file: string, madePrivate: boolean): Db {
  const folder = path.dirname(path.resolve(file));
  const uid = process.getuid?.();
  const needs =
    `the orchestrator's account${uid === undefined ? '' : ` (uid ${uid})`} must be able to read and ` +
    `write it and to create files in ${folder} (SQLite keeps its -wal and -shm files beside it)`;
  const refuse = (reason: string, hint: string) => new ConfigError(`database ${file}: ${reason}: ${hint}`);
  if (!existsSync(folder))
    throw refuse('unable to open database file', `${needs}; that folder does not exist`);
  if (existsSync(file)) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw refuse(`cannot read and write it (${(error as NodeJS.ErrnoException).code})`, needs);
    }
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077 && !madePrivate)
      process.stderr.write(
        `gridside-orchestrator: warning: database ${file} is readable by other accounts ` +
          `(mode ${mode.toString(8).padStart(4, '0')}); it holds run parameters, output and the audit ` +
          `trail: chmod 600 it (and its -wal and -shm files) unless that is meant\n`,
      );
  } else if (file !== ':memory:') {
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw refuse(`cannot create it (${code})`, needs);
    }
  }
  try {
    return openDb(file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (!code.startsWith('SQLITE_')) throw error;
    throw refuse(
      (error as Error).message,
      code === 'SQLITE_NOTADB'
        ? 'restore a copy made by gridside-orchestrator backup, or give --db a new file'
        : needs,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gridside-orchestrator: ${
      error instanceof ConfigError ||
      error instanceof RunAsError ||
      error instanceof ReadableSecretsError ||
      error instanceof AuditAnchorError
        ? error.message
        : String(error)
    }\n`,
  );
  process.exit(1);
});
