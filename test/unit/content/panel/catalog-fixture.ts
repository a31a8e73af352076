import type { Action } from '../../../../src/core/api.ts';
import type { RowContext } from '../../../../src/core/row-context.ts';

/** Catalog entries shaped like the orchestrator's `GET /api/v1/actions` (src/core/api.ts ActionSchema). */
const base = {
  approval: { levels: 0, quorum: 1, approverRoles: ['approver', 'admin'] },
  roles: ['analyst'],
  sideEffects: false,
  cacheTtlSeconds: 300,
  timeoutSeconds: 60,
  available: true,
  description: '',
} satisfies Partial<Action>;

const param = (over: Partial<Action['params'][number]> & { id: string }): Action['params'][number] => ({
  name: over.id,
  kind: 'string',
  encrypted: false,
  fromConfig: false,
  required: false,
  switch: '',
  order: '1',
  ...over,
});

export const HASH_LOOKUP: Action = {
  ...base,
  id: 'hashes/lookup',
  plugin: { id: 'hashes', name: 'Hash Reputation' },
  name: 'Look up file hash',
  params: [param({ id: 'hash', name: 'Hash', required: true, default: { field: 'Hash' } })],
};

export const GEO_IP: Action = {
  ...base,
  id: 'geo/ip',
  plugin: { id: 'geo', name: 'GeoIP' },
  name: 'Where is this IP',
  description: 'Country and ASN of an address',
  params: [
    param({ id: 'ip', name: 'IP address', required: true, default: { field: 'SIP' } }),
    param({ id: 'lang', name: 'Language', default: { static: 'en' } }),
    param({ id: 'apikey', name: 'API key', encrypted: true }),
    param({ id: 'server', name: 'Server', fromConfig: true }),
    param({ id: 'mode', name: 'Mode', kind: 'constant', default: { static: 'fast' } }),
  ],
};

export const BLOCK_IP: Action = {
  ...base,
  id: 'fw/block',
  plugin: { id: 'fw', name: 'Firewall' },
  name: 'Block IP',
  sideEffects: true,
  cacheTtlSeconds: 0,
  approval: { levels: 2, quorum: 1, approverRoles: ['approver'] },
  params: [param({ id: 'ip', name: 'IP to block', required: true, default: { field: 'SIP' } })],
};

export const BROKEN: Action = {
  ...base,
  id: 'old/thing',
  plugin: { id: 'old', name: 'Old Plugin' },
  name: 'Tampered action',
  available: false,
  unavailableReason: 'plugin files changed since import',
  params: [],
};

export const CATALOG = [BROKEN, HASH_LOOKUP, BLOCK_IP, GEO_IP];

export function rowContext(over: Partial<RowContext> = {}): RowContext {
  return {
    console: 'https://siem.example',
    kind: 'log',
    key: { value: 'h:abc', source: 'content-hash', confidence: 'low' },
    fields: { SIP: '10.1.2.3', DIP: '8.8.8.8', Login: 'alice' },
    labels: { 'Origin IP': '10.1.2.3', 'Impacted IP': '8.8.8.8', 'User (Origin)': 'alice', Note: 'hello' },
    missing: [],
    truncated: [],
    ...over,
  };
}
