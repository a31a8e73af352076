import { resolveTimeZone } from './time-zones.ts';

/**
 * Reads a date as a console shows it. Consoles often print dates without a zone (LogRhythm:
 * `2019-06-20 12:27:03`); JavaScript reads such a string in the zone of the host it runs on, so the same
 * row would give a different instant on an orchestrator in UTC and one in Asia/Tokyo. A zone-less date is
 * read in the console's time zone instead (the orchestrator's `consoleTimeZone`, UTC unless configured),
 * the same on every host. A date that names its zone or offset (`Z`, `+09:00`, `GMT`) is read as written.
 */

/** `yyyy-MM-dd`, then optionally `[ T]HH:mm[:ss[.fff]]`, and nothing after. */
const ISO_LIKE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;
/** `M/d/yyyy[ h:mm[:ss][ AM|PM]]`, the US shape consoles use in their grids. */
const US_SHAPE =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?$/;
/** A date that carries its own zone: a trailing `Z` or offset, or a zone name JavaScript knows. */
const HAS_ZONE = /(?:\dZ|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT|UT|[ECMP][SD]T)\b)/i;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at that instant. */
function zoneOffsetMinutes(instant: number, zone: string): number {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, formatter);
  }
  const name = formatter.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const match = /([+-])(\d{1,2})(?::?(\d{2}))?/.exec(name);
  if (!match) return 0; // "GMT": no offset
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** The instant at which the clocks of `zone` show `wall`. */
function instantInZone(wall: WallTime, zone: string): Date {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  const asUtc = date.getTime();
  // Two rounds settle the offset near a daylight-saving change.
  let guess = asUtc - zoneOffsetMinutes(asUtc, zone) * 60_000;
  guess = asUtc - zoneOffsetMinutes(guess, zone) * 60_000;
  return new Date(guess);
}

function wallTimeOf(value: string): WallTime | undefined {
  const iso = ISO_LIKE.exec(value);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction] = iso;
    return {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour ?? 0),
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
      millisecond: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
    };
  }
  const us = US_SHAPE.exec(value);
  if (us) {
    const [, month, day, year, hour, minute, second, half] = us;
    let h = Number(hour ?? 0);
    if (half && /p/i.test(half) && h < 12) h += 12;
    if (half && /a/i.test(half) && h === 12) h = 0;
    return {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: h,
      minute: Number(minute ?? 0),
      second: Number(second ?? 0),
      millisecond: 0,
    };
  }
  return undefined;
}

const inRange = (wall: WallTime): boolean =>
  wall.month >= 1 &&
  wall.month <= 12 &&
  wall.day >= 1 &&
  wall.day <= 31 &&
  wall.hour <= 23 &&
  wall.minute <= 59 &&
  wall.second <= 60;

/**
 * The instant a console date stands for, or undefined when it is not a date this reads. `consoleZone`
 * is an IANA or Windows zone name; an unknown one is the caller's mistake (config validation catches it).
 */
export function parseConsoleDate(value: string, consoleZone = 'UTC'): Date | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const zone = resolveTimeZone(consoleZone) ?? consoleZone;
  if (!HAS_ZONE.test(text)) {
    const wall = wallTimeOf(text);
    if (wall) return inRange(wall) ? instantInZone(wall, zone) : undefined;
    // Another zone-less shape JavaScript reads ("June 20, 2019 12:27:03"): it reads it on the host's
    // clock, so take that wall time back out and place it in the console's zone instead.
    const local = new Date(text);
    if (Number.isNaN(local.getTime())) return undefined;
    return instantInZone(
      {
        year: local.getFullYear(),
        month: local.getMonth() + 1,
        day: local.getDate(),
        hour: local.getHours(),
        minute: local.getMinutes(),
        second: local.getSeconds(),
        millisecond: local.getMilliseconds(),
      },
      zone,
    );
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Whether a configured console zone is one this can use. */
export function isKnownTimeZone(name: string): boolean {
  const zone = resolveTimeZone(name) ?? name;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
