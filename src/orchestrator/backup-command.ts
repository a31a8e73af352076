import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyAuditChain } from './audit.ts';
import { exitWithUsageOnHelp } from './cli-usage.ts';

/**
 * `gridside-orchestrator backup --db FILE --to FILE`: an online backup. SQLite's backup API copies the
 * database page by page and starts over if the running orchestrator writes meanwhile, so the copy is one
 * consistent moment, taken without stopping the service. The copy's audit chain is checked before the
 * command says it succeeded.
 *
 * The copy holds what the database holds (every run's parameters and output, the audit trail), so it is
 * created readable by its owner alone, whatever the umask of the shell that ran the command. And it is one
 * file in rollback-journal mode: a copy left in WAL mode needs -wal and -shm files beside it even to be
 * read, which a reader who cannot write its folder (an admin checking it before a restore) cannot create.
 */

const USAGE = 'usage: gridside-orchestrator backup --db FILE --to FILE';

async function main(): Promise<number> {
  exitWithUsageOnHelp(`${USAGE}

Copies the orchestrator's database FILE (runs, approvals, outputs, audit trail, plugin manifests) to a new
file, consistent even while the orchestrator runs, then checks the copy's audit hash chain. Exits 0 and
prints what was copied; exits 1 if the copy's chain is broken, 2 on a usage error, an existing --to or a
database that cannot be read. The copy is readable by its owner alone (mode 0600) and is one file.`);
  const { values } = parseArgs({
    options: { db: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (!values.db || !values.to) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!existsSync(values.db)) {
    process.stderr.write(`backup: no database at ${values.db}\n`);
    return 2;
  }
  const target = path.resolve(values.to);
  try {
    // Created here, empty (an empty file is an empty database to SQLite), owner-only, and never over another.
    closeSync(openSync(target, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EEXIST'
        ? `backup: ${target} exists; choose a new file (a backup never overwrites one)\n`
        : `backup: cannot create ${target} (${(error as Error).message})\n`,
    );
    return 2;
  }
  try {
    const source = new Database(values.db, { fileMustExist: true });
    try {
      await source.backup(target);
    } finally {
      source.close();
    }
    // The pages came with the source's WAL mode; a rollback journal makes the copy one file again.
    const writable = new Database(target, { fileMustExist: true });
    try {
      writable.pragma('journal_mode = DELETE');
    } finally {
      writable.close();
    }
  } catch (error) {
    // Nothing half-written is left to be mistaken for a backup.
    for (const file of [target, `${target}-journal`, `${target}-wal`, `${target}-shm`])
      rmSync(file, { force: true });
    process.stderr.write(`backup: cannot copy ${values.db} (${(error as Error).message})\n`);
    return 2;
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const chain = verifyAuditChain(copy);
    const runs = (copy.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
    if (!chain.ok) {
      process.stdout.write(
        `backup written to ${target}, but its audit chain is BROKEN at seq ${chain.seq}: ${chain.problem}\n`,
      );
      return 1;
    }
    process.stdout.write(
      `backed up ${runs} runs and ${chain.count} audit records (hash chain intact) to ${target}\n`,
    );
    return 0;
  } finally {
    copy.close();
  }
}

process.exitCode = await main();
