import { z } from 'zod';
import type { ActionParam, RunOutput, RunStatus } from '../../core/api.ts';
import { ownValue } from '../../core/own-value.ts';

/**
 * How StackStorm's documents map onto Gridside's model: an action's `parameters` JSON schema → ActionParams
 * bound to row fields, execution states → RunStatus, `result` → RunOutput. Shapes: docs/connectors.md#stackstorm
 * (st2docs monitoring.rst, st2client LIVEACTION_STATUS_* constants); real documents in
 * test/fixtures/engines/stackstorm/.
 */

export const St2ParamSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  description: z.string().nullish(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  immutable: z.boolean().optional(),
  secret: z.boolean().optional(),
  position: z.number().optional(),
});
export type St2Param = z.infer<typeof St2ParamSchema>;

export const St2ActionSchema = z.looseObject({
  ref: z.string().min(1),
  name: z.string(),
  pack: z.string(),
  description: z.string().nullish(),
  enabled: z.boolean().default(true),
  parameters: z.record(z.string(), St2ParamSchema).default({}),
});
export type St2Action = z.infer<typeof St2ActionSchema>;

/** Execution states: st2client `LIVEACTION_STATUS_*`, plus the workflow states of newer versions. */
export const ST2_STATUS: Record<string, RunStatus> = {
  requested: 'queued',
  scheduled: 'queued',
  delayed: 'queued',
  // An Inquiry is waiting for a human answer: StackStorm's approval step.
  pending: 'pending_approval',
  running: 'running',
  canceling: 'running',
  pausing: 'running',
  paused: 'running',
  resuming: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  abandoned: 'failed',
  timeout: 'timed_out',
  canceled: 'canceled',
};

export const St2ExecutionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(Object.keys(ST2_STATUS) as [string, ...string[]]),
  action: z.looseObject({ ref: z.string(), name: z.string().optional(), pack: z.string().optional() }),
  parameters: z.record(z.string(), z.unknown()).default({}),
  context: z.looseObject({ user: z.string().nullish() }).optional(),
  start_timestamp: z.string().nullish(),
  end_timestamp: z.string().nullish(),
  elapsed_seconds: z.number().nullish(),
  result: z.unknown().optional(),
});
export type St2Execution = z.infer<typeof St2ExecutionSchema>;

/** Common st2 parameter names → canonical row field. Matched after lower-casing and `-`/space → `_`. */
const FIELD_BY_PARAM: Record<string, string> = {
  ip: 'SIP',
  ip_address: 'SIP',
  ipaddress: 'SIP',
  src_ip: 'SIP',
  source_ip: 'SIP',
  sip: 'SIP',
  dst_ip: 'DIP',
  dest_ip: 'DIP',
  destination_ip: 'DIP',
  dip: 'DIP',
  host: 'SHostName',
  hostname: 'SHostName',
  src_host: 'SHostName',
  source_host: 'SHostName',
  dst_host: 'DHostName',
  dest_host: 'DHostName',
  target_host: 'DHostName',
  user: 'Login',
  username: 'Login',
  user_name: 'Login',
  login: 'Login',
  account: 'Account',
  hash: 'Hash',
  file_hash: 'Hash',
  md5: 'Hash',
  sha1: 'Hash',
  sha256: 'Hash',
  url: 'URL',
  uri: 'URL',
  domain: 'Domain',
  domain_name: 'Domain',
  fqdn: 'Domain',
  email: 'Sender',
  sender: 'Sender',
  recipient: 'Recipient',
  process: 'Process',
  process_name: 'Process',
  user_agent: 'UserAgent',
  useragent: 'UserAgent',
  alarm_id: 'AlarmId',
  cve: 'CVE',
  src_port: 'SPort',
  dst_port: 'DPort',
};

export function fieldForParam(name: string): string | undefined {
  return ownValue(FIELD_BY_PARAM, name.toLowerCase().replace(/[-\s]+/g, '_'));
}

const staticText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * One st2 parameter as Gridside shows it. Immutable parameters are constants the analyst cannot change;
 * secret ones stay in StackStorm (shown "set by the orchestrator"). Neither is ever sent by Gridside.
 */
export function actionParamOf(name: string, p: St2Param, index: number, mapped?: string): ActionParam {
  const immutable = p.immutable === true;
  const secret = p.secret === true;
  const field = mapped ?? fieldForParam(name);
  let binding: ActionParam['default'];
  if (!immutable && !secret && field) binding = { field };
  else if (!secret && p.default !== undefined && p.default !== null)
    binding = { static: staticText(p.default) };
  return {
    id: name,
    name: p.description ? `${name} — ${p.description}` : name,
    kind: immutable ? 'constant' : 'string',
    encrypted: secret,
    fromConfig: immutable || secret,
    required: p.required === true && !immutable && !secret && p.default === undefined,
    ...(binding ? { default: binding } : {}),
    switch: '',
    order: String(p.position ?? index + 1),
  };
}

/** Sorted as st2 positions them, then in document order. */
export function paramsOf(action: St2Action, mapping: Record<string, string> = {}): ActionParam[] {
  return Object.entries(action.parameters)
    .map(([name, p], i) => ({
      param: actionParamOf(name, p, i, ownValue(mapping, name)),
      position: p.position ?? 1e6 + i,
    }))
    .sort((a, b) => a.position - b.position)
    .map((x) => x.param);
}

/** Analyst text → the JSON type the parameter schema asks for; `undefined` leaves st2's default in place. */
export function st2Value(name: string, p: St2Param, text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  const type = Array.isArray(p.type) ? p.type[0] : p.type;
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(text.trim());
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n)))
        throw new TypeError(
          `${name} must be ${type === 'integer' ? 'a whole number' : 'a number'}, not "${text}"`,
        );
      return n;
    }
    case 'boolean':
      if (/^(true|yes|1)$/i.test(text.trim())) return true;
      if (/^(false|no|0)$/i.test(text.trim())) return false;
      throw new TypeError(`${name} must be true or false, not "${text}"`);
    case 'array':
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        // A plain comma list is what analysts type.
      }
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'object':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new TypeError(`${name} must be a JSON object`);
      }
    default:
      return text;
  }
}

const ShellResultSchema = z.looseObject({
  stdout: z.unknown().optional(),
  stderr: z.unknown().optional(),
  return_code: z.number().int().optional(),
  exit_code: z.number().int().optional(),
  result: z.unknown().optional(),
});

const text = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v, null, 2);

/** Shell and Python runners give stdout/stderr/return_code; any other runner's result is JSON data. */
export function outputOfResult(result: unknown): RunOutput {
  const shell = ShellResultSchema.safeParse(result);
  if (shell.success && (typeof shell.data.stdout === 'string' || typeof shell.data.stderr === 'string')) {
    const r = shell.data;
    return {
      stdout: text(r.stdout),
      stderr: text(r.stderr),
      exitCode: r.return_code ?? r.exit_code ?? null,
      truncated: false,
      ...(r.result !== undefined ? { data: r.result } : {}),
    };
  }
  if (typeof result === 'string') return { stdout: result, stderr: '', exitCode: null, truncated: false };
  return { stdout: '', stderr: '', exitCode: null, truncated: false, data: result ?? null };
}

/** Why a finished execution did not succeed, in plain words. */
export function reasonOf(status: RunStatus, output: RunOutput | null, result: unknown): string | null {
  if (status === 'timed_out') return 'StackStorm stopped the action when it reached its timeout.';
  if (status === 'canceled') return 'The execution was canceled in StackStorm.';
  if (status !== 'failed') return null;
  const firstLine = output?.stderr.trim().split('\n')[0];
  if (firstLine) return firstLine;
  const error = (result as { error?: unknown } | null)?.error;
  if (typeof error === 'string' && error) return error;
  return 'The action failed; StackStorm gave no message.';
}
