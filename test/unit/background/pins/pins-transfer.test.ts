import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { type GridsideDatabase, openGridsideDb } from '../../../../src/background/db.ts';
import { createExport } from '../../../../src/background/history/export.ts';
import { createHistory } from '../../../../src/background/history/history.ts';
import { createJobStore } from '../../../../src/background/jobs/job-store.ts';
import { pinFromJob } from '../../../../src/background/pins/pins.ts';
import { createPinsTransfer } from '../../../../src/background/pins/pins-transfer.ts';
import { storedJob } from '../history/job-fixtures.ts';

let count = 0;

function profile() {
  const db: Promise<GridsideDatabase> = openGridsideDb(`gridside-pins-transfer-${++count}`);
  const history = createHistory(createJobStore(db));
  return { db, transfer: createExport({ store: createJobStore(db), history, pins: createPinsTransfer(db) }) };
}

describe('pins travel with the export', () => {
  it('exports every pin and imports it into a fresh profile once, keeping its note', async () => {
    const source = profile();
    const job = storedJob({ id: 'pinned-run', alarmId: '4711' });
    await (await source.db).put('jobs', job);
    await (await source.db).put('pins', pinFromJob(job, 'escalated to tier 2', 1_700_000_000_000));
    const { text, pins } = await source.transfer.exportFile('json');
    expect(pins).toBe(1);

    const target = profile();
    const first = await target.transfer.importFile(text);
    expect(first.pins).toEqual({ added: 1, alreadyPresent: 0, rejected: 0 });
    const restored = await (await target.db).getAll('pins');
    expect(restored).toHaveLength(1);
    expect(restored[0]).toMatchObject({ jobId: 'pinned-run', rowKey: '4711', note: 'escalated to tier 2' });

    // The analyst changed the note meanwhile: importing the old file again must not undo it.
    await (await target.db).put('pins', { ...restored[0]!, note: 'closed' });
    const second = await target.transfer.importFile(text);
    expect(second.pins).toEqual({ added: 0, alreadyPresent: 1, rejected: 0 });
    expect((await (await target.db).getAll('pins'))[0]?.note).toBe('closed');
    (await source.db).close();
    (await target.db).close();
  });

  it('rejects a malformed pin with the field that is wrong', async () => {
    const target = profile();
    const file = {
      format: 'gridside-export',
      version: 1,
      exportedAt: new Date(0).toISOString(),
      jobs: [],
      pins: [{ id: 'pin:x', console: 'https://siem.example.com', rowKey: '1' }],
    };
    const report = await target.transfer.importFile(JSON.stringify(file));
    expect(report.pins).toEqual({ added: 0, alreadyPresent: 0, rejected: 1 });
    expect(report.rejections[0]?.where).toBe('pins[0]');
    expect(report.rejections[0]?.reason).toMatch(/^kind/);
    expect(await (await target.db).getAll('pins')).toEqual([]);
    (await target.db).close();
  });
});
