import type { ActionParam } from '../api.ts';
import { actionParamIds } from './ids.ts';
import type { SrpAction, SrpParam } from './model.ts';

/**
 * Whether a run cannot start without a non-empty value for this parameter. `buildArgv` enforces it
 * and the catalog advertises it, so the panel can ask before the run rather than fail after.
 *
 * - A ConstantParameter is never required: its author already wrote its value.
 * - A StringParameter is required when its Name contains '*' (LogRhythm's convention for "required",
 *   e.g. "Hostname*"), or when it has no default. Encrypted parameters have no default, so they are
 *   required too: they are filled from the orchestrator's configuration, and a missing API key or
 *   password should stop the run with a clear message rather than start the script without it.
 * - A StringParameter with a default (a static value or an alarm field) is optional: the row may lack
 *   the field, and the plugin decides what an empty value means.
 */
export function isParamRequired(param: SrpParam): boolean {
  if (param.kind === 'constant') return false;
  return param.name.includes('*') || param.default === undefined;
}

/**
 * An action's parameters as the catalog (`ActionParamSchema`, src/core/api.ts) describes them, in the
 * order the plugin author wrote them. `fromConfig` is always false here: the orchestrator knows which
 * parameters its configuration fills and sets it.
 */
export function srpToCatalogParams(action: Pick<SrpAction, 'params'>): ActionParam[] {
  const ids = actionParamIds(action);
  return action.params.map((param, index): ActionParam => {
    const common = {
      id: ids[index]!,
      name: param.name,
      fromConfig: false,
      required: isParamRequired(param),
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
