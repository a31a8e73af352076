import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, PLUGINS } from './setup.ts';

/**
 * What an engineer reads when the service cannot start: the setting and the file at fault and what to do,
 * never a library's bare words (`SqliteError: unable to open database file`) that name neither.
 */

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-start-'));
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
