import { originPattern } from '../../core/origin-pattern.ts';

/**
 * Host permissions, per origin (docs/architecture.md §8): nothing at install beyond the demo build's localhost; each
 * console and orchestrator origin is an optional host permission the options page requests on a click.
 */
export interface PermissionsLike {
  contains(permissions: { origins?: string[] }): Promise<boolean>;
  request?(permissions: { origins?: string[] }): Promise<boolean>;
  remove?(permissions: { origins?: string[] }): Promise<boolean>;
}

export { originPattern };

export async function hasOriginPermission(permissions: PermissionsLike, origin: string): Promise<boolean> {
  try {
    return await permissions.contains({ origins: [originPattern(origin)] });
  } catch {
    return false;
  }
}

/** Splits origins into those Gridside may touch and those still waiting for the analyst's grant. */
export async function partitionByPermission(
  permissions: PermissionsLike,
  origins: readonly string[],
): Promise<{ granted: string[]; missing: string[] }> {
  const granted: string[] = [];
  const missing: string[] = [];
  for (const origin of origins) {
    if (await hasOriginPermission(permissions, origin)) granted.push(origin);
    else missing.push(origin);
  }
  return { granted, missing };
}
