import { describe, expect, it } from 'vitest';
import type { Orchestrators } from '../../../../src/background/orchestrators/orchestrators.ts';
import { createPluginAdminHandler } from '../../../../src/background/orchestrators/plugin-admin.ts';
import { UserError } from '../../../../src/background/user-error.ts';
import { answerWith } from '../../../../src/core/channel.ts';
import type { RepliesFrom } from '../../../../src/core/page-channel.ts';
import type { PLUGIN_ADMIN_REPLIES, PluginAdminRequest } from '../../../../src/core/plugin-admin-messages.ts';
import type { PluginInfo } from '../../../../src/core/plugins-api.ts';
import type { OrchestratorEntry } from '../../../../src/core/settings.ts';

/** The Plugins section's worker side: what it sends to the orchestrator and how refusals read. */

const PLUGIN: PluginInfo = {
  id: 'vendor-lookup',
  name: 'Vendor Lookup',
  version: 3,
  kind: 'lpi',
  status: 'trusted',
  runnable: true,
  signer: { name: 'Vendor Inc', keyName: 'Vendor', keyId: '0123456789abcdef' },
  actions: 2,
  importedAt: '2026-12-04T17:00:00.000Z',
  files: [{ path: 'actions.xml', sha256: 'a'.repeat(64), size: 10 }],
};

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

const HEALTH = (roles: string[]) => ({
  status: 'ok',
  version: '0.1.0',
  actions: 3,
  user: { name: 'Ada', roles },
});

function setup(
  answer: { status: number; json: unknown },
  kind: OrchestratorEntry['kind'] = 'gridside',
  roles = ['admin'],
) {
  const seen: Seen[] = [];
  const entry = {
    id: 'o1',
    kind,
    name: 'SOC orchestrator',
    url: 'https://orch.example.com/base/',
    enabled: true,
    options: {},
  } as OrchestratorEntry;
  const fetchStub = (async (url: string, init: RequestInit) => {
    const body = init.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : undefined;
    if (url.endsWith('/health')) return new Response(JSON.stringify(HEALTH(roles)), { status: 200 });
    seen.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body });
    return new Response(JSON.stringify(answer.json), { status: answer.status });
  }) as typeof fetch;
  const orchestrators = {
    access: async () => ({ entry, secret: 'admin-token-0123456789', fetch: fetchStub }),
  } as unknown as Orchestrators;
  return {
    seen,
    handler: answerWith<PluginAdminRequest, RepliesFrom<typeof PLUGIN_ADMIN_REPLIES>>(
      createPluginAdminHandler({ orchestrators }),
    ),
  };
}

describe('plugin admin requests', () => {
  it('lists with the saved token, under the entry URL', async () => {
    const { seen, handler } = setup({ status: 200, json: { requireSignatures: true, plugins: [PLUGIN] } });
    expect(await handler({ type: 'plugins.list', orchestratorId: 'o1' })).toEqual({
      requireSignatures: true,
      plugins: [PLUGIN],
    });
    expect(seen[0]).toMatchObject({
      url: 'https://orch.example.com/base/api/v1/plugins',
      method: 'GET',
      headers: { authorization: 'Bearer admin-token-0123456789' },
    });
  });

  it('uploads the package bytes as they were picked, named in the query', async () => {
    const { seen, handler } = setup({ status: 201, json: PLUGIN });
    const bytes = Uint8Array.from([0x1f, 0x8b, 0, 255, 10, 13]);
    await handler({
      type: 'plugins.import',
      orchestratorId: 'o1',
      filename: 'ARPlugin Vendor.lpi',
      base64: Buffer.from(bytes).toString('base64'),
    });
    expect(seen[0]?.url).toBe('https://orch.example.com/base/api/v1/plugins?filename=ARPlugin%20Vendor.lpi');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-type']).toBe('application/octet-stream');
    expect([...(seen[0]?.body ?? [])]).toEqual([...bytes]);
  });

  it('posts disable, enable and trust to the plugin', async () => {
    const { seen, handler } = setup({ status: 200, json: PLUGIN });
    for (const type of ['plugins.disable', 'plugins.enable', 'plugins.trust'] as const) {
      await handler({ type, orchestratorId: 'o1', pluginId: 'vendor/lookup' });
    }
    expect(
      seen.map((s) => `${s.method} ${s.url.replace('https://orch.example.com/base/api/v1', '')}`),
    ).toEqual([
      'POST /plugins/vendor%2Flookup/disable',
      'POST /plugins/vendor%2Flookup/enable',
      'POST /plugins/vendor%2Flookup/trust',
    ]);
  });

  it("does not ask for the list with a token that is not an admin's (no refused request in the audit trail)", async () => {
    const { seen, handler } = setup({ status: 200, json: {} }, 'gridside', ['analyst']);
    const error = await handler({ type: 'plugins.list', orchestratorId: 'o1' }).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('forbidden');
    expect(seen).toEqual([]);
  });

  it("reports a refusal in the orchestrator's words, with what to do for a non-admin token", async () => {
    const { handler } = setup({
      status: 403,
      json: { error: { code: 'forbidden', message: 'this needs one of the roles admin' } },
    });
    const error = await handler({ type: 'plugins.disable', orchestratorId: 'o1', pluginId: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).toPanelError()).toEqual({
      code: 'forbidden',
      message: 'this needs one of the roles admin',
      hint: 'Plugins are managed with a token that has the admin role.',
    });
  });

  it('refuses an orchestrator that is not a Gridside one, without calling it', async () => {
    const { seen, handler } = setup({ status: 200, json: {} }, 'cortex');
    await expect(handler({ type: 'plugins.list', orchestratorId: 'o1' })).rejects.toThrow(
      'not a Gridside orchestrator',
    );
    expect(seen).toEqual([]);
  });
});
