import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RunStatusSchema } from '../../../src/core/api.ts';
import { isFinished, type JobStatus, RUN_STATUSES } from '../../../src/core/run-status.ts';

describe('isFinished', () => {
  it('says a run is over once it succeeded, failed, was denied or canceled, or timed out', () => {
    const all: JobStatus[] = ['submitting', ...RUN_STATUSES];
    expect(all.filter(isFinished)).toEqual(['succeeded', 'failed', 'denied', 'canceled', 'timed_out']);
  });

  it('keeps following a job being submitted, queued, waiting for approval or running', () => {
    for (const status of ['submitting', 'queued', 'pending_approval', 'running'] as const) {
      expect(isFinished(status), status).toBe(false);
    }
  });

  it('knows every status the API schema accepts', () => {
    expect(RunStatusSchema.options).toEqual([...RUN_STATUSES]);
    for (const status of RunStatusSchema.options) expect(typeof isFinished(status)).toBe('boolean');
  });

  it('imports nothing, so the content script can use it without zod', () => {
    const source = readFileSync(new URL('../../../src/core/run-status.ts', import.meta.url), 'utf8');
    expect(ts.preProcessFile(source, true, true).importedFiles).toEqual([]);
  });
});
