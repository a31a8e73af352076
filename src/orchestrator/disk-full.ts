import { HttpError } from './http-error.ts';

/**
 * The orchestrator's disk (its database or data folder) is full. Nothing is written then, and nothing
 * half-written is kept (SQLite rolls the transaction back), so the orchestrator keeps serving what it has,
 * refuses what it cannot record, and carries on by itself once space returns (docs/reliability.md).
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Seconds a client is asked to wait before trying again after a refusal for a full disk. */
export const DISK_FULL_RETRY_SECONDS = 60;

/** The API's answer to a request refused because the disk is full. */
export function diskFullError(): HttpError {
  return new HttpError(
    503,
    'internal',
    "the orchestrator's disk is full: it cannot record runs until an administrator frees space",
    undefined,
    { 'retry-after': String(DISK_FULL_RETRY_SECONDS) },
  );
}

let warnedAt = 0;

/** Says so in the log, at most once a minute however many writes fail. */
export function logDiskFull(what: string, error: unknown): void {
  const now = Date.now();
  if (now - warnedAt < 60_000) return;
  warnedAt = now;
  process.stderr.write(`gridside-orchestrator: disk full while ${what}: ${String(error)}\n`);
}
