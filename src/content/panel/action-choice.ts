import type { Action, ActionParam } from '../../core/api.ts';
import { observableTypeOf } from '../../core/field-types.ts';
import { detectObservableType } from '../../core/observables.ts';
import type { RowContext } from '../../core/row-context.ts';

/**
 * Which actions fit a row, and what their parameter form starts with. Pure: the panel renders the result.
 */

export interface ActionFit {
  action: Action;
  /** Canonical fields the action binds required parameters to but this row does not have. */
  lacks: string[];
}

/** Parameters the analyst can see and edit: strings that neither the orchestrator's secrets nor its config fill. */
export function isEditable(param: ActionParam): boolean {
  return param.kind === 'string' && !param.encrypted && !param.fromConfig;
}

/** Filled by the orchestrator: shown read-only as "set by the orchestrator". */
export function isSetByOrchestrator(param: ActionParam): boolean {
  return param.encrypted || param.fromConfig;
}

export function fieldLacks(action: Action, context: RowContext): string[] {
  const lacks: string[] = [];
  for (const param of action.params) {
    if (!isEditable(param) || !param.required || !param.default || !('field' in param.default)) continue;
    const field = param.default.field;
    if (!context.fields[field] && !lacks.includes(field)) lacks.push(field);
  }
  return lacks;
}

const matchesFilter = (action: Action, filter: string): boolean => {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [action.plugin.name, action.name, action.description].some((text) =>
    text.toLowerCase().includes(needle),
  );
};

/**
 * Available actions this row can fill first, then those it lacks fields for, then unavailable ones;
 * each group keeps the catalog's order.
 */
export function rankActions(actions: readonly Action[], context: RowContext, filter = ''): ActionFit[] {
  const fits = actions
    .filter((a) => matchesFilter(a, filter))
    .map((action) => ({ action, lacks: fieldLacks(action, context) }));
  const rank = (fit: ActionFit) => (!fit.action.available ? 2 : fit.lacks.length > 0 ? 1 : 0);
  return fits
    .map((fit, i) => ({ fit, i }))
    .sort((a, b) => rank(a.fit) - rank(b.fit) || a.i - b.i)
    .map(({ fit }) => fit);
}

/** The form's starting values: `{ field }` defaults take the row's value, `{ static }` defaults their text. */
export function prefillParams(action: Action, context: RowContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of action.params) {
    if (!isEditable(param)) continue;
    const fallback = param.default;
    if (!fallback) values[param.id] = '';
    else if ('static' in fallback) values[param.id] = fallback.static;
    else values[param.id] = context.fields[fallback.field] ?? '';
  }
  return values;
}

/**
 * Other values of this row offered as suggestions for a parameter: those of the same observable type as
 * the field the parameter is bound to, or every distinct value when the type is unknown.
 */
export function suggestionsFor(param: ActionParam, context: RowContext, limit = 30): string[] {
  const wanted =
    param.default && 'field' in param.default ? observableTypeOf(param.default.field) : undefined;
  const values = new Set<string>();
  for (const [field, value] of Object.entries(context.fields)) {
    if (!value || value.length > 500) continue;
    const type = observableTypeOf(field) ?? detectObservableType(value);
    if (!wanted || wanted === 'text' || type === wanted) values.add(value);
  }
  if (!wanted || wanted === 'text') {
    for (const value of Object.values(context.labels)) if (value && value.length <= 500) values.add(value);
  } else {
    for (const value of Object.values(context.labels)) {
      if (value && value.length <= 500 && detectObservableType(value) === wanted) values.add(value);
    }
  }
  return [...values].slice(0, limit);
}

/** Exactly what `run.start` will send: editable parameters with a value (the orchestrator fills the rest). */
export function paramsToSend(action: Action, values: Record<string, string>): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const param of action.params) {
    if (!isEditable(param)) continue;
    const value = values[param.id] ?? '';
    if (value !== '') sent[param.id] = value;
  }
  return sent;
}

/** Required editable parameters still empty. */
export function missingRequired(action: Action, values: Record<string, string>): ActionParam[] {
  return action.params.filter((p) => isEditable(p) && p.required && !(values[p.id] ?? '').trim());
}
