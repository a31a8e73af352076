import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listQuery, openDb } from '../../src/orchestrator/store.ts';

/**
 * The history queries must read their page off an index in created_at order: a plan that sorts (a temp
 * B-tree) or scans the table costs in proportion to the runs stored, which at a million runs is a second
 * per query instead of a millisecond (docs/benchmarks.md, "Orchestrator at scale").
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function plan(filter: Parameters<typeof listQuery>[0]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridside-plan-'));
  dirs.push(dir);
  const db = openDb(path.join(dir, 'o.db'));
  const params = { ...filter, limit: 50 };
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${listQuery(filter)}`).all(params) as { detail: string }[];
  db.close();
  return rows.map((row) => row.detail);
}

describe('history queries with many runs stored', () => {
  it.each([
    ['the newest runs', {}],
    ["a row's runs", { rowKey: 'log-1' }],
    ["an alarm's runs", { alarmId: 'alarm-1' }],
    ['runs waiting for approval', { status: 'pending_approval' as const }],
    ['failed runs of a row', { status: 'failed' as const, rowKey: 'log-1' }],
  ])('%s come off an index, newest first, without sorting', (_what, filter) => {
    const steps = plan(filter);
    expect(steps.join('; ')).not.toMatch(/TEMP B-TREE/);
    expect(steps.join('; ')).toMatch(/USING INDEX runs_/);
    if (Object.keys(filter).length > 0) expect(steps.join('; ')).toMatch(/^SEARCH/);
  });
});
