import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/orchestrator/audit.ts';
import { openDb } from '../../src/orchestrator/store.ts';
import { REPO_ROOT } from '../support/orchestrator-process.ts';

/**
 * `gridside-orchestrator backup` and `audit-verify` as the deploy guide uses them (docs/deploy.md §7): the
 * copy holds every run's parameters and output and the whole audit trail, so it must be as private as the
 * database it came from, and one file that can be moved off the host and checked from any folder.
 */

const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-backup-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A database as the running orchestrator leaves it: WAL mode, with a few audit records. */
function liveDatabase(): string {
  const file = path.join(work, 'orchestrator.db');
  const db = openDb(file);
  const audit = new AuditLog(db);
  for (let n = 0; n < 3; n++)
    audit.append({ actor: 'alice', event: 'run.requested', outcome: `queued ${n}` });
  db.close();
  return file;
}

/** Runs a command module through tsx with the umask most shells have (022), so modes come from the code. */
function command(module: string, args: string[]) {
  return spawnSync('/bin/sh', ['-c', `umask 022 && exec "$0" "$@"`, TSX, module, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
}

describe('backup', () => {
  it('writes the copy readable by its owner alone, as one file in rollback-journal mode', () => {
    const db = liveDatabase();
    const target = path.join(work, 'backup.db');
    const result = command('src/orchestrator/backup-command.ts', ['--db', db, '--to', target]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^backed up 0 runs and 3 audit records \(hash chain intact\)/);

    expect(statSync(target).mode & 0o777).toBe(0o600);
    // No -wal or -shm beside it: the copy is complete in itself, and moving the one file moves it all.
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);
    // Bytes 18 and 19 of the header are 1 for a rollback journal and 2 for WAL. A WAL copy needs write
    // access to its folder even to be read, so audit-verify of it failed in a folder the reader cannot write.
    const header = readFileSync(target).subarray(18, 20);
    expect([...header]).toEqual([1, 1]);

    const verify = command('src/orchestrator/audit-verify.ts', ['--db', target]);
    expect(verify.stdout).toMatch(/^OK 3 audit records, hash chain intact/);
    expect(verify.status).toBe(0);
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);
  });

  it('never overwrites a file', () => {
    const db = liveDatabase();
    const target = path.join(work, 'backup.db');
    writeFileSync(target, 'kept');
    const result = command('src/orchestrator/backup-command.ts', ['--db', db, '--to', target]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('exists; choose a new file');
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });
});

describe('audit-verify', () => {
  it('says it cannot read a file that is no database, with exit 2, never as a broken chain', () => {
    const file = path.join(work, 'not-a-db.db');
    writeFileSync(file, 'this is a text file, not a database\n'.repeat(200));
    const result = command('src/orchestrator/audit-verify.ts', ['--db', file]);
    // Exit 1 means "the chain is broken": a cron job alarms on it as tampering.
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`audit:verify: cannot read ${file} as a database: file is not a database\n`);
    expect(result.stdout).toBe('');
  });
});
