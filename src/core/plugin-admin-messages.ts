import { z } from 'zod';
import type { ReplySchemas } from './page-channel.ts';
import { PluginInfoSchema, PluginListSchema } from './plugins-api.ts';

/**
 * The options page's Plugins section → background: an orchestrator's plugins, importing a package and
 * switching a plugin off, on or trusting it again. Privileged like every options request (router.ts): only
 * the extension's own pages send them, and the orchestrator still decides, by the saved token's roles.
 */

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

const orchestratorId = z.string().min(1).max(200);
const pluginId = z.string().min(1).max(200);

/** A 20 MB package in base64, with room to spare; the orchestrator applies its own limit. */
const MAX_PACKAGE_BASE64 = 30_000_000;

export const PluginAdminRequestSchema = z.discriminatedUnion('type', [
  req('plugins.list', { orchestratorId }),
  req('plugins.import', {
    orchestratorId,
    filename: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^/\\]+$/),
    /** The file's bytes, base64: extension messages carry JSON only. */
    base64: z.string().min(1).max(MAX_PACKAGE_BASE64),
  }),
  req('plugins.disable', { orchestratorId, pluginId }),
  req('plugins.enable', { orchestratorId, pluginId }),
  req('plugins.trust', { orchestratorId, pluginId }),
]);
export type PluginAdminRequest = z.infer<typeof PluginAdminRequestSchema>;

/** What each Plugins-section request is answered with (part of the options page's channel). */
export const PLUGIN_ADMIN_REPLIES = {
  'plugins.list': PluginListSchema,
  'plugins.import': PluginInfoSchema,
  'plugins.disable': PluginInfoSchema,
  'plugins.enable': PluginInfoSchema,
  'plugins.trust': PluginInfoSchema,
} as const satisfies ReplySchemas<PluginAdminRequest>;
