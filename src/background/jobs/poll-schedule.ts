/** Interval polling for engines without a long-poll: quick at first, slower while nothing changes. */
export interface Backoff {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 1000, factor: 1.5, maxMs: 15_000 };

export function nextDelay(current: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, Math.round(current * backoff.factor));
}
