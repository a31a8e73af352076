import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyAuditChain } from './audit.ts';
import { AuditAnchorError, checkAnchors, loadPublicKey, trailForAnchors } from './audit-anchor.ts';
import { commandName, exitWithUsageOnHelp } from './cli-usage.ts';
import { ConfigError, loadConfigFile } from './config.ts';

/**
 * `npm run audit:verify -- --db FILE [--config FILE | --public-key FILE --checkpoints FILE]`: re-walks the
 * audit hash chain and, given the anchor's public key, checks it against every signed checkpoint (in the
 * trail and in the external checkpoint file). Prints `OK <n> records` and exits 0, or names what is wrong
 * (the first broken record, a truncation, a re-chain, a forged checkpoint) and exits 1.
 */

const USAGE = `usage: ${commandName('npm run audit:verify --')} --db FILE [--config FILE | --public-key FILE --checkpoints FILE]`;

function main(): number {
  exitWithUsageOnHelp(`${USAGE}

Re-walks the orchestrator's audit hash chain in the database FILE. With --config (its auditAnchor section)
or --public-key and --checkpoints, also checks the trail against every signed checkpoint: fewer records
than a checkpoint counted is reported as TRUNCATED, a different hash where a checkpoint was signed as
RE-CHAINED. Prints "OK <n> audit records" and exits 0, or says what is wrong and exits 1; exits 2 when a
file is missing or unusable.`);
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      config: { type: 'string' },
      'public-key': { type: 'string' },
      checkpoints: { type: 'string' },
    },
    strict: true,
  });
  if (!values.db) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!existsSync(values.db)) {
    process.stderr.write(`audit:verify: no database at ${values.db}\n`);
    return 2;
  }
  let publicKeyPem: string | undefined;
  let checkpointFile: string | undefined;
  try {
    if (values.config) {
      const anchor = loadConfigFile(values.config).auditAnchor;
      if (anchor) {
        publicKeyPem = anchor.publicKey;
        checkpointFile = path.resolve(path.dirname(path.resolve(values.config)), anchor.checkpointFile);
      }
    }
    if (values['public-key']) publicKeyPem = readFileSync(values['public-key'], 'utf8');
    if (values.checkpoints) checkpointFile = path.resolve(values.checkpoints);
  } catch (error) {
    process.stderr.write(`audit:verify: ${(error as Error).message}\n`);
    return 2;
  }
  let db: Database.Database;
  let check: ReturnType<typeof verifyAuditChain>;
  try {
    db = new Database(values.db, { readonly: true, fileMustExist: true });
  } catch (error) {
    return unreadable(values.db, error);
  }
  try {
    check = verifyAuditChain(db);
  } catch (error) {
    db.close();
    // Exit 1 says the chain is broken, which a scheduled check reports as tampering: a file that cannot
    // be read (no permission, not a database, a WAL database in a folder the reader cannot write) is not.
    if ((error as { code?: unknown }).code?.toString().startsWith('SQLITE_'))
      return unreadable(values.db, error);
    throw error;
  }
  try {
    let status = 0;
    if (check.ok) {
      process.stdout.write(`OK ${check.count} audit records, hash chain intact\n`);
    } else {
      process.stdout.write(
        `BROKEN at seq ${check.seq}: ${check.problem} (${check.count} records before it are intact)\n`,
      );
      status = 1;
    }
    if (publicKeyPem === undefined) {
      process.stdout.write(
        'NOT ANCHORED: no public key given (--config with auditAnchor, or --public-key), so dropped last ' +
          'records and a re-chained trail cannot be detected\n',
      );
      return status;
    }
    const report = checkAnchors(trailForAnchors(db), loadPublicKey(publicKeyPem), checkpointFile);
    for (const line of report.lines) process.stdout.write(`${line}\n`);
    return report.ok ? status : 1;
  } catch (error) {
    if (error instanceof AuditAnchorError || error instanceof ConfigError) {
      process.stderr.write(`audit:verify: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    db.close();
  }
}

function unreadable(file: string, error: unknown): number {
  process.stderr.write(`audit:verify: cannot read ${file} as a database: ${(error as Error).message}\n`);
  return 2;
}

process.exitCode = main();
