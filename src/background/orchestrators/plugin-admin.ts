import type { z } from 'zod';
import { API_PREFIX, ApiErrorSchema, HealthSchema } from '../../core/api.ts';
import type { HandlerTable } from '../../core/channel.ts';
import type { PanelError } from '../../core/messages.ts';
import type { RepliesFrom } from '../../core/page-channel.ts';
import type { PLUGIN_ADMIN_REPLIES, PluginAdminRequest } from '../../core/plugin-admin-messages.ts';
import { PluginInfoSchema, PluginListSchema } from '../../core/plugins-api.ts';
import type { Orchestrators } from '../orchestrators/orchestrators.ts';
import { UserError } from '../user-error.ts';

/**
 * The Plugins section's calls to a Gridside orchestrator (GET/POST /api/v1/plugins…), made here in the
 * worker with the saved token, which never reaches the page. Answers are parsed with the core schemas;
 * refusals come back in the orchestrator's own words (a non-admin token hears "needs the admin role").
 */

const TIMEOUT_MS = 60_000;
const ADMIN_HINT = 'Plugins are managed with a token that has the admin role.';

const STATUS_CODES: Record<number, PanelError['code']> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'bad_request',
  429: 'rate_limited',
};

export type PluginAdminTable = HandlerTable<PluginAdminRequest, RepliesFrom<typeof PLUGIN_ADMIN_REPLIES>>;

export function createPluginAdminHandler(deps: { orchestrators: Orchestrators }): PluginAdminTable {
  async function call<S extends z.ZodType>(
    orchestratorId: string,
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: { bytes: Uint8Array; filename: string },
  ): Promise<z.infer<S>> {
    const { entry, secret, fetch } = await deps.orchestrators.access(orchestratorId);
    if (entry.kind !== 'gridside') {
      throw new UserError(
        'bad_request',
        `${entry.name} is not a Gridside orchestrator; it has no Plugins page.`,
      );
    }
    if (!secret) throw new UserError('unauthorized', `No token is saved for ${entry.name}.`);
    const base = new URL(entry.url);
    const url = `${base.origin}${base.pathname.replace(/\/+$/, '')}${API_PREFIX}${path}${
      body ? `?filename=${encodeURIComponent(body.filename)}` : ''
    }`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body ? { 'content-type': 'application/octet-stream' } : {}),
        },
        ...(body ? { body: new Blob([body.bytes as Uint8Array<ArrayBuffer>]) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new UserError('unreachable', `${entry.name} did not answer.`, (error as Error).message);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const said = ApiErrorSchema.safeParse(json);
      throw new UserError(
        STATUS_CODES[response.status] ?? 'server_error',
        said.success ? said.data.error.message : `${entry.name} answered ${response.status}.`,
        response.status === 403 ? ADMIN_HINT : undefined,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new UserError('bad_response', `${entry.name} gave an unexpected answer.`);
    return parsed.data;
  }

  /**
   * Asks who the token belongs to first: the options page lists plugins every time it opens, and a refused
   * GET /plugins would put an analyst's every visit into the audit trail as a refused request.
   */
  async function list(orchestratorId: string) {
    const health = await call(orchestratorId, 'GET', '/health', HealthSchema);
    if (!health.user?.roles.includes('admin')) {
      throw new UserError('forbidden', 'This token does not manage plugins.', ADMIN_HINT);
    }
    return call(orchestratorId, 'GET', '/plugins', PluginListSchema);
  }

  const one = (request: { orchestratorId: string; pluginId: string }, verb: string) =>
    call(
      request.orchestratorId,
      'POST',
      `/plugins/${encodeURIComponent(request.pluginId)}/${verb}`,
      PluginInfoSchema,
    );
  const table: PluginAdminTable = {
    'plugins.list': (request) => list(request.orchestratorId),
    'plugins.import': (request) =>
      call(request.orchestratorId, 'POST', '/plugins', PluginInfoSchema, {
        bytes: Uint8Array.from(atob(request.base64), (c) => c.charCodeAt(0)),
        filename: request.filename,
      }),
    'plugins.disable': (request) => one(request, 'disable'),
    'plugins.enable': (request) => one(request, 'enable'),
    'plugins.trust': (request) => one(request, 'trust'),
  };
  return table;
}
