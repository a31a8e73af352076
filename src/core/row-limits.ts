/**
 * Hard limits on page-derived text, so a hostile cell cannot blow up a message, a job record or a run.
 * Kept apart from the zod schemas in row-context.ts (which re-exports them) so the content script can
 * use them without bundling zod into every console page.
 */
export const LIMITS = {
  /** One cell value. Longer values are cut and the row says so in `truncated`. */
  valueChars: 100_000,
  /** Columns kept per row. */
  columns: 400,
  labelChars: 200,
} as const;
