import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSchema } from '../../../src/core/api.ts';
import { lookupWithId } from '../../../src/orchestrator/run-as.ts';
import { client, rowContext } from '../../orchestrator/setup.ts';
import { type OrchestratorHandle, REPO_ROOT, startOrchestrator } from '../../support/orchestrator-process.ts';

/**
 * The demo config runs plugins as `nobody` when started as root: the side-effect demo plugin must still
 * work (it writes its directory state), and the files it writes belong to that user, not to root.
 */

const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'demo', 'orchestrator.config.json'), 'utf8')) as {
  dataDir?: string;
  runAs?: { user: string };
  tokens: { name: string; roles: string[]; token: string }[];
};
delete config.dataDir;
const tokenFor = (role: string) => config.tokens.find((t) => t.roles.includes(role))!.token;

let orch: OrchestratorHandle;
let stateDir: string;
beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'gridside-demo-state-'));
  orch = await startOrchestrator({
    plugins: 'demo/plugins',
    config,
    env: { GRIDSIDE_DEMO_STATE_FILE: path.join(stateDir, 'directory-state.json') },
  });
});
afterAll(async () => {
  await orch?.stop();
  orch?.cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

describe.skipIf(process.getuid?.() !== 0)('the demo, started as root', () => {
  it('names nobody as the plugin user', () => {
    expect(config.runAs?.user).toBe('nobody');
  });

  it('disables an account after approval, writing its state as nobody', async () => {
    const analyst = client(orch, tokenFor('analyst'));
    const started = await analyst.post('/api/v1/runs', {
      actionId: 'gridside-demo-disable-account/disable-account-user-impacted',
      params: {},
      context: rowContext({ Account: 'CORP\\bgarcia' }),
    });
    expect(started.status, started.text).toBe(201);
    const run = RunSchema.parse(started.body);
    const approved = await client(orch, tokenFor('approver')).post(`/api/v1/runs/${run.id}/approvals`, {
      decision: 'approve',
      comment: 'confirmed with the manager',
    });
    expect(approved.status, approved.text).toBe(200);
    const done = RunSchema.parse((await analyst.get(`/api/v1/runs/${run.id}?wait=30`)).body);
    expect(done.status, `${done.reason}\n${done.output?.stderr}`).toBe('succeeded');

    const stateFile = path.join(stateDir, 'directory-state.json');
    expect(existsSync(stateFile)).toBe(true);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).accounts.bgarcia.disabled).toBe(true);
    expect(statSync(stateFile).uid).toBe(lookupWithId('nobody', 'uid'));
  });
});
