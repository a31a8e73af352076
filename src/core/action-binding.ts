import type { Action, ActionParam } from './api.ts';
import type { RowContext } from './row-context.ts';

/**
 * A row's own values for an action's parameters, without a form: what a batch run sends for each selected
 * row. The same rule the panel's form starts from (`{ field }` defaults take the row's value, `{ static }`
 * defaults their text); parameters the orchestrator fills itself (secrets, configuration) are never sent.
 */

/** Parameters an analyst could type: strings neither the orchestrator's secrets nor its config fill. */
export function isAnalystParam(param: ActionParam): boolean {
  return param.kind === 'string' && !param.encrypted && !param.fromConfig;
}

export interface RowBinding {
  params: Record<string, string>;
  /** Required parameters this row has no value for (by parameter name): the row cannot run. */
  missing: string[];
}

export function bindRow(action: Action, context: RowContext): RowBinding {
  const params: Record<string, string> = {};
  const missing: string[] = [];
  for (const param of action.params) {
    if (!isAnalystParam(param)) continue;
    const fallback = param.default;
    const value = !fallback
      ? ''
      : 'static' in fallback
        ? fallback.static
        : (context.fields[fallback.field] ?? '');
    if (value !== '') params[param.id] = value;
    else if (param.required) missing.push(param.name);
  }
  return { params, missing };
}
