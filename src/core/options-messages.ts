import { z } from 'zod';
import type { ReplySchemas } from './page-channel.ts';
import { PLUGIN_ADMIN_REPLIES, PluginAdminRequestSchema } from './plugin-admin-messages.ts';
import { SettingsSchema } from './settings.ts';

/**
 * The options page's messages to the background. The router accepts them only from the options page
 * itself (its URL, set by the browser), never from the popup, the history page or a content script
 * (docs/architecture.md §10): a console page must not be able to change settings, set a token or point
 * Gridside elsewhere.
 */

const req = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

const entryId = z.string().min(1).max(200);

export const OptionsRequestSchema = z.discriminatedUnion('type', [
  /** Settings as stored (managed defaults merged), plus which entries have a secret. */
  req('settings.get', {}),
  req('settings.save', { settings: SettingsSchema }),
  /** `null` forgets the secret. The secret is never sent back to any page. */
  req('secret.set', { orchestratorId: entryId, secret: z.string().max(10_000).nullable() }),
  /** Tests a saved orchestrator entry with its stored secret. */
  req('connection.test', { orchestratorId: entryId }),
  /** After the options page granted or removed host permissions: re-register content scripts, menus. */
  req('consoles.sync', {}),
  /** The default orchestrator's read-only actions: the only ones an auto-enrichment rule may run. */
  req('actions.readOnly', {}),
  /** An orchestrator's plugins, for admin tokens (core/plugin-admin-messages.ts): the Plugins section. */
  ...PluginAdminRequestSchema.options,
]);
export type OptionsRequest = z.infer<typeof OptionsRequestSchema>;

/** Values the organisation set through managed storage: shown read-only, "set by your organisation". */
export const ManagedViewSchema = z.object({
  orchestratorIds: z.array(z.string()).default([]),
  consoles: z.array(z.string()).default([]),
});
export type ManagedView = z.infer<typeof ManagedViewSchema>;

export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  /** Orchestrator entry id → whether a secret is stored. The secret itself never leaves the worker. */
  secretSet: z.record(z.string(), z.boolean()),
  managed: ManagedViewSchema.default({ orchestratorIds: [], consoles: [] }),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const ConnectionTestResultSchema = z.object({
  user: z.string().optional(),
  detail: z.string().optional(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;

export const ConsolesSyncResultSchema = z.object({
  /** Console origins the content script is registered for (enabled and granted). */
  registered: z.array(z.string()),
  /** Enabled origins still missing their host permission. */
  missingPermission: z.array(z.string()),
});
export type ConsolesSyncResult = z.infer<typeof ConsolesSyncResultSchema>;

export const ReadOnlyActionsSchema = z.object({
  actions: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ReadOnlyActions = z.infer<typeof ReadOnlyActionsSchema>;

/** What the options page's requests are answered with; the page parses each reply with its schema. */
export const OPTIONS_REPLIES = {
  'settings.get': SettingsViewSchema,
  'settings.save': SettingsViewSchema,
  'secret.set': SettingsViewSchema,
  'connection.test': ConnectionTestResultSchema,
  'consoles.sync': ConsolesSyncResultSchema,
  'actions.readOnly': ReadOnlyActionsSchema,
  ...PLUGIN_ADMIN_REPLIES,
} as const satisfies ReplySchemas<OptionsRequest>;
