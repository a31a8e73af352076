import type { GridSelectorConfig } from '../../core/settings.ts';
import { cellText, headerLabel, isHidden } from './cell-text.ts';
import type { GridAdapter, GridColumn, GridRow } from './grid-adapter.ts';
import { targetElement } from './grid-adapter.ts';
import { adaptersFor } from './grids.ts';

/**
 * A grid described by the analyst's per-site selector config (options page → background → `config.get`),
 * for consoles no built-in adapter recognises (docs/architecture.md §4). Tried before the built-in adapters.
 * A selector the page's DOM rejects makes the adapter match nothing rather than break the others.
 */

function safeMatches(el: Element, selector: string | undefined): boolean {
  if (!selector) return false;
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}
function safeClosest(el: Element, selector: string): Element | null {
  try {
    return el.closest(selector);
  } catch {
    return null;
  }
}
function safeAll(scope: ParentNode, selector: string | undefined): Element[] {
  if (!selector) return [];
  try {
    return [...scope.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

/** A per-site adapter also tells what it was built from: rows-on-screen.ts and teach mode read it. */
export type SiteSelectorAdapter = GridAdapter & {
  kind: 'log' | 'alarm';
  rowKeyAttribute?: string;
  config: GridSelectorConfig;
  rowSelector: string;
  headerSelector: string | undefined;
};

export function isSiteSelectorAdapter(adapter: GridAdapter): adapter is SiteSelectorAdapter {
  return 'config' in adapter && 'rowSelector' in adapter;
}

export function siteSelectorAdapter(config: GridSelectorConfig): SiteSelectorAdapter {
  const headerSelector = 'headerCell' in config.columnKey ? config.columnKey.headerCell : config.header;
  const cellKey = (cell: Element, position: number): string =>
    'attribute' in config.columnKey
      ? (cell.getAttribute(config.columnKey.attribute) ?? String(position))
      : String(position);

  const adapter: SiteSelectorAdapter = {
    id: `config:${config.origin}`,
    kind: config.kind,
    config,
    rowSelector: config.row,
    headerSelector,
    ...(config.rowKeyAttribute ? { rowKeyAttribute: config.rowKeyAttribute } : {}),
    findRoots: (scope) => safeAll(scope, config.root),
    rootOf: (el) => safeClosest(el, config.root),

    rowFromTarget(root, target) {
      const el = targetElement(target);
      if (!el || (headerSelector && safeClosest(el, headerSelector))) return null;
      const row = safeClosest(el, config.row);
      if (!row || !root.contains(row)) return null;
      if (headerSelector && safeAll(row, headerSelector).length > 0) return null;
      const hints: GridRow['hints'] = {};
      const rowId = config.rowKeyAttribute ? row.getAttribute(config.rowKeyAttribute) : null;
      if (rowId) hints.rowId = rowId;
      return { root, primary: row, hints };
    },
    rowParts: (row) => [row.primary],

    columns(root) {
      return safeAll(root, headerSelector)
        .map((header, i): GridColumn => {
          const key = config.headerKeyAttribute ? header.getAttribute(config.headerKeyAttribute) : null;
          return { key: key ?? String(i + 1), label: headerLabel(header) };
        })
        .filter((column) => column.label !== '');
    },

    readCells(row) {
      const cells = new Map<string, string>();
      safeAll(row.primary, config.cell).forEach((cell, i) => {
        if (!isHidden(cell) && !safeMatches(cell, headerSelector))
          cells.set(cellKey(cell, i + 1), cellText(cell));
      });
      return cells;
    },

    columnCount: () => undefined,
    watchTarget: (root) => root,
    watchAttributes: config.rowKeyAttribute ? [config.rowKeyAttribute] : [],
  };
  return adapter;
}

/** The adapters of a console with these per-site selector configs: theirs first, then the built-in ones. */
export function adaptersWith(configs: readonly GridSelectorConfig[]): GridAdapter[] {
  return adaptersFor(configs.map(siteSelectorAdapter));
}
