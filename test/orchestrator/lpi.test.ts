import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CatalogSchema, RunSchema } from '../../src/core/api.ts';
import { MAX_UNPACKED } from '../../src/orchestrator/lpi.ts';
import { type OrchestratorHandle, startOrchestrator } from '../support/orchestrator-process.ts';
import { baseConfig, client, rowContext, TOKENS, writePadding } from './setup.ts';

/**
 * `.lpi` packages (gzip tar: Plugin/bin/actions.xml + scripts, Plugin/config/actions.xml), built here
 * with the tar package the way SRP-IDE lays them out. Archives with `..` paths or links are refused.
 */

const ACTIONS_XML = `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" Name="Packaged Lookup" Version="2" Guid="0b8f2a34-1c2d-4e5f-8a9b-000000000042">
  <remv1:Action Name="Lookup Host" Command="node">
    <remv1:ConstantParameter Name="Script" Switch="lookup.mjs" Order="1" />
    <remv1:StringParameter Name="Host" Switch="-host " Order="2">
      <remv1:DefaultInput><remv1:SHostName /></remv1:DefaultInput>
    </remv1:StringParameter>
  </remv1:Action>
</remv1:Remediation-Plugin>
`;

/** A second package, whose archive a test swaps on disk after its import. */
const swappable = (script: string) => {
  const xml = ACTIONS_XML.replace('Name="Packaged Lookup"', 'Name="Swapped Lookup"').replace(
    '000000000042',
    '000000000043',
  );
  return {
    'Plugin/bin/actions.xml': xml,
    'Plugin/bin/lookup.mjs': `process.stdout.write(JSON.stringify({ script: ${JSON.stringify(script)} }));\n`,
    'Plugin/config/actions.xml': xml,
  };
};

let work: string;
let orch: OrchestratorHandle;

async function buildLpi(
  file: string,
  files: Record<string, string>,
  options: { link?: string; escape?: boolean; padding?: number } = {},
) {
  const staging = mkdtempSync(path.join(work, 'staging-'));
  const root = path.join(staging, 'root');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  const entries = ['Plugin'];
  if (options.padding) writePadding(path.join(root, 'Plugin', 'bin', 'padding.bin'), options.padding);
  if (options.link) symlinkSync(options.link, path.join(root, 'Plugin', 'bin', 'linked.mjs'));
  if (options.escape) {
    writeFileSync(path.join(staging, 'outside.mjs'), 'escaped');
    entries.push('../outside.mjs');
  }
  await tar.c({ gzip: true, file, cwd: root, preservePaths: true, portable: true }, entries);
  rmSync(staging, { recursive: true, force: true });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gridside-lpi-'));
  const plugins = path.join(work, 'plugins');
  mkdirSync(plugins);
  const good = {
    'Plugin/bin/actions.xml': ACTIONS_XML,
    'Plugin/bin/lookup.mjs': 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2) }));\n',
    'Plugin/config/actions.xml': ACTIONS_XML,
  };
  await buildLpi(path.join(plugins, 'ARPlugin_Packaged_20260101.lpi'), good);
  await buildLpi(path.join(plugins, 'ARPlugin_Swapped.lpi'), swappable('lookup()'));
  await buildLpi(path.join(plugins, 'escape.lpi'), good, { escape: true });
  await buildLpi(path.join(plugins, 'link.lpi'), good, { link: '/etc/passwd' });
  const bulky = ACTIONS_XML.replace('Name="Packaged Lookup"', 'Name="Bulky Lookup"');
  await buildLpi(
    path.join(plugins, 'bulky.lpi'),
    { ...good, 'Plugin/bin/actions.xml': bulky, 'Plugin/config/actions.xml': bulky },
    { padding: MAX_UNPACKED + 1024 * 1024 },
  );
  orch = await startOrchestrator({ plugins, copyPlugins: false, config: baseConfig() });
});
afterAll(async () => {
  await orch.stop();
  orch.cleanup();
  rmSync(work, { recursive: true, force: true });
});

it('imports a .lpi package and runs its action from the extracted folder', async () => {
  const api = client(orch, TOKENS.alice);
  const catalog = CatalogSchema.parse((await api.get('/api/v1/actions')).body);
  const lookup = catalog.actions.find((a) => a.id === 'packaged-lookup/lookup-host');
  expect(lookup?.plugin).toMatchObject({ name: 'Packaged Lookup', version: 2 });
  const run = RunSchema.parse(
    (await api.run('packaged-lookup/lookup-host', {}, rowContext({ SHostName: 'ws-7' }))).body,
  );
  expect(run.status).toBe('succeeded');
  expect(run.output?.data).toEqual({ argv: ['-host', 'ws-7'] });
});

it('refuses archives holding a ".." path or a link, writing nothing outside its folder', () => {
  const { stderr } = orch.output();
  expect(stderr).toMatch(/escape\.lpi.*"\.\." is not allowed/);
  expect(stderr).toMatch(/link\.lpi.*SymbolicLink entries are not allowed/);
  expect(existsSync(path.join(orch.dataDir, 'outside.mjs'))).toBe(false);
  expect(existsSync(path.join(orch.dataDir, 'plugins', 'outside.mjs'))).toBe(false);
});

it('refuses a package that unpacks to more than 200 MB without unpacking it', async () => {
  expect(orch.output().stderr).toMatch(/bulky\.lpi not loaded: bulky\.lpi: unpacks to more than 200 MB/);
  expect(existsSync(path.join(orch.dataDir, 'plugins', 'bulky'))).toBe(false);
  const catalog = CatalogSchema.parse((await client(orch, TOKENS.alice).get('/api/v1/actions')).body);
  expect(catalog.actions.map((a) => a.plugin.id)).not.toContain('bulky-lookup');
});

it('refuses to run a package whose archive was swapped on disk after its import, naming the archive', async () => {
  const api = client(orch, TOKENS.alice);
  const context = rowContext({ SHostName: 'ws-8' });
  const before = RunSchema.parse((await api.run('swapped-lookup/lookup-host', {}, context)).body);
  expect(before.status).toBe('succeeded');
  // Checked before every run by the archive's identity: the same name with other content is a change.
  await buildLpi(path.join(work, 'plugins', 'ARPlugin_Swapped.lpi'), swappable('exfiltrate()'));
  const refused = await api.post('/api/v1/runs', {
    actionId: 'swapped-lookup/lookup-host',
    params: {},
    context,
  });
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('ARPlugin_Swapped.lpi');
  // The package imported unchanged still runs.
  const other = RunSchema.parse((await api.run('packaged-lookup/lookup-host', {}, context)).body);
  expect(other.status).toBe('succeeded');
});
