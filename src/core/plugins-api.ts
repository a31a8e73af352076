import { z } from 'zod';

/**
 * The admin's view of the orchestrator's plugins (GET /api/v1/plugins and the import, disable, enable and
 * trust calls). Shared by the orchestrator, the options page's Plugins section and the OpenAPI document.
 *
 * Status, in the order it wins:
 * - `disabled`: an admin switched the plugin off; nothing runs until it is enabled.
 * - `modified`: its files changed outside Gridside since they were trusted; nothing runs until an admin
 *   trusts the files as they are now (or re-imports the package).
 * - `unsigned`: no signature from a trusted key. Runs only when the orchestrator does not require signatures.
 * - `trusted`: signed by a trusted key (or accepted unsigned where signatures are not required) and intact.
 */

export const PluginStatusSchema = z.enum(['trusted', 'modified', 'unsigned', 'disabled']);
export type PluginStatus = z.infer<typeof PluginStatusSchema>;

export const PluginFileSchema = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number().int(),
});

/** One file that changed outside Gridside: its hash when trusted and now (null: added or removed). */
export const PluginFileChangeSchema = z.object({
  path: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** What is wrong beyond a different hash: "echo.mjs is a symbolic link", "the plugin folder is gone". */
  problem: z.string().optional(),
});
export type PluginFileChange = z.infer<typeof PluginFileChangeSchema>;

export const PluginInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int().nullable(),
  kind: z.enum(['folder', 'lpi']),
  status: PluginStatusSchema,
  /** Whether its actions may run now (a trusted or unsigned-but-allowed plugin that is not disabled). */
  runnable: z.boolean(),
  /** Why it may not run, or why it is unsigned; absent for a trusted plugin. */
  statusReason: z.string().optional(),
  /** The key that signed it, as named in the orchestrator's trusted keys; null when unsigned. */
  signer: z.object({ name: z.string(), keyName: z.string(), keyId: z.string() }).nullable(),
  actions: z.number().int(),
  importedAt: z.string(),
  files: z.array(PluginFileSchema),
  /** Present while the plugin is `modified`: when its files changed and which. */
  changed: z.object({ at: z.string(), files: z.array(PluginFileChangeSchema) }).optional(),
});
export type PluginInfo = z.infer<typeof PluginInfoSchema>;

export const PluginListSchema = z.object({
  /** Whether the orchestrator refuses unsigned and untrusted packages. */
  requireSignatures: z.boolean(),
  plugins: z.array(PluginInfoSchema),
});
export type PluginList = z.infer<typeof PluginListSchema>;

/** An alert stays in /health until an admin acts on it (trusts the files again, or re-imports). */
export const AlertSchema = z.object({
  code: z.literal('plugin_files_changed'),
  pluginId: z.string(),
  since: z.string(),
  message: z.string(),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Query of POST /api/v1/plugins: the uploaded file's name (it decides nothing but the folder name). */
export const PluginUploadQuerySchema = z.object({
  filename: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'a file name, not a path'),
});

/** Largest upload accepted by default; `pluginUploadLimitBytes` in the config changes it. */
export const DEFAULT_PLUGIN_UPLOAD_LIMIT = 20 * 1024 * 1024;
