import type { RunOutput, RunStatus, Taxonomy, VerdictLevel } from '../../core/api.ts';
import { COMMON_STATUS_WORDS, type WebhookAction } from '../../core/engines/webhook-options.ts';
import { ownValue } from '../../core/own-value.ts';
import { ConnectorError } from './connector.ts';
import { atPointer } from './webhook-template.ts';

/** How a webhook engine's answer becomes a RunOutput and a RunStatus, driven by the action's mapping. */

const LEVELS: ReadonlySet<string> = new Set(['info', 'safe', 'suspicious', 'malicious']);

const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v, null, 2);

function levelOf(word: unknown, levelMap: Record<string, VerdictLevel>): VerdictLevel {
  const key = String(word).trim();
  const mapped = ownValue(levelMap, key) ?? ownValue(levelMap, key.toLowerCase());
  if (mapped) return mapped;
  return LEVELS.has(key.toLowerCase()) ? (key.toLowerCase() as VerdictLevel) : 'info';
}

/** `verdictPath` may point at Cortex-style taxonomies or at one verdict word (`malicious`, `clean`, a score). */
function verdictsOf(action: WebhookAction, value: unknown): Taxonomy[] {
  const { levelMap } = action.outputMapping;
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) {
    return value.flatMap((t): Taxonomy[] => {
      if (!t || typeof t !== 'object') return verdictsOf(action, t);
      const r = t as Record<string, unknown>;
      return [
        {
          level: levelOf(r.level ?? r.verdict ?? 'info', levelMap),
          namespace: asText(r.namespace ?? action.name),
          predicate: asText(r.predicate ?? 'Verdict'),
          value: asText(r.value ?? r.verdict ?? ''),
        },
      ];
    });
  }
  return [
    { level: levelOf(value, levelMap), namespace: action.name, predicate: 'Verdict', value: asText(value) },
  ];
}

/** `body` is the parsed JSON answer, or `undefined` with `text` for a plain-text one. */
export function outputOf(action: WebhookAction, body: unknown, text: string): RunOutput {
  const { textPath, verdictPath, dataPath } = action.outputMapping;
  const stdout =
    body === undefined ? text : textPath !== undefined ? asText(atPointer(body, textPath)) : asText(body);
  const taxonomies =
    body !== undefined && verdictPath !== undefined ? verdictsOf(action, atPointer(body, verdictPath)) : [];
  return {
    stdout,
    stderr: '',
    exitCode: null,
    truncated: false,
    ...(taxonomies.length > 0 ? { taxonomies } : {}),
    ...(body !== undefined ? { data: dataPath !== undefined ? atPointer(body, dataPath) : body } : {}),
  };
}

/** The poll answer's status word → RunStatus; a word nobody mapped is an error, not a guess. */
export function statusOf(action: WebhookAction, body: unknown): RunStatus {
  const raw = action.statusPath === undefined ? undefined : atPointer(body, action.statusPath);
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    throw new ConnectorError(
      'bad_response',
      `The webhook "${action.name}" answered the poll without a status at ${action.statusPath}.`,
      'Check statusPath in the entry options against what the engine returns.',
    );
  }
  const word = String(raw);
  const lowered = Object.fromEntries(Object.entries(action.statusMap).map(([k, v]) => [k.toLowerCase(), v]));
  const status =
    ownValue(action.statusMap, word) ??
    ownValue(lowered, word.toLowerCase()) ??
    ownValue(COMMON_STATUS_WORDS, word.toLowerCase());
  if (!status) {
    throw new ConnectorError(
      'bad_response',
      `The webhook "${action.name}" reported status "${word.slice(0, 80)}", which Gridside cannot place.`,
      `Add it to statusMap in the entry options, e.g. { "${word.slice(0, 40)}": "running" }.`,
    );
  }
  return status;
}
