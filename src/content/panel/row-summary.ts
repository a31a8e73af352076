import type { RowContext } from '../../core/row-context.ts';

/** "Alarm 12345", "Log 9876…": what the panel header calls the row. */
export function rowTitle(context: RowContext): string {
  const noun = context.kind === 'alarm' ? 'Alarm' : 'Log';
  if (context.key.source === 'content-hash') return `${noun} row`;
  const value = context.key.value;
  return `${noun} ${value.length > 24 ? `${value.slice(0, 24)}…` : value}`;
}

export const CONFIDENCE_TEXT = {
  high: 'identified by its ID column',
  medium: 'identified by the grid’s row id',
  low: 'not reliably identified (no ID column)',
} as const;
