import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { verifyAuditChain } from './audit.ts';
import { exitWithUsageOnHelp } from './cli-usage.ts';

/**
 * `npm run audit:verify -- --db FILE`: re-walks the audit hash chain. Prints `OK <n> records` and exits 0,
 * or names the first broken record (its seq and what does not fit) and exits 1.
 */

function main(): number {
  exitWithUsageOnHelp(`usage: npm run audit:verify -- --db FILE

Re-walks the orchestrator's audit hash chain in the database FILE. Prints "OK <n> audit records" and
exits 0, or names the first broken record and exits 1; exits 2 when FILE is missing.`);
  const { values } = parseArgs({ options: { db: { type: 'string' } }, strict: true });
  if (!values.db) {
    process.stderr.write('usage: npm run audit:verify -- --db FILE\n');
    return 2;
  }
  if (!existsSync(values.db)) {
    process.stderr.write(`audit:verify: no database at ${values.db}\n`);
    return 2;
  }
  const db = new Database(values.db, { readonly: true, fileMustExist: true });
  try {
    const check = verifyAuditChain(db);
    if (check.ok) {
      process.stdout.write(`OK ${check.count} audit records, hash chain intact\n`);
      return 0;
    }
    process.stdout.write(
      `BROKEN at seq ${check.seq}: ${check.problem} (${check.count} records before it are intact)\n`,
    );
    return 1;
  } finally {
    db.close();
  }
}

process.exitCode = main();
