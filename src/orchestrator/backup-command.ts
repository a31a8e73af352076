import { existsSync } from 'node:fs';
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
 */

const USAGE = 'usage: gridside-orchestrator backup --db FILE --to FILE';

async function main(): Promise<number> {
  exitWithUsageOnHelp(`${USAGE}

Copies the orchestrator's database FILE (runs, approvals, outputs, audit trail, plugin manifests) to a new
file, consistent even while the orchestrator runs, then checks the copy's audit hash chain. Exits 0 and
prints what was copied; exits 1 if the copy's chain is broken, 2 on a usage error or an existing --to.`);
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
  if (existsSync(target)) {
    process.stderr.write(`backup: ${target} exists; choose a new file (a backup never overwrites one)\n`);
    return 2;
  }
  const source = new Database(values.db, { fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
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
