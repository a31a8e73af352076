import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import {
  createExport,
  type ExportService,
  IMPORTED_UNFINISHED,
  type PinsPort,
} from '../../../../src/background/history/export.ts';
import { createHistory } from '../../../../src/background/history/history.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import { HistoryQuerySchema } from '../../../../src/core/history.ts';
import { storedJob } from './job-fixtures.ts';

let count = 0;
const opened: Promise<GridsideDatabase>[] = [];
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 1);

/** An in-memory pins port, keyed by id like the real store (export/import only needs add and all). */
function memoryPins(): PinsPort & { items: Map<string, unknown> } {
  const items = new Map<string, unknown>();
  return {
    items,
    async all() {
      return [...items.values()];
    },
    async add(raw) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return { rejected: 'id: expected string' };
      if (items.has(id)) return 'present';
      items.set(id, raw);
      return 'added';
    },
  };
}

function profile(pins = memoryPins()) {
  const db = openGridsideDb(`gridside-export-test-${++count}`);
  opened.push(db);
  const history = createHistory(createJobStore(db));
  const transfer: ExportService = createExport({
    store: createJobStore(db),
    history,
    pins,
    now: () => T0 + 10 * DAY,
  });
  return { db, history, transfer, pins };
}

afterEach(async () => {
  for (const db of opened.splice(0)) (await db).close();
});

async function seeded() {
  const source = profile();
  const db = await source.db;
  await db.put('jobs', storedJob({ id: 'a', createdAt: T0 + DAY, ip: '203.0.113.9', alarmId: '100' }));
  await db.put(
    'jobs',
    storedJob({
      id: 'b',
      createdAt: T0 + 2 * DAY,
      taxonomies: [{ level: 'malicious', namespace: 'Rep', predicate: 'Score', value: '97' }],
    }),
  );
  // Still running when exported: must not be polled by the profile that imports it.
  await db.put('jobs', storedJob({ id: 'c', createdAt: T0 + 3 * DAY, status: 'running', open: 1 }));
  await source.pins.add({ id: 'pin-1', console: 'https://siem.example.com', rowKey: '100', jobId: 'a' });
  return source;
}

describe('export and import', () => {
  it('exports a versioned envelope with every run and pin', async () => {
    const source = await seeded();
    const file = await source.transfer.exportFile('json');
    const envelope = JSON.parse(file.text);
    expect(envelope).toMatchObject({ format: 'gridside-export', version: 1 });
    expect(envelope.jobs.map((j: { id: string }) => j.id)).toEqual(['a', 'b', 'c']);
    expect(envelope.pins).toHaveLength(1);
    expect(file.filename).toBe('gridside-export-2026-11-11.json');
    // Worker-only bookkeeping (tabs, the open flag) stays out of the file.
    expect(envelope.jobs[0]).not.toHaveProperty('tab');
    expect(envelope.jobs[0]).not.toHaveProperty('open');
  });

  it('restores everything into a fresh profile, and importing twice adds nothing', async () => {
    const source = await seeded();
    const { text } = await source.transfer.exportFile('json');
    const target = profile();
    const first = await target.transfer.importFile(text);
    expect(first.jobs).toEqual({ added: 3, alreadyPresent: 0, rejected: 0 });
    expect(first.pins).toEqual({ added: 1, alreadyPresent: 0, rejected: 0 });

    const all = await target.history.search(HistoryQuerySchema.parse({}), null, 50);
    expect(all.jobs.map((j) => j.id)).toEqual(['c', 'b', 'a']);
    const b = await target.history.get('b');
    expect(b?.run?.output?.taxonomies?.[0]?.level).toBe('malicious');
    const byIp = await target.history.search(HistoryQuerySchema.parse({ text: '203.0.113.9' }), null, 50);
    expect(byIp.jobs.map((j) => j.id)).toEqual(['a']);

    const second = await target.transfer.importFile(text);
    expect(second.jobs).toEqual({ added: 0, alreadyPresent: 3, rejected: 0 });
    expect(second.pins).toEqual({ added: 0, alreadyPresent: 1, rejected: 0 });
    expect((await (await target.db).getAll('jobs')).length).toBe(3);
  });

  it('never resumes polling for a run that was unfinished when exported', async () => {
    const source = await seeded();
    const target = profile();
    await target.transfer.importFile((await source.transfer.exportFile('json')).text);
    const db = await target.db;
    expect(await db.getAllFromIndex('jobs', 'byOpen', 1)).toEqual([]);
    const c = await db.get('jobs', 'c');
    expect(c?.status).toBe('running');
    expect(c?.error).toEqual(IMPORTED_UNFINISHED);
    expect(c?.tab).toBeNull();
  });

  it('rejects a malformed file with a reason and loses nothing', async () => {
    const target = profile();
    await (await target.db).put('jobs', storedJob({ id: 'kept' }));
    for (const [text, reason] of [
      ['{not json', /not JSON/],
      [JSON.stringify({ format: 'something-else', jobs: [] }), /not a Gridside export/],
      [JSON.stringify({ format: 'gridside-export', version: 7, exportedAt: 'x', jobs: [] }), /version 7/],
      [
        JSON.stringify({ format: 'gridside-export', version: 1, exportedAt: 'x', jobs: 'all of them' }),
        /jobs/,
      ],
    ] as const) {
      const report = await target.transfer.importFile(text);
      expect(report.jobs.added).toBe(0);
      expect(report.rejections[0]?.where).toBe('file');
      expect(report.rejections[0]?.reason).toMatch(reason);
    }
    expect((await (await target.db).getAll('jobs')).map((j) => j.id)).toEqual(['kept']);
  });

  it('rejects bad records one by one, saying which and why, and keeps the good ones', async () => {
    const source = await seeded();
    const envelope = JSON.parse((await source.transfer.exportFile('json')).text);
    envelope.jobs[1].status = 'exploded';
    envelope.jobs.push({ id: 'no-context' });
    envelope.pins.push({ console: 'x' });
    const target = profile();
    const report = await target.transfer.importFile(JSON.stringify(envelope));
    expect(report.jobs).toEqual({ added: 2, alreadyPresent: 0, rejected: 2 });
    expect(report.pins).toEqual({ added: 1, alreadyPresent: 0, rejected: 1 });
    expect(report.rejections.map((r) => r.where)).toEqual(['jobs[1]', 'jobs[3]', 'pins[1]']);
    expect(report.rejections[0]?.reason).toMatch(/^status/);
    expect(await (await target.db).get('jobs', 'b')).toBeUndefined();
  });

  it('exports the matching runs as CSV', async () => {
    const source = await seeded();
    const file = await source.transfer.exportFile('csv', HistoryQuerySchema.parse({ text: '203.0.113.9' }));
    const lines = file.text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith('id,started,')).toBe(true);
    expect(lines[1]?.startsWith('a,2026-11-02T00:00:00.000Z,')).toBe(true);
    expect(file.mimeType).toContain('text/csv');
  });
});
