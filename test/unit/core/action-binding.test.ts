import { describe, expect, it } from 'vitest';
import { bindRow } from '../../../src/core/action-binding.ts';
import type { ActionParam } from '../../../src/core/api.ts';
import { sampleAction, sampleContext } from '../background/fake-orchestrator.ts';

const param = (over: Partial<ActionParam>): ActionParam => ({
  id: 'p',
  name: 'P',
  kind: 'string',
  encrypted: false,
  fromConfig: false,
  required: false,
  switch: '-p',
  order: '1',
  ...over,
});

describe("a row's own values for an action", () => {
  it('takes field defaults from the row and static defaults as written, and never sends secrets', () => {
    const action = sampleAction({
      params: [
        param({ id: 'ip', name: 'IP', required: true, default: { field: 'SIP' } }),
        param({ id: 'mode', default: { static: 'fast' } }),
        param({ id: 'key', encrypted: true, default: { static: 'secret' } }),
        param({ id: 'env', fromConfig: true, default: { static: 'prod' } }),
        param({ id: 'k', kind: 'constant', default: { static: '1' } }),
        param({ id: 'note' }),
      ],
    });
    expect(bindRow(action, sampleContext)).toEqual({ params: { ip: '10.1.2.3', mode: 'fast' }, missing: [] });
  });

  it('names the required parameters the row has no value for', () => {
    const action = sampleAction({
      params: [param({ id: 'user', name: 'User name', required: true, default: { field: 'Login' } })],
    });
    expect(bindRow(action, sampleContext).missing).toEqual(['User name']);
  });
});
