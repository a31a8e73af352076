import { describe, expect, it } from 'vitest';
import { triggeredRunFor } from '../../../../src/background/triggers/triggered-run.ts';
import { UserError } from '../../../../src/background/user-error.ts';
import type { Run } from '../../../../src/core/api.ts';

/** Which run opens for an auto-enriched row: the panel's run view and the output frame ask the same way. */

const ORIGIN = 'https://console.example';
const ROW = { key: '4812', kind: 'alarm' as const };
const run = (id: string) => ({ id, output: { stdout: id } }) as unknown as Run;
const missing = async (): Promise<Run> => {
  throw new UserError('not_found', 'No trigger has enriched this row.');
};

describe('triggeredRunFor', () => {
  it('prefers the orchestrator’s trigger run to this browser’s own', async () => {
    const found = await triggeredRunFor(
      { autoEnriched: { run: async () => run('remote') }, autoEnrich: { run: async () => run('local') } },
      ORIGIN,
      ROW,
    );
    expect(found.id).toBe('remote');
  });

  it('falls back to the in-grid auto-enrichment run, asked for the sender’s console', async () => {
    const asked: string[] = [];
    const found = await triggeredRunFor(
      {
        autoEnriched: { run: missing },
        autoEnrich: {
          run: async (origin) => {
            asked.push(origin);
            return run('local');
          },
        },
      },
      ORIGIN,
      ROW,
    );
    expect(found.id).toBe('local');
    expect(asked).toEqual([ORIGIN]);
  });

  it('says plainly when neither enriched the row', async () => {
    await expect(
      triggeredRunFor(
        { autoEnriched: { run: missing }, autoEnrich: { run: async () => undefined } },
        ORIGIN,
        ROW,
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(triggeredRunFor({}, ORIGIN, ROW)).rejects.toMatchObject({ code: 'not_found' });
  });
});
