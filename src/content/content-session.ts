import type { GridAdapter } from './grid/grid-adapter.ts';
import type { GridHit } from './grid/grids.ts';
import type { OverlayHost } from './overlay-host.ts';

/** How the analyst asked for the panel. Only real user input gets here (`isTrusted`, or a background push). */
export type PanelSource = 'button' | 'context-menu' | 'command' | 'shortcut';

/**
 * What the content script's features share. Holds references to live row elements only, never their
 * values: a row is read when the panel opens (rows are recycled).
 */
export interface ContentSession {
  /** Origin of the console page (RowContext.console). */
  readonly origin: string;
  /** Per-site selector adapters first, then the built-ins. Replaced when the site config arrives. */
  adapters: GridAdapter[];
  /** Column label → canonical field for this console. */
  fieldOverrides: Record<string, string>;
  readonly overlay: OverlayHost;
  /** The row under the last trusted right-click, for the context-menu item; null when it was not a row. */
  lastContextRow: GridHit | null;
  /** The row the floating button is on. */
  hoveredRow: GridHit | null;
  /** Whether an event is real user input (`event.isTrusted`); the page cannot forge it. A seam for tests. */
  isUserInput(event: Event): boolean;
  /** Open the panel for a row (read now, from the live DOM); a null row shows why nothing opened. */
  openPanel(hit: GridHit | null, source: PanelSource, returnFocus?: Element | null): void;
  /** Start "Teach Gridside this grid" (teach-loader.ts): only on real user input or the popup's push. */
  openTeach(): void;
}

/** One content-script feature (Refined GitHub style): sets itself up and tears down when `signal` aborts. */
export interface ContentFeature {
  id: string;
  init(session: ContentSession, signal: AbortSignal): void;
}

/** Starts every feature; one failing feature is logged and does not stop the others. */
export function startFeatures(
  features: readonly ContentFeature[],
  session: ContentSession,
  signal: AbortSignal,
): void {
  for (const feature of features) {
    try {
      feature.init(session, signal);
    } catch (error) {
      console.error(`Gridside: ${feature.id} failed to start`, error);
    }
  }
}
