import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSignature } from '../../../src/core/api.ts';
import { createRunsWait } from '../../../src/orchestrator/runs-wait.ts';
import { rowContext } from '../../orchestrator/setup.ts';
import { ALICE, type InProcessRuns, inProcessRuns } from './in-process-runs.ts';

/**
 * `POST /runs/wait` follows a batch's rows: it looks at every row still going when the poll comes, again
 * after each wait, and answers with the rows that changed. The looks read a row's status and approvals
 * only; its whole view (its output read from the database and parsed, its parameters) is read for the
 * rows sent back. The service runs in this process over a real database and the test plugins; rows
 * waiting for approval stay put until the test decides one.
 */

const BOB = { name: 'bob', roles: ['approver' as const], key: 'bob', rateLimitPerMinute: 0 };

let service: InProcessRuns;
beforeEach(async () => {
  service = await inProcessRuns('gridside-runs-wait-');
});
afterEach(() => service.close());

describe('a long poll over a batch of rows', () => {
  it('reads the whole view of the one row that changed, not of the eleven still waiting', async () => {
    const { runs, store } = service;
    const batch = [];
    for (let i = 0; i < 12; i++) {
      batch.push(
        await runs.request(ALICE, {
          actionId: 'test-echo/disable-account',
          params: {},
          context: rowContext({ Login: `user${i}` }),
        }),
      );
    }
    expect(batch.every((run) => run.status === 'pending_approval')).toBe(true);
    const waitForAny = createRunsWait(runs);
    const views = vi.spyOn(runs, 'view');
    const outputs = vi.spyOn(store, 'output');

    const polling = waitForAny({
      wait: 5,
      runs: batch.map((run) => ({ id: run.id, seen: runSignature(run) })),
    });
    // The decision answers with the run's view itself: those reads are not the poll's.
    const [viewsBefore, outputsBefore] = [views.mock.calls.length, outputs.mock.calls.length];
    runs.decide(BOB, batch[3]!.id, { decision: 'deny', comment: 'not this one' });
    const byDecision = views.mock.calls.length - viewsBefore;
    const outputsByDecision = outputs.mock.calls.length - outputsBefore;
    const answer = await polling;

    expect(answer.map((run) => [run.id, run.status])).toEqual([[batch[3]!.id, 'denied']]);
    expect(answer[0]!.approvals).toEqual([
      expect.objectContaining({ level: 1, status: 'denied', by: 'bob', comment: 'not this one' }),
    ]);
    expect(views.mock.calls.length - byDecision).toBe(1);
    expect(outputs.mock.calls.length - outputsByDecision).toBe(1);
  });
});
