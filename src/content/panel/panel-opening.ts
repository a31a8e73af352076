import type { RowContext } from '../../core/row-context.ts';
import type { PanelSource } from '../content-session.ts';
import type { GridColumn } from '../grid/grid-adapter.ts';
import type { RowReading } from '../grid/read-row.ts';

/** What the initial content script hands the lazily loaded panel when the analyst opens it. */
export interface PanelOpening {
  source: PanelSource;
  /** The row as read at the moment of the action; null when there was no row to act on. */
  row: RowReading | null;
  /** The grid rows the analyst selected, read at the same moment, when more than one is (batch runs). */
  selection?: RowContext[];
  /** The row's box in viewport coordinates, to place the panel beside it. */
  anchor: { top: number; bottom: number; left: number; right: number } | null;
  /** Where focus goes back when the panel closes. */
  returnFocus: Element | null;
  /**
   * Where the analyst acted: the row's element, else what had focus. A row inside a page's own modal
   * dialog gets the panel inside that dialog (page-modal.ts).
   */
  at?: Element | null;
  /**
   * The grid's columns in order, and this console's label overrides: the panel names the columns that map
   * to no field, worked out as the row was read (the analyst can teach Gridside which they are).
   */
  columns?: { list: GridColumn[]; overrides: Record<string, string> };
  /** Starts "Teach Gridside this grid" (the panel closes first). */
  teach?: () => void;
}
