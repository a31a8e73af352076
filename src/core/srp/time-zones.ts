import { WINDOWS_TIME_ZONES } from './windows-zones.ts';

/**
 * Time zones as SRP authors write them. `TimeFormat TimeZone` holds a Windows zone name
 * ("Eastern Standard Time"): LogRhythm runs on Windows. Intl only knows IANA names, so Windows names are
 * mapped through CLDR's table (windows-zones.ts, generated from CLDR by scripts/gen-windows-zones.ts:
 * the zone Windows itself means by each name). IANA names are accepted too.
 */
export { WINDOWS_TIME_ZONES };

const BY_LOWER_CASE = new Map(
  Object.entries(WINDOWS_TIME_ZONES).map(([windows, iana]) => [windows.toLowerCase(), iana]),
);

const isKnownToIntl = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * The IANA zone for a Windows or IANA zone name, or undefined when neither is known. Windows names are
 * matched case-insensitively, as Windows does.
 */
export function resolveTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  const windows = BY_LOWER_CASE.get(trimmed.toLowerCase());
  if (windows) return windows;
  return isKnownToIntl(trimmed) ? trimmed : undefined;
}
