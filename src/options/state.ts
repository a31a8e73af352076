import { signal } from '@preact/signals';
import type { PanelError } from '../core/messages.ts';
import type { ManagedView } from '../core/options-messages.ts';
import { plainHttpProblem } from '../core/orchestrator-url.ts';
import type { Settings } from '../core/settings.ts';
import { askWorker, requestOrigins } from './background.ts';

/** Options page state: the settings as last saved, and the status line announced to screen readers. */
export const settings = signal<Settings | null>(null);
export const secretSet = signal<Record<string, boolean>>({});
/** What the organisation set: shown read-only; the worker refuses saves that change it anyway. */
export const managed = signal<ManagedView>({ orchestratorIds: [], consoles: [] });
export const missingPermission = signal<string[]>([]);
export const status = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);

export function say(kind: 'ok' | 'error', text: string): void {
  status.value = { kind, text };
}

export function sayError(error: PanelError): void {
  say('error', error.hint ? `${error.message} ${error.hint}` : error.message);
}

export async function loadSettings(): Promise<void> {
  const reply = await askWorker({ type: 'settings.get' });
  if (!reply.ok) return sayError(reply.error);
  settings.value = reply.data.settings;
  secretSet.value = reply.data.secretSet;
  managed.value = reply.data.managed;
  await syncConsoles();
}

export async function saveSettings(next: Settings, done = 'Settings saved.'): Promise<boolean> {
  const reply = await askWorker({ type: 'settings.save', settings: next });
  if (!reply.ok) {
    sayError(reply.error);
    return false;
  }
  settings.value = reply.data.settings;
  secretSet.value = reply.data.secretSet;
  managed.value = reply.data.managed;
  await syncConsoles();
  say('ok', done);
  return true;
}

/**
 * Saves after asking for the orchestrators' origins: the worker may only fetch what the browser granted.
 * Call from a click handler: the permission request must be the first thing it does.
 */
export async function saveWithOrchestratorAccess(next: Settings, done?: string): Promise<boolean> {
  // Said before the browser is asked for access to an address Gridside would refuse anyway.
  const insecure = next.orchestrators
    .filter((e) => e.kind === 'gridside')
    .map((e) => plainHttpProblem(e.url))
    .find((problem) => problem !== undefined);
  if (insecure) {
    say('error', insecure);
    return false;
  }
  const origins = next.orchestrators.filter((e) => e.enabled).flatMap((e) => originOf(e.url) ?? []);
  const granted = await requestOrigins([...new Set(origins)]).catch(() => false);
  const saved = await saveSettings(next, done);
  if (saved && !granted)
    say('error', 'Saved, but the browser did not grant access to the orchestrator address.');
  return saved;
}

export async function syncConsoles(): Promise<void> {
  const reply = await askWorker({ type: 'consoles.sync' });
  if (reply.ok) missingPermission.value = reply.data.missingPermission;
}

export async function setSecret(orchestratorId: string, secret: string | null): Promise<boolean> {
  const reply = await askWorker({ type: 'secret.set', orchestratorId, secret });
  if (!reply.ok) {
    sayError(reply.error);
    return false;
  }
  secretSet.value = reply.data.secretSet;
  say('ok', secret ? 'Token saved.' : 'Token removed.');
  return true;
}

export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
