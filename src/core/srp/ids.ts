import type { SrpAction } from './model.ts';

/**
 * Stable ids for plugins, actions and parameters, derived from their SRP names so that a catalog
 * rebuilt from the same actions.xml gives the same ids (pins, history and audit entries refer to them).
 */

/** Long enough to stay readable and distinct, short enough for the API's 200-character key limit. */
const MAX_SLUG = 80;

/**
 * Lower-case letters and digits joined by '-': "Target Account *" → "target-account",
 * "Local : Scan Process ID : Email Report" → "local-scan-process-id-email-report". Non-Latin letters
 * are kept (lower-cased), accents are dropped.
 */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? fallback : slug;
}

/** The id of one SRP parameter name, before de-duplication within its action (see `actionParamIds`). */
export const paramId = (name: string): string => slugify(name, 'param');

export const pluginId = (pluginName: string): string => slugify(pluginName, 'plugin');

/** `<plugin-id>/<action-id>`, the shape of `Action.id` in src/core/api.ts. */
export const actionId = (pluginName: string, actionName: string): string =>
  `${pluginId(pluginName)}/${slugify(actionName, 'action')}`;

/**
 * The id of every parameter of an action, in the action's document order. Two parameters whose names
 * give the same slug get "-2", "-3" … in document order ("Script", "Script" → "script", "script-2").
 */
export function actionParamIds(action: Pick<SrpAction, 'params'>): string[] {
  const taken = new Set<string>();
  return action.params.map((param) => {
    const base = paramId(param.name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}
