import { z } from 'zod';
import type { ManagedView } from '../../core/options-messages.ts';
import {
  DEFAULT_SETTINGS,
  type OrchestratorEntry,
  type Settings,
  SettingsSchema,
} from '../../core/settings.ts';
import { UserError } from '../user-error.ts';
import type { StorageAreaLike } from './storage-area.ts';

/**
 * What an organisation sets through `storage.managed` (public/managed_schema.json), and how it wins over
 * the analyst's own settings. The policy is read on every load and every save, so a changed policy
 * applies without the analyst doing anything, and nothing in `storage.local` (which a content script
 * can write) can override it.
 *
 * Granularity (docs/security.md, "Managed settings"): the managed orchestrator is one entry, locked as a
 * whole (name, engine, URL, enabled, options); managed consoles are locked per origin (the analyst may
 * add others, not remove these). Everything else, including which orchestrator is the default and the
 * orchestrator's token, stays the analyst's.
 */
export const MANAGED_ORCHESTRATOR_ID = 'managed';

export interface ManagedSettings {
  orchestrator?: OrchestratorEntry;
  consoles: string[];
}

const NO_POLICY: ManagedSettings = { consoles: [] };

const PolicySchema = z.object({
  orchestratorUrl: z.url().optional().catch(undefined),
  consoles: z.array(z.string()).optional().catch(undefined),
});

export async function readManaged(managed: StorageAreaLike | undefined): Promise<ManagedSettings> {
  let raw: unknown = {};
  try {
    // Throws on browsers or profiles without managed storage; no policy simply means nothing is locked.
    raw = managed ? await managed.get(null) : {};
  } catch {
    return NO_POLICY;
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) return NO_POLICY;
  const { orchestratorUrl, consoles } = parsed.data;
  const [orchestrator] = SettingsSchema.parse({
    orchestrators: orchestratorUrl
      ? [
          {
            id: MANAGED_ORCHESTRATOR_ID,
            kind: 'gridside',
            name: 'Organisation orchestrator',
            url: orchestratorUrl,
          },
        ]
      : [],
  }).orchestrators;
  return {
    ...(orchestrator ? { orchestrator } : {}),
    consoles: [...new Set((consoles ?? []).flatMap((c) => normaliseOrigin(c) ?? []))],
  };
}

/** The settings with the organisation's values put back in: they win over anything stored. */
export function applyManaged(settings: Settings, managed: ManagedSettings): Settings {
  const { orchestrator } = managed;
  const orchestrators = orchestrator
    ? [orchestrator, ...settings.orchestrators.filter((e) => e.id !== orchestrator.id)]
    : settings.orchestrators;
  const known = orchestrators.some((e) => e.id === settings.defaultOrchestratorId);
  return {
    ...settings,
    orchestrators,
    defaultOrchestratorId: known ? settings.defaultOrchestratorId : orchestrator?.id,
    consoles: [...managed.consoles, ...settings.consoles.filter((c) => !managed.consoles.includes(c))],
  };
}

export function managedDefaults(managed: ManagedSettings): Settings {
  return applyManaged(DEFAULT_SETTINGS, managed);
}

/**
 * Refuses a save that would change or drop a managed value, rather than quietly keeping the managed one:
 * the analyst (or whatever sent the save) learns at once that the change did not happen and why.
 */
export function refuseManagedChanges(next: Settings, managed: ManagedSettings): void {
  const { orchestrator } = managed;
  if (orchestrator) {
    const sent = next.orchestrators.find((e) => e.id === orchestrator.id);
    if (!sent || !sameEntry(sent, orchestrator)) {
      throw new UserError(
        'forbidden',
        `"${orchestrator.name}" (${orchestrator.url}) is set by your organisation and cannot be changed or removed here.`,
        'Ask your administrator to change the managed policy.',
      );
    }
  }
  const dropped = managed.consoles.filter((c) => !next.consoles.some((n) => normaliseOrigin(n) === c));
  if (dropped.length > 0) {
    throw new UserError(
      'forbidden',
      `Gridside on ${dropped.join(', ')} is set by your organisation and cannot be turned off here.`,
      'Ask your administrator to change the managed policy.',
    );
  }
}

/** What the options page and popup need to show values as read-only. */
export function managedView(managed: ManagedSettings): ManagedView {
  return {
    orchestratorIds: managed.orchestrator ? [managed.orchestrator.id] : [],
    consoles: managed.consoles,
  };
}

function sameEntry(a: OrchestratorEntry, b: OrchestratorEntry): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.url === b.url &&
    a.enabled === b.enabled &&
    JSON.stringify(a.options) === JSON.stringify(b.options)
  );
}

/** `https://Siem.Example.com/path` → `https://siem.example.com`; `undefined` for anything not http(s). */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
