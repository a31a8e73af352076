import type { SiteConfig } from '../../core/messages.ts';
import type { GridSelectorConfig, Settings } from '../../core/settings.ts';
import { TEACH_LIMITS, type TeachRequest } from '../../core/teach.ts';

/**
 * Applies what the analyst taught Gridside on a console page (core/teach.ts) to the settings, for that
 * page's origin only: the origin comes from the browser's sender record, never from the request. The
 * result is the same settings the options page edits (Grid selectors, Field mapping), so it is visible
 * and editable there.
 */

export function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** What `config.get` answers: this origin's overrides and grid selector configs, nothing of other consoles. */
export function siteConfigFor(settings: Settings, origin: string): SiteConfig {
  return {
    fieldOverrides: settings.fieldOverrides[origin] ?? {},
    gridSelectors: settings.gridSelectors.filter((g) => originOf(g.origin) === origin),
  };
}

export function applyTaught(settings: Settings, origin: string, taught: TeachRequest): Settings {
  const overrides = { ...(settings.fieldOverrides[origin] ?? {}) };
  for (const [label, field] of Object.entries(taught.fields)) {
    const key = label.trim();
    if (!key) continue;
    // An earlier choice for the same column under another spelling is replaced, not kept beside it.
    for (const existing of Object.keys(overrides)) if (existing.trim() === key) delete overrides[existing];
    if (field !== null) overrides[key] = field;
  }
  const fieldOverrides = { ...settings.fieldOverrides };
  if (Object.keys(overrides).length > 0) fieldOverrides[origin] = overrides;
  else delete fieldOverrides[origin];

  let gridSelectors = settings.gridSelectors;
  if (taught.grid) {
    const { replaces, ...selectors } = taught.grid;
    const mine = (g: GridSelectorConfig) => originOf(g.origin) === origin;
    const replaced = gridSelectors.find((g) => mine(g) && (g.root === replaces || g.root === selectors.root));
    const config: GridSelectorConfig = {
      // What the analyst set by hand on a corrected config (kind, row key) is kept.
      ...(replaced ?? { kind: 'log' }),
      origin,
      root: selectors.root,
      row: selectors.row,
      cell: selectors.cell,
      columnKey: { headerCell: selectors.header },
      header: selectors.header,
    };
    if (replaced && 'headerKeyAttribute' in config) delete config.headerKeyAttribute;
    const others = gridSelectors.filter((g) => g !== replaced);
    const ownOthers = others.filter(mine);
    // Bounded per console: a page cannot grow the settings without limit by teaching again and again.
    const dropped = new Set(
      ownOthers.slice(0, Math.max(0, ownOthers.length - TEACH_LIMITS.gridsPerConsole + 1)),
    );
    gridSelectors = [config, ...others.filter((g) => !dropped.has(g))];
  }
  return { ...settings, fieldOverrides, gridSelectors };
}
