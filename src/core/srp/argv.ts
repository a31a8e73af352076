/**
 * How Gridside turns an SRP action and its parameter values into a command line
 * ================================================================================
 *
 * LogRhythm does not document how it quotes parameter values into a command line, so this is
 * Gridside's rule. It is built so that a value taken from log data, which an attacker may have
 * written, can never become more than one argument, and is never read by a shell.
 *
 * `buildArgv(action, values)` returns `{ command, args }`: `command` is the action's `Command`
 * verbatim (the orchestrator maps it to an interpreter, e.g. `powershell.exe` → `pwsh`), and `args` is
 * the argument vector, to be passed to the process as-is, without a shell.
 *
 * 1. Order. Parameters are sorted by `Order`. An order that is an integer once trimmed ("1", " 2 ")
 *    is numeric; numeric orders come first, ascending. Every other order ("Unsorted", "", "first")
 *    comes after them, in document order. Equal orders keep document order (the sort is stable), so
 *    two parameters with `Order="8"` stay as the author wrote them.
 *
 * 2. Switches. A `Switch` is written by the plugin author, so it may hold several tokens. It is split
 *    on whitespace; a double-quoted part keeps its spaces and loses its quotes
 *    (`-file "My Script.ps1"` → `-file`, `My Script.ps1`); there are no escapes, and single quotes are
 *    ordinary characters. Leading and trailing spaces (`"-hostname "`) therefore do not matter.
 *    The same split applies to ConstantParameter and StringParameter switches.
 *
 * 3. ConstantParameter. Contributes its switch tokens, nothing else
 *    (`-file Disable_Windows_AD_Account.ps1` → `-file`, `Disable_Windows_AD_Account.ps1`).
 *    A value supplied for a constant is ignored: constants are the author's, not the caller's.
 *
 * 4. StringParameter. Its value is looked up in `values` by parameter id (see `actionParamIds`),
 *    then by its exact SRP Name when no other parameter of the action has that Name. An absent
 *    value takes the parameter's static default, if it has one (field defaults need the row and are
 *    resolved by the caller). A value that is empty or only whitespace is "empty".
 *    - A non-empty value contributes the switch tokens, then the value as EXACTLY ONE token, verbatim:
 *      never trimmed, split, unquoted or interpreted (`; rm -rf / #` stays one argument).
 *    - If the last switch token ends with ':' or '=' (`-Target:`), the value is glued to it:
 *      `-Target:value` is one token.
 *    - An empty value for a required parameter (see `isParamRequired`: in a package that marks
 *      required parameters with '*', only those; otherwise those without a default) throws
 *      `MissingParameterError` naming the parameter.
 *    - An empty value for an optional parameter with a switch contributes nothing: neither switch nor
 *      value, so the script sees the parameter as not given.
 *    - An empty value for an optional positional parameter (empty Switch) contributes one empty
 *      token (''). Dropping it would shift every later positional value into the wrong parameter
 *      (the alarm date arriving as the message class).
 *    - A value containing a NUL character throws `InvalidParameterValueError`: no operating system
 *      can pass it in an argument.
 *
 * 5. PowerShell. When the action's Command is PowerShell (`powershell` or `pwsh`, with or without
 *    `.exe`, under any path), its command line reads every argument after the script that begins with
 *    a dash (`-`, or the en dash, em dash or horizontal bar it also takes for one) as a parameter's
 *    name, quoted or not. After `-hostname`, a log value `-Force` would turn on the script's `-Force`
 *    switch and leave the host name unset; `-Channel:x` would set `-Channel`. So such a value:
 *    - after a switch that is a parameter name (`-hostname`), is glued to it with ':'
 *      (`-hostname:-Force`): PowerShell splits that token at its first ':' and binds all that follows,
 *      verbatim, to the named parameter;
 *    - anywhere else (a positional parameter, a switch such as `/h`), cannot be given to PowerShell as
 *      a value at all, and throws `InvalidParameterValueError` naming the parameter. A lone dash names
 *      no parameter (some logs write `-` for an empty field), so it passes as it is.
 *
 * 6. PowerShell's own options. PowerShell reads its own options (`-NoProfile`, `-ExecutionPolicy
 *    Bypass`) until `-File <script>`, after which every argument is the script's. `-Command` (and
 *    `-EncodedCommand`, and a first argument that is no option at all, which Windows PowerShell takes
 *    as `-Command`) reads what follows as PowerShell code: a row value there (`x; Stop-Computer`) would
 *    run. So a PowerShell action with a StringParameter is safe only if its ConstantParameters, in
 *    command-line order, reach `-File` and the script's path before the first StringParameter.
 *    `powerShellCodeRisk(action)` says why an action is not; the orchestrator does not run such an
 *    action (its catalog lists it as unavailable, with that reason).
 */

import { isParamRequired, marksRequiredWithStar } from './catalog.ts';
import { actionParamIds } from './ids.ts';
import type { SrpAction, SrpParam } from './model.ts';

export { isParamRequired, marksRequiredWithStar, srpToCatalogParams } from './catalog.ts';
export { actionId, actionParamIds, paramId, pluginId } from './ids.ts';

/** A required parameter had no value. `paramName` is the SRP Name, shown to the analyst. */
export class MissingParameterError extends Error {
  override readonly name = 'MissingParameterError';
  constructor(
    readonly paramId: string,
    readonly paramName: string,
  ) {
    super(`the parameter "${paramName}" is required but has no value`);
  }
}

/** A value that cannot be passed as an argument at all. */
export class InvalidParameterValueError extends Error {
  override readonly name = 'InvalidParameterValueError';
  constructor(
    readonly paramId: string,
    readonly paramName: string,
    reason: string,
  ) {
    super(`the value of parameter "${paramName}" ${reason}`);
  }
}

/** Thrown by `splitSwitch` for a switch with an unbalanced double quote. */
export class SwitchSyntaxError extends Error {
  override readonly name = 'SwitchSyntaxError';
}

/** Rule 2: split an author-written switch into tokens. */
export function splitSwitch(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (const char of text) {
    if (char === '"') {
      quoted = !quoted;
      inToken = true; // `""` is an empty token, not nothing.
    } else if (!quoted && /\s/u.test(char)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quoted) throw new SwitchSyntaxError(`the switch ${JSON.stringify(text)} has an unclosed double quote`);
  if (inToken) tokens.push(current);
  return tokens;
}

const NUMERIC_ORDER = /^[+-]?\d+$/;

/** Rule 1: the parameters in command-line order (a new array; the action is not changed). */
export function sortParamsByOrder<P extends Pick<SrpParam, 'order'>>(params: readonly P[]): P[] {
  return params
    .map((param, index) => {
      const trimmed = param.order.trim();
      return { param, index, order: NUMERIC_ORDER.test(trimmed) ? Number(trimmed) : undefined };
    })
    .sort((a, b) => {
      if (a.order !== undefined && b.order !== undefined) return a.order - b.order || a.index - b.index;
      if (a.order !== undefined) return -1;
      if (b.order !== undefined) return 1;
      return a.index - b.index;
    })
    .map((entry) => entry.param);
}

const GLUE_SUFFIX = /[:=]$/;

/** The dashes PowerShell's command line takes as the start of a parameter's name. */
const POWERSHELL_DASH = /^[-\u2013\u2014\u2015]/u;
/** A switch token PowerShell reads as one parameter's name, so that `name:value` binds to it. */
const POWERSHELL_PARAMETER = /^[-\u2013\u2014\u2015][\p{L}\p{N}_][\p{L}\p{N}_-]*$/u;
const POWERSHELL_COMMAND = /^(?:powershell|pwsh)(?:\.exe)?$/;

/** `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe` → `powershell.exe`. */
export const commandBasename = (command: string): string =>
  (command.split(/[\\/]/).at(-1) ?? command).toLowerCase();

/** Rule 5: whether a Command runs PowerShell, under any path. */
export const isPowerShell = (command: string): boolean => POWERSHELL_COMMAND.test(commandBasename(command));

const lookup = (values: Record<string, string>, key: string): string | undefined =>
  // Own keys only: `values.constructor` must not find Object's constructor for a parameter named so.
  Object.hasOwn(values, key) && typeof values[key] === 'string' ? values[key] : undefined;

/** PowerShell's command-line options whose value is the next argument (both Windows PowerShell's and pwsh's). */
const POWERSHELL_VALUE_OPTIONS = [
  'executionpolicy',
  'ep',
  'windowstyle',
  'inputformat',
  'if',
  'outputformat',
  'of',
  'version',
  'configurationname',
  'configurationfile',
  'custompipename',
  'settingsfile',
  'workingdirectory',
  'wd',
  'psconsolefile',
  'encodedarguments',
  'ea',
];
/** Options after which PowerShell reads the rest of the command line as code. */
const POWERSHELL_CODE_OPTIONS = ['command', 'encodedcommand', 'commandwithargs', 'cwa', 'ec'];
const POWERSHELL_SWITCHES = [
  'noprofile',
  'nop',
  'nologo',
  'nol',
  'noninteractive',
  'noni',
  'noexit',
  'noe',
  'noprofileloadtime',
  'sta',
  'mta',
  'login',
  'interactive',
  'sshservermode',
  'sshs',
];

/** An option's name as PowerShell matches it: any leading dashes or a slash off, in lower case. */
const optionKey = (token: string): string | undefined =>
  /^(?:[-\u2013\u2014\u2015]+|\/)(.+)$/u.exec(token)?.[1]?.toLowerCase();
/** PowerShell takes a name's prefixes for it: `-nop` and `-NoProf` are both `-NoProfile`. */
const names = (key: string, options: readonly string[]): boolean =>
  options.some((name) => name.startsWith(key));

/**
 * Rule 6: why PowerShell would read one of the action's StringParameters as code, or as its own option,
 * rather than hand it to the script; undefined when it would not. Where an abbreviation could name
 * more than one option, the reading that lets the most through is assumed (`-c` is `-Command`).
 */
export function powerShellCodeRisk(action: Pick<SrpAction, 'command' | 'params'>): string | undefined {
  if (!isPowerShell(action.command) || action.params.every((param) => param.kind === 'constant')) {
    return undefined;
  }
  let valueNext = false;
  let scriptNext = false;
  for (const param of sortParamsByOrder(action.params)) {
    if (param.kind !== 'constant') {
      return scriptNext
        ? `PowerShell would run a script named by the parameter "${param.name}": the script after -File must be fixed by the package`
        : `PowerShell would read the parameter "${param.name}" itself, before any script starts, where a value can run as code: the package must start its script with -File before its first parameter`;
    }
    for (const token of splitSwitch(param.switch)) {
      if (scriptNext) return undefined;
      if (valueNext) {
        valueNext = false;
        continue;
      }
      const key = optionKey(token);
      if (key === undefined) {
        return `PowerShell would read "${token}", and what follows it, as code (no -File before it): the package must start its script with -File`;
      }
      if (names(key, ['file'])) scriptNext = true;
      else if (names(key, POWERSHELL_CODE_OPTIONS) || key === 'e') {
        return `PowerShell would read what follows "${token}" as code, so a value from a row could run commands: the package must start its script with -File instead`;
      } else if (names(key, POWERSHELL_VALUE_OPTIONS)) valueNext = true;
      else if (!names(key, POWERSHELL_SWITCHES)) {
        return `"${token}" is not an option PowerShell is known to take before -File, so where the script starts cannot be told: the package must start its script with -File`;
      }
    }
  }
  return undefined;
}

/** Rules 3 and 4 for every parameter, in the order of rule 1. */
export function buildArgv(
  action: Pick<SrpAction, 'command' | 'params'>,
  values: Record<string /* param id or SRP name */, string>,
  /** Whether the action's package marks required parameters with '*'; by default, whether this action does. */
  starMarked = marksRequiredWithStar([action]),
): { command: string; args: string[] } {
  const ids = actionParamIds(action);
  const idOf = new Map(action.params.map((param, index) => [param, ids[index]!]));
  const powerShell = isPowerShell(action.command);
  const nameCount = new Map<string, number>();
  for (const param of action.params) nameCount.set(param.name, (nameCount.get(param.name) ?? 0) + 1);
  const args: string[] = [];
  for (const param of sortParamsByOrder(action.params)) {
    const switchTokens = splitSwitch(param.switch);
    if (param.kind === 'constant') {
      args.push(...switchTokens);
      continue;
    }
    const id = idOf.get(param)!;
    // A Name shared by two parameters cannot say which one it means; only the id can.
    const given =
      lookup(values, id) ?? (nameCount.get(param.name) === 1 ? lookup(values, param.name) : undefined);
    const value = given ?? (param.default && 'static' in param.default ? param.default.static : '');
    if (value.includes('\0')) {
      throw new InvalidParameterValueError(id, param.name, 'contains a NUL character');
    }
    if (value.trim() === '') {
      if (isParamRequired(param, starMarked)) throw new MissingParameterError(id, param.name);
      if (switchTokens.length === 0) args.push('');
      continue;
    }
    const last = switchTokens.at(-1);
    const dashed = powerShell && POWERSHELL_DASH.test(value);
    if (last !== undefined && GLUE_SUFFIX.test(last)) {
      args.push(...switchTokens.slice(0, -1), last + value);
    } else if (dashed && last !== undefined && POWERSHELL_PARAMETER.test(last)) {
      args.push(...switchTokens.slice(0, -1), `${last}:${value}`);
    } else if (dashed && value.length > 1) {
      throw new InvalidParameterValueError(
        id,
        param.name,
        "starts with a dash, which PowerShell would read as the name of one of the script's parameters, and this parameter has no switch to bind it to",
      );
    } else {
      args.push(...switchTokens, value);
    }
  }
  return { command: action.command, args };
}
