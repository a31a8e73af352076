import type { ActionParam } from '../api.ts';
import { actionParamIds } from './ids.ts';
import type { SrpAction, SrpParam } from './model.ts';

/**
 * Whether a package follows the "trailing `*` marks a required parameter" convention: it does as soon as
 * one of its string parameters has a `*` in its Name. Such packages leave optional parameters without a
 * default (a pxGrid package's "Override … User Name"), so in them the absence of a default says nothing.
 */
export function marksRequiredWithStar(actions: readonly Pick<SrpAction, 'params'>[]): boolean {
  return actions.some((action) =>
    action.params.some((param) => param.kind === 'string' && param.name.includes('*')),
  );
}

/**
 * Whether a run cannot start without a non-empty value for this parameter. `buildArgv` enforces it
 * and the catalog advertises it, so the panel can ask before the run rather than fail after.
 *
 * - A ConstantParameter is never required: its author already wrote its value.
 * - A StringParameter whose Name contains '*' (LogRhythm's convention for "required", e.g. "Hostname*")
 *   is required.
 * - In a package that uses that convention (`starMarked`, see `marksRequiredWithStar`), that is the
 *   whole rule: every parameter without a '*' is optional, default or not.
 * - In a package that marks nothing, a StringParameter without a default is required. Encrypted
 *   parameters have no default, so they are required too: they are filled from the orchestrator's
 *   configuration, and a missing API key or password should stop the run with a clear message rather
 *   than start the script without it. A StringParameter with a default (a static value or an alarm
 *   field) is optional: the row may lack the field, and the plugin decides what an empty value means.
 */
export function isParamRequired(param: SrpParam, starMarked = false): boolean {
  if (param.kind === 'constant') return false;
  if (param.name.includes('*')) return true;
  return !starMarked && param.default === undefined;
}

/**
 * An action's parameters as the catalog (`ActionParamSchema`, src/core/api.ts) describes them, in the
 * order the plugin author wrote them. `fromConfig` is always false here: the orchestrator knows which
 * parameters its configuration fills and sets it.
 */
export function srpToCatalogParams(
  action: Pick<SrpAction, 'params'>,
  /** Whether the action's package marks required parameters with '*'; by default, whether this action does. */
  starMarked = marksRequiredWithStar([action]),
): ActionParam[] {
  const ids = actionParamIds(action);
  return action.params.map((param, index): ActionParam => {
    const common = {
      id: ids[index]!,
      name: param.name,
      fromConfig: false,
      required: isParamRequired(param, starMarked),
      switch: param.switch,
      order: param.order,
    };
    if (param.kind === 'constant') return { ...common, kind: 'constant', encrypted: false };
    const fallback = param.default;
    return {
      ...common,
      kind: 'string',
      encrypted: param.encrypted,
      ...(fallback === undefined
        ? {}
        : {
            default:
              'static' in fallback
                ? { static: fallback.static }
                : {
                    field: fallback.field,
                    ...(fallback.timeFormat ? { timeFormat: { ...fallback.timeFormat } } : {}),
                  },
          }),
    };
  });
}
