import { describe, expect, it, vi } from 'vitest';
import type { Connector } from '../../../../src/background/connectors/connector.ts';
import { createCatalog, sortForRow } from '../../../../src/background/orchestrators/catalog.ts';
import type { ActionParam } from '../../../../src/core/api.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';

const param = (field: string): ActionParam => ({
  id: field.toLowerCase(),
  name: field,
  kind: 'string',
  encrypted: false,
  fromConfig: false,
  required: true,
  default: { field },
  switch: `-${field}`,
  order: '1',
});

describe('catalog', () => {
  it('puts actions the row can fill first, keeping the orchestrator order otherwise', () => {
    const noFields = sampleAction({ id: 'a/static', params: [] });
    const needsHash = sampleAction({ id: 'a/hash', params: [param('Hash')] });
    const halfFilled = sampleAction({ id: 'a/half', params: [param('SIP'), param('Login')] });
    const filled = sampleAction({ id: 'a/sip', params: [param('SIP')] });
    const sorted = sortForRow([noFields, needsHash, halfFilled, filled], sampleContext);
    expect(sorted.map((a) => a.id)).toEqual(['a/sip', 'a/half', 'a/static', 'a/hash']);
  });

  it('caches the catalog for a minute, then asks again', async () => {
    let now = 0;
    const listActions = vi.fn(async () => [sampleAction()]);
    const catalog = createCatalog({
      defaultEntry: async () => ({
        id: 'main',
        kind: 'gridside',
        name: 'Main',
        url: 'https://o.example/',
        enabled: true,
        options: {},
      }),
      connector: async () => ({ listActions }) as unknown as Connector,
      now: () => now,
    });
    const first = await catalog.list(sampleContext);
    expect(first.orchestrator).toEqual({ id: 'main', name: 'Main' });
    await catalog.list(sampleContext);
    expect(listActions).toHaveBeenCalledTimes(1);
    now = 61_000;
    await catalog.list(sampleContext);
    expect(listActions).toHaveBeenCalledTimes(2);
    expect(await catalog.action('main', 'whois/lookup-ip')).toBeDefined();
  });

  it('does not cache a failure', async () => {
    const listActions = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue([]);
    const catalog = createCatalog({
      defaultEntry: async () => ({
        id: 'main',
        kind: 'gridside',
        name: 'Main',
        url: 'https://o.example/',
        enabled: true,
        options: {},
      }),
      connector: async () => ({ listActions }) as unknown as Connector,
    });
    await expect(catalog.list(null)).rejects.toThrow('down');
    await expect(catalog.list(null)).resolves.toMatchObject({ actions: [] });
  });
});
