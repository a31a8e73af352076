/**
 * The status bar under a grid ("Showing 50,000 of 50,000 logs · 3 selected") and the "Search in results"
 * box. Written against the few grid API calls it needs, so the v36 and v35 pages share it.
 */

export interface StatusGrid {
  getDisplayedRowCount(): number;
  getSelectedRows(): unknown[];
  addEventListener(type: 'modelUpdated' | 'selectionChanged', listener: () => void): void;
  setGridOption(key: 'quickFilterText', value: string): void;
}

const numbers = new Intl.NumberFormat('en-US');

export function bindStatusBar(grid: StatusGrid, total: number, noun: string, output: HTMLElement): void {
  const update = (): void => {
    const shown = grid.getDisplayedRowCount();
    const selected = grid.getSelectedRows().length;
    output.textContent =
      `Showing ${numbers.format(shown)} of ${numbers.format(total)} ${noun}` +
      (selected > 0 ? ` · ${numbers.format(selected)} selected` : '');
  };
  grid.addEventListener('modelUpdated', update);
  grid.addEventListener('selectionChanged', update);
  update();
}

export function bindQuickFilter(input: HTMLInputElement, grids: () => StatusGrid[]): void {
  let pending = 0;
  input.addEventListener('input', () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      for (const grid of grids()) grid.setGridOption('quickFilterText', input.value);
    }, 200);
  });
}

export function formatCount(n: number): string {
  return numbers.format(n);
}
