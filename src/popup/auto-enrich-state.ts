import { signal } from '@preact/signals';
import type { AutoEnrichStatus } from '../core/auto-enrich.ts';
import { askWorker } from './background.ts';

/** This site's auto-enrichment as the worker reports it (switch, rules, the minute's budget spent). */
export const autoEnrich = signal<AutoEnrichStatus | null>(null);
export const autoEnrichProblem = signal<string | null>(null);

/** While the popup is open the budget keeps moving: it is asked again this often. */
export const AUTO_ENRICH_REFRESH_MS = 2000;

export async function loadAutoEnrich(origin: string): Promise<void> {
  const reply = await askWorker({ type: 'auto.get', origin });
  if (reply.ok) autoEnrich.value = reply.data;
}

export async function switchAutoEnrich(origin: string, enabled: boolean): Promise<void> {
  const reply = await askWorker({ type: 'auto.set', origin, enabled });
  if (!reply.ok) {
    autoEnrichProblem.value = reply.error.hint
      ? `${reply.error.message} ${reply.error.hint}`
      : reply.error.message;
    return;
  }
  autoEnrich.value = reply.data;
  autoEnrichProblem.value = null;
}
