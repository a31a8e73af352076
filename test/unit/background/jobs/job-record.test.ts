import { describe, expect, it } from 'vitest';
import {
  cachedFrom,
  historyRecord,
  jobRecord,
  refused,
  toJob,
} from '../../../../src/background/jobs/job-record.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';

const row: RowContext = { ...sampleContext, console: 'https://siem.example', key: { ...sampleContext.key } };
const start = {
  id: 'job-1',
  orchestratorId: 'local',
  action: sampleAction(),
  params: { ip: '10.1.2.3' },
  context: row,
  tab: { tabId: 7, frameId: 0 },
};

describe('jobRecord', () => {
  it('derives what the indexes read from the row and the status, never from the caller', () => {
    const job = jobRecord(start, 1000);
    expect(job).toMatchObject({
      console: 'https://siem.example',
      rowKey: row.key.value,
      open: 1,
      status: 'submitting',
      runId: null,
      createdAt: 1000,
      updatedAt: 1000,
      actionId: start.action.id,
      actionName: start.action.name,
    });
    expect(job).not.toHaveProperty('batch');
    expect(job).not.toHaveProperty('queued');
  });

  it('keeps a pivot’s parent job id, and the content script sees it', () => {
    const job = jobRecord({ ...start, parentJobId: 'job-0' }, 1000);
    expect(toJob(job).parentJobId).toBe('job-0');
    expect(jobRecord(start, 1000)).not.toHaveProperty('parentJobId');
  });

  it('closes a job refused before it was sent, with why', () => {
    const job = jobRecord(start, 1000, refused({ code: 'bad_request', message: 'no value for SIP' }));
    expect(job).toMatchObject({ status: 'failed', open: 0, error: { message: 'no value for SIP' } });
  });

  it('keeps a batch row queued with its batch place until it is sent', () => {
    const action = sampleAction();
    const job = jobRecord({ ...start, batch: { id: 'b', order: 3 } }, 1000, undefined, { action });
    expect(job).toMatchObject({ open: 1, batch: { id: 'b', order: 3 }, queued: { action } });
  });

  it("copies a cached run's outcome, stamped with when that run ended", () => {
    const source = { ...jobRecord(start, 1000), status: 'succeeded' as const, runId: 'r1', updatedAt: 5000 };
    const copy = jobRecord({ ...start, id: 'job-2', tab: null }, 9000, cachedFrom(source));
    expect(copy).toMatchObject({ id: 'job-2', runId: 'r1', status: 'succeeded', cachedAt: 5000, open: 0 });
    expect(copy.createdAt).toBe(9000);
  });

  it('stores an imported job as history only, even one that was still running', () => {
    const running = toJob({ ...jobRecord(start, 1000), status: 'running', runId: 'r1' });
    expect(historyRecord(running)).toMatchObject({ open: 0, tab: null, rowKey: row.key.value });
  });
});
