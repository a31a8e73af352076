import type { RowContext } from '../core/row-context.ts';
import { buildArgv, InvalidParameterValueError, MissingParameterError } from '../core/srp/argv.ts';
import { parseConsoleDate } from '../core/srp/console-date.ts';
import { SRP_DATE_FIELDS, type SrpAlarmField } from '../core/srp/model.ts';
import { formatSrpDate, TimeFormatError } from '../core/srp/time-format.ts';
import type { CatalogEntry } from './catalog.ts';
import { resolveConfiguredValue } from './config.ts';
import { withEncodedForms } from './redact.ts';

/**
 * Which value each parameter of a run gets. The client sends values only for ordinary string
 * parameters; parameters without a sent value take their default binding (a static value, or the row's
 * canonical field: `SIP`, `DHostName`, …); encrypted and environment-specific parameters are filled from
 * the configuration here and nowhere else.
 */

export class ParamError extends Error {
  constructor(
    /** Request path of the offending value, e.g. `params.target-host`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The values a run is requested with, as they will be shown and stored (no secrets).
 * Throws `ParamError` for a value the client may not send or a required parameter left empty.
 */
export function resolveVisibleParams(
  entry: CatalogEntry,
  sent: Record<string, string>,
  context: RowContext,
  /** The zone the console's zone-less dates are in (`consoleTimeZone`). */
  consoleTimeZone = 'UTC',
): Record<string, string> {
  const byId = new Map(entry.action.params.map((param) => [param.id, param]));
  for (const key of Object.keys(sent)) {
    const param = byId.get(key);
    if (!param) throw new ParamError(`params.${key}`, `the action has no parameter "${key}"`);
    if (param.kind === 'constant') {
      throw new ParamError(`params.${key}`, `"${param.name}" is fixed by the plugin and cannot be set`);
    }
    if (param.encrypted || param.fromConfig) {
      throw new ParamError(
        `params.${key}`,
        `"${param.name}" is filled by the orchestrator from its configuration; a client may not send it`,
      );
    }
  }
  const visible: Record<string, string> = {};
  for (const param of entry.action.params) {
    if (param.kind !== 'string' || param.encrypted || param.fromConfig) continue;
    if (Object.hasOwn(sent, param.id)) {
      visible[param.id] = sent[param.id]!;
      continue;
    }
    const binding = param.default;
    if (binding === undefined) continue;
    if ('static' in binding) visible[param.id] = binding.static;
    else if (Object.hasOwn(context.fields, binding.field)) {
      visible[param.id] = boundFieldValue(
        binding.field,
        context.fields[binding.field]!,
        binding.timeFormat,
        consoleTimeZone,
      );
    }
  }
  return visible;
}

/**
 * A date field is re-formatted the way the plugin's `<TimeFormat>` asks (LogRhythm passes it so); a value
 * that is not a date the orchestrator can read is passed on as the console showed it. A date without a
 * zone is read in the console's zone, never the host's (console-date.ts).
 */
function boundFieldValue(
  field: string,
  value: string,
  timeFormat: { timeZone?: string; formattingString?: string } | undefined,
  consoleTimeZone: string,
): string {
  if (!SRP_DATE_FIELDS.has(field as SrpAlarmField)) return value;
  const date = parseConsoleDate(value, consoleTimeZone);
  if (date === undefined) return value;
  try {
    return formatSrpDate(date, timeFormat);
  } catch (error) {
    if (error instanceof TimeFormatError) return value;
    throw error;
  }
}

/** Encrypted and environment-specific values, read from the config (and its env vars) now. */
export function configuredParamValues(entry: CatalogEntry, env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, configured] of entry.configured) {
    const value = resolveConfiguredValue(configured, env);
    if (value !== undefined) values[id] = value;
  }
  return values;
}

/** The command line for a run; turns argv.ts errors into `ParamError`s that name the parameter. */
export function commandLineFor(
  entry: CatalogEntry,
  visible: Record<string, string>,
  env: NodeJS.ProcessEnv,
): { command: string; args: string[]; secrets: string[] } {
  const configured = configuredParamValues(entry, env);
  const secrets = withEncodedForms(
    entry.action.params
      .filter((param) => param.encrypted || param.fromConfig)
      .map((param) => configured[param.id])
      .filter((value): value is string => value !== undefined && value.length >= 4),
  );
  try {
    return { ...buildArgv(entry.srp, { ...visible, ...configured }, entry.starMarked), secrets };
  } catch (error) {
    if (error instanceof MissingParameterError || error instanceof InvalidParameterValueError) {
      const param = entry.action.params.find((p) => p.id === error.paramId);
      const hint =
        param && (param.encrypted || param.fromConfig)
          ? ' (it is filled from the orchestrator configuration, which has no value for it)'
          : '';
      throw new ParamError(`params.${error.paramId}`, `${error.message}${hint}`);
    }
    throw error;
  }
}
