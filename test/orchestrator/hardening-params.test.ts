import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogSchema, RunSchema } from '../../src/core/api.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { client, rowContext, TOKENS } from './setup.ts';

/**
 * Which parameters are required (a package's `*` convention), how zone-less console dates are read
 * whatever the host's zone, and what counts as an empty value. Real orchestrator processes, one per
 * host time zone.
 */

const HARDENING_PLUGINS = 'test/fixtures/hardening-plugins';

const config = (overrides: Record<string, unknown> = {}) => ({
  tokens: [{ name: 'alice', roles: ['analyst'], token: TOKENS.alice }],
  killGraceMs: 500,
  ...overrides,
});

const argvOf = (run: unknown): string[] => JSON.parse(RunSchema.parse(run).output!.stdout).argv;

let tokyo: OrchestratorHandle;
beforeAll(async () => {
  // A host in Asia/Tokyo: before console dates had a zone of their own, it read them nine hours early.
  tokyo = await startOrchestrator({
    plugins: HARDENING_PLUGINS,
    config: config(),
    env: { TZ: 'Asia/Tokyo' },
  });
});
afterAll(async () => {
  expect(await tokyo.stop()).toBe(0);
  tokyo.cleanup();
});

describe('required parameters', () => {
  it('in a package that marks required parameters with "*", only those are required', async () => {
    const alice = client(tokyo, TOKENS.alice);
    const catalog = CatalogSchema.parse((await alice.get('/api/v1/actions')).body);
    const quarantine = catalog.actions.find((a) => a.id === 'test-starred/quarantine-endpoint')!;
    expect(quarantine.params.map((p) => [p.name, p.required])).toEqual([
      ['Script', false],
      ['Host Name*', true],
      ['Override pxGrid User Name', false],
      ['Override Reason', false],
    ]);
    // The convention is the package's: the other action marks nothing and still follows it.
    const echoDate = catalog.actions.find((a) => a.id === 'test-starred/echo-alarm-date')!;
    expect(echoDate.params.find((p) => p.name === 'Comment')?.required).toBe(false);

    const run = await alice.run('test-starred/quarantine-endpoint', {}, rowContext({ SHostName: 'ws-042' }));
    expect(RunSchema.parse(run.body).status).toBe('succeeded');
    // An empty optional parameter with a switch adds nothing; a positional one keeps its place with ''.
    expect(argvOf(run.body)).toEqual(['--host', 'ws-042', '']);

    const missing = await alice.post('/api/v1/runs', {
      actionId: 'test-starred/quarantine-endpoint',
      params: {},
      context: rowContext({}),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('params.host-name');
  });

  it('in a package that marks nothing, a parameter without a default stays required', async () => {
    const alice = client(tokyo, TOKENS.alice);
    const catalog = CatalogSchema.parse((await alice.get('/api/v1/actions')).body);
    const ban = catalog.actions.find((a) => a.id === 'test-unmarked/ban-hash')!;
    expect(ban.params.find((p) => p.name === 'Watchlist')?.required).toBe(true);
    const refused = await alice.post('/api/v1/runs', {
      actionId: 'test-unmarked/ban-hash',
      params: {},
      context: rowContext({ Object: 'd41d8cd98f00b204e9800998ecf8427e' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('params.watchlist');
  });

  it('counts a value of only spaces as empty, as the documentation says', async () => {
    const alice = client(tokyo, TOKENS.alice);
    const refused = await alice.post('/api/v1/runs', {
      actionId: 'test-unmarked/ban-hash',
      params: { watchlist: '   ' },
      context: rowContext({ Object: 'abc' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('params.watchlist');
    const run = await alice.run(
      'test-starred/quarantine-endpoint',
      { 'override-pxgrid-user-name': '  ', 'host-name': ' ws-7 ' },
      rowContext({}),
    );
    // Not empty: passed verbatim, spaces and all. Only spaces: empty, so the switch is left out.
    expect(argvOf(run.body)).toEqual(['--host', ' ws-7 ', '']);
  });
});

describe('console dates', () => {
  const LOGRHYTHM_DATE = '2019-06-20 12:27:03';
  const dateArgument = async (orch: OrchestratorHandle, value: string): Promise<string> => {
    const run = await client(orch, TOKENS.alice).run(
      'test-starred/echo-alarm-date',
      {},
      rowContext({ AlarmDate: value }),
    );
    const argv = argvOf(run.body);
    return argv[argv.indexOf('--date') + 1]!;
  };

  it('reads a zone-less date in UTC by default, not in the host zone', async () => {
    expect(await dateArgument(tokyo, LOGRHYTHM_DATE)).toBe('2019-06-20T12:27:03Z');
    expect(await dateArgument(tokyo, '6/20/2019 12:27:03 PM')).toBe('2019-06-20T12:27:03Z');
    // A date that names its offset is read as written.
    expect(await dateArgument(tokyo, '2019-06-20T12:27:03+02:00')).toBe('2019-06-20T10:27:03Z');
  });

  it('reads it in the configured console zone, the same on hosts in different zones', async () => {
    for (const hostZone of ['UTC', 'America/New_York']) {
      const orch = await startOrchestrator({
        plugins: HARDENING_PLUGINS,
        config: config({ consoleTimeZone: 'Tokyo Standard Time' }),
        env: { TZ: hostZone },
      });
      try {
        expect(await dateArgument(orch, LOGRHYTHM_DATE), hostZone).toBe('2019-06-20T03:27:03Z');
      } finally {
        await orch.stop();
        orch.cleanup();
      }
    }
  }, 90_000);
});
