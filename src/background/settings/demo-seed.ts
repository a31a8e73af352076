import { z } from 'zod';
import { AutoEnrichConsoleSchema } from '../../core/auto-enrich.ts';
import type { SecretStore } from './secret-store.ts';
import type { SettingsStore } from './settings-store.ts';

/**
 * Demo build only: `npm run demo` and the end-to-end tests write `demo-config.json` next to manifest.json
 * in dist/, so a freshly installed demo extension starts pointed at the demo orchestrator with the demo
 * console enabled. Applied once, on a profile that never saved settings. Production builds never read it.
 */
export const DEMO_CONFIG_FILE = 'demo-config.json';
export const DEMO_ORCHESTRATOR_ID = 'demo';

export const DemoConfigSchema = z.object({
  orchestrator: z.object({ url: z.url(), token: z.string().min(1) }),
  consoles: z.array(z.url()).default([]),
  /** In-grid auto-enrichment for every seeded console (`npm run bench:grid -- --auto`); none when absent. */
  autoEnrich: AutoEnrichConsoleSchema.optional(),
});
export type DemoConfig = z.infer<typeof DemoConfigSchema>;

export async function applyDemoSeed(deps: {
  mode: string;
  /** Reads the packaged file; `undefined` when it is not there. */
  readFile: (name: string) => Promise<unknown>;
  settings: SettingsStore;
  secrets: SecretStore;
}): Promise<'seeded' | 'skipped'> {
  if (deps.mode !== 'demo') return 'skipped';
  if (await deps.settings.hasStored()) return 'skipped';
  const raw = await deps.readFile(DEMO_CONFIG_FILE).catch(() => undefined);
  const parsed = DemoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    if (raw !== undefined)
      console.warn(`Gridside demo: ${DEMO_CONFIG_FILE} is malformed`, parsed.error.issues);
    return 'skipped';
  }
  const { orchestrator, consoles, autoEnrich } = parsed.data;
  const seededConsoles = consoles.map((c) => new URL(c).origin);
  await deps.secrets.set(DEMO_ORCHESTRATOR_ID, orchestrator.token, new URL(orchestrator.url).origin);
  const current = await deps.settings.load();
  await deps.settings.save({
    ...current,
    orchestrators: [
      {
        id: DEMO_ORCHESTRATOR_ID,
        kind: 'gridside',
        name: 'Demo orchestrator',
        url: orchestrator.url,
        enabled: true,
        options: {},
      },
      ...current.orchestrators.filter((e) => e.id !== DEMO_ORCHESTRATOR_ID),
    ],
    defaultOrchestratorId: DEMO_ORCHESTRATOR_ID,
    consoles: [...new Set([...current.consoles, ...seededConsoles])],
    ...(autoEnrich
      ? {
          autoEnrich: {
            ...current.autoEnrich,
            ...Object.fromEntries(seededConsoles.map((c) => [c, autoEnrich])),
          },
        }
      : {}),
  });
  return 'seeded';
}

/** The packaged file, fetched from the extension's own origin. */
export async function readPackagedJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) return undefined;
  return response.json();
}
