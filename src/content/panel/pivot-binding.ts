import type { Action, ActionParam } from '../../core/api.ts';
import { type ObservableType, observableTypeOf } from '../../core/field-types.ts';
import type { PivotType, ResultObservable } from '../../core/result-observables.ts';
import { isEditable } from './action-choice.ts';

/**
 * Which actions take an observable a result named, and which of their parameters it fills. The rule is the
 * field model's, nothing new: a parameter bound to a row field (`{ field }` default) takes an observable of
 * that field's type, so an IP fills the parameter bound to SIP or DIP, a domain one bound to a host or
 * domain field. The first such editable parameter of an action is the one filled; the others keep the row's
 * values, exactly as when the action is picked from the catalog.
 */

const ACCEPTS: Record<PivotType, readonly ObservableType[]> = {
  ip: ['ip'],
  domain: ['domain', 'host'],
  hash: ['hash'],
  url: ['url'],
};

export interface PivotChoice {
  action: Action;
  param: ActionParam;
}

/** The parameter of `action` an observable of `type` fills, if any. */
export function pivotParam(action: Action, type: PivotType): ActionParam | undefined {
  return action.params.find((param) => {
    if (!isEditable(param) || !param.default || !('field' in param.default)) return false;
    const fieldType = observableTypeOf(param.default.field);
    return fieldType !== undefined && ACCEPTS[type].includes(fieldType);
  });
}

/**
 * The available actions that take this observable, in catalog order. Engines that list one action per row
 * field (a Cortex analyzer "on SIP" and "on DIP") would offer the same run twice: the same plugin, parameter
 * and description is one choice.
 */
export function pivotChoices(actions: readonly Action[], observable: ResultObservable): PivotChoice[] {
  const choices: PivotChoice[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    if (!action.available) continue;
    const param = pivotParam(action, observable.type);
    if (!param) continue;
    const same = `${action.plugin.id}\u0000${param.id}\u0000${action.description}`;
    if (seen.has(same)) continue;
    seen.add(same);
    choices.push({ action, param });
  }
  return choices;
}

/** The action's name without the row field it is bound to ("… on SIP"): the pivot fills another value. */
export function pivotName({ action, param }: PivotChoice): string {
  const field = param.default && 'field' in param.default ? param.default.field : '';
  const suffix = ` on ${field}`;
  return field && action.name.endsWith(suffix) ? action.name.slice(0, -suffix.length) : action.name;
}

/** How a chip names its type, in the analyst's words. */
export const PIVOT_LABEL: Record<PivotType, string> = {
  ip: 'IP',
  domain: 'Domain',
  hash: 'Hash',
  url: 'URL',
};
