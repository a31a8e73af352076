import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../core/api.ts';
import { type PluginInfo, type PluginList, PluginUploadQuerySchema } from '../core/plugins-api.ts';
import { badRequest, HttpError, notFound } from './http-error.ts';
import { pluginInfo } from './plugin-info.ts';
import { importUpload } from './plugin-upload.ts';
import { ImportRefused, type PluginEntry, type PluginRegistry } from './plugins.ts';

/**
 * The admin's plugin calls: list with status and hashes, import an uploaded package, disable, enable and
 * trust again after a change outside Gridside. Every one needs the admin role; every change is audited
 * (by the registry). Uploads are raw bytes (`application/octet-stream`), the file name in `?filename=`.
 */

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface PluginRouteDeps {
  registry: PluginRegistry;
  uploadLimitBytes: number;
  /** authenticate(true) then needRole(['admin']), from the server. */
  adminOnly: Guard[];
}

/** The one route whose body is not JSON: a plugin package as raw bytes. */
export const PLUGIN_UPLOAD_ROUTE = `${API_PREFIX}/plugins`;

export function registerPluginRoutes(app: FastifyInstance, deps: PluginRouteDeps): void {
  const { registry, adminOnly } = deps;
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  const info = (id: string): PluginInfo => {
    const entry = registry.get(id);
    if (!entry) throw notFound('plugin');
    return pluginInfo(registry, entry);
  };

  app.get(`${API_PREFIX}/plugins`, { preHandler: adminOnly }, async (): Promise<PluginList> => {
    // A fresh look at the files first, so the list never shows a stale "trusted".
    await registry.sweep();
    return {
      requireSignatures: registry.policy.requireSignatures,
      plugins: registry.list().map((entry) => pluginInfo(registry, entry)),
    };
  });

  app.post(
    PLUGIN_UPLOAD_ROUTE,
    { preHandler: adminOnly, bodyLimit: deps.uploadLimitBytes },
    async (request, reply) => {
      const query = PluginUploadQuerySchema.safeParse(request.query);
      if (!query.success)
        throw badRequest(`query.filename: ${query.error.issues[0]?.message}`, 'query.filename');
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw badRequest('send the package as the body, Content-Type: application/octet-stream', 'body');
      }
      if (!registry.pluginsDir) throw new HttpError(409, 'conflict', 'no plugins folder is loaded');
      try {
        const entry = await importUpload(
          registry,
          registry.pluginsDir,
          request.body,
          query.data.filename,
          request.caller!.name,
        );
        return reply.code(201).send(pluginInfo(registry, entry));
      } catch (error) {
        if (error instanceof ImportRefused) throw badRequest(error.message, 'body');
        throw new HttpError(409, 'conflict', `import failed: ${(error as Error).message}`);
      }
    },
  );

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `${API_PREFIX}/plugins/:id/${verb}`,
      { preHandler: adminOnly },
      async (request) => {
        if (!registry.setDisabled(request.params.id, disabled, request.caller!.name))
          throw notFound('plugin');
        return info(request.params.id);
      },
    );
  }

  app.post<{ Params: { id: string } }>(
    `${API_PREFIX}/plugins/:id/trust`,
    { preHandler: adminOnly },
    async (request) => {
      if (!registry.get(request.params.id)) throw notFound('plugin');
      let trusted: PluginEntry | undefined;
      try {
        trusted = await registry.reimport(request.params.id, request.caller!.name);
      } catch (error) {
        registry.refuseImport(request.params.id, request.caller!.name, error);
        throw new HttpError(409, 'conflict', `cannot trust it: ${(error as Error).message}`);
      }
      // A changed Name is a new id: the answer is the plugin as it is now trusted.
      return info(trusted?.id ?? request.params.id);
    },
  );
}
