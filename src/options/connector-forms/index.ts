import type { ComponentType } from 'preact';
import type { OrchestratorKind } from '../../core/settings.ts';
import type { ConnectorOptionsFormProps } from './controls.tsx';
import { CortexOptionsForm } from './cortex-form.tsx';
import { LogRhythmOptionsForm } from './logrhythm-form.tsx';
import { StackStormOptionsForm } from './stackstorm-form.tsx';
import { WebhookOptionsForm } from './webhook-form.tsx';

export type { ConnectorOptionsFormProps } from './controls.tsx';
export { WEBHOOK_PRESETS } from './webhook-presets.ts';

/**
 * The form that edits `entry.options` for an orchestrator kind; the options page mounts it under the
 * entry's URL, name and secret fields. The Gridside orchestrator has no connector options: `null`.
 */
export function connectorOptionsForm(
  kind: OrchestratorKind,
): ComponentType<ConnectorOptionsFormProps> | null {
  switch (kind) {
    case 'cortex':
      return CortexOptionsForm;
    case 'stackstorm':
      return StackStormOptionsForm;
    case 'webhook':
      return WebhookOptionsForm;
    case 'logrhythm':
      return LogRhythmOptionsForm;
    case 'gridside':
      return null;
  }
}
