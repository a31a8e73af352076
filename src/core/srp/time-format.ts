import type { SrpTimeFormat } from './model.ts';
import { resolveTimeZone } from './time-zones.ts';

/**
 * Formats the value of an `AlarmDate` / `NormalMessageDate` default the way LogRhythm (a .NET program)
 * would: a .NET date format string in a Windows or IANA time zone. Pure: zone arithmetic goes through
 * Intl.DateTimeFormat, which every runtime has.
 *
 * Culture: .NET's InvariantCulture (English month and day names, ':' and '/' as separators), because
 * the server's culture is unknown and a plugin parsing the date needs it stable.
 */

/** When a `<TimeFormat>` is missing or leaves a part out. Unambiguous, and sorts as text. */
export const DEFAULT_SRP_TIME_ZONE = 'UTC';
export const DEFAULT_SRP_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss";

export class TimeFormatError extends Error {
  override readonly name = 'TimeFormatError';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** .NET standard (one-letter) formats, as InvariantCulture expands them. `utc` ones convert first. */
const STANDARD_FORMATS: Record<string, { pattern: string; utc?: boolean }> = {
  d: { pattern: 'MM/dd/yyyy' },
  D: { pattern: 'dddd, dd MMMM yyyy' },
  f: { pattern: 'dddd, dd MMMM yyyy HH:mm' },
  F: { pattern: 'dddd, dd MMMM yyyy HH:mm:ss' },
  g: { pattern: 'MM/dd/yyyy HH:mm' },
  G: { pattern: 'MM/dd/yyyy HH:mm:ss' },
  m: { pattern: 'MMMM dd' },
  M: { pattern: 'MMMM dd' },
  o: { pattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK" },
  O: { pattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK" },
  r: { pattern: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", utc: true },
  R: { pattern: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", utc: true },
  s: { pattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss" },
  t: { pattern: 'HH:mm' },
  T: { pattern: 'HH:mm:ss' },
  u: { pattern: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'", utc: true },
  y: { pattern: 'yyyy MMMM' },
  Y: { pattern: 'yyyy MMMM' },
};

/** The wall-clock fields of an instant in a zone. */
interface WallClock {
  year: number;
  month: number; // 1–12
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
  isUtc: boolean;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(date: Date, zone: string): WallClock {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  // Build the wall clock as if it were UTC; setUTCFullYear avoids Date.UTC's 0–99 → 19xx mapping.
  const fixed = new Date(
    Date.UTC(
      2000,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    ),
  );
  fixed.setUTCFullYear(year);
  const instantSeconds = Math.floor(date.getTime() / 1000) * 1000;
  const offsetMinutes = Math.round((fixed.getTime() - instantSeconds) / 60_000);
  return {
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: fixed.getUTCDay(),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((date.getTime() % 1000) + 1000) % 1000,
    offsetMinutes,
    isUtc: /^(Etc\/)?(UTC|UCT|Zulu|Universal|GMT)$/i.test(zone),
  };
}

const pad = (value: number, width: number): string => String(Math.abs(value)).padStart(width, '0');

const offset = (minutes: number, style: 'h' | 'hh' | 'hh:mm'): string => {
  const sign = minutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(minutes) / 60);
  if (style === 'h') return `${sign}${hours}`;
  if (style === 'hh') return `${sign}${pad(hours, 2)}`;
  return `${sign}${pad(hours, 2)}:${pad(Math.abs(minutes) % 60, 2)}`;
};

/** Seven digits of fraction, .NET's tick precision; JavaScript dates stop at milliseconds. */
const fraction = (clock: WallClock): string => `${pad(clock.millisecond, 3)}0000`;

/** One custom specifier (a letter repeated `count` times) → its text. */
function specifier(letter: string, count: number, clock: WallClock, format: string): string | undefined {
  const hour12 = clock.hour % 12 === 0 ? 12 : clock.hour % 12;
  switch (letter) {
    case 'd':
      if (count <= 2) return pad(clock.day, count);
      return count === 3 ? DAYS[clock.weekday]!.slice(0, 3) : DAYS[clock.weekday]!;
    case 'M':
      if (count <= 2) return pad(clock.month, count);
      return count === 3 ? MONTHS[clock.month - 1]!.slice(0, 3) : MONTHS[clock.month - 1]!;
    case 'y':
      if (count <= 2) return pad(clock.year % 100, count);
      return (clock.year < 0 ? '-' : '') + pad(clock.year, count);
    case 'h':
      return pad(hour12, Math.min(count, 2));
    case 'H':
      return pad(clock.hour, Math.min(count, 2));
    case 'm':
      return pad(clock.minute, Math.min(count, 2));
    case 's':
      return pad(clock.second, Math.min(count, 2));
    case 'f':
    case 'F': {
      if (count > 7) throw new TimeFormatError(`"${format}": at most 7 ${letter} are allowed`);
      const digits = fraction(clock).slice(0, count);
      return letter === 'f' ? digits : digits.replace(/0+$/, '');
    }
    case 't':
      return (clock.hour < 12 ? 'AM' : 'PM').slice(0, count === 1 ? 1 : 2);
    case 'z':
      return offset(clock.offsetMinutes, count === 1 ? 'h' : count === 2 ? 'hh' : 'hh:mm');
    case 'K':
      return clock.isUtc ? 'Z' : offset(clock.offsetMinutes, 'hh:mm');
    case 'g':
      return clock.year > 0 ? 'A.D.' : 'B.C.';
    default:
      return undefined;
  }
}

/** Letters whose repetition is one specifier ("yyyy"); `K` is never repeated in practice. */
const REPEATED = new Set(['d', 'M', 'y', 'h', 'H', 'm', 's', 'f', 'F', 't', 'z', 'g', 'K']);

function formatCustom(pattern: string, clock: WallClock, format: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === "'" || char === '"') {
      // Quoted literal; a backslash inside escapes the next character.
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== char; j++) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        out += pattern[j];
      }
      if (j >= pattern.length) throw new TimeFormatError(`"${format}": unclosed quote ${char}`);
      i = j + 1;
    } else if (char === '\\') {
      if (i + 1 >= pattern.length) throw new TimeFormatError(`"${format}": a backslash at the end`);
      out += pattern[i + 1];
      i += 2;
    } else if (char === '%') {
      // "%d" is the custom specifier "d" alone (a lone "d" would be the standard short date).
      const next = pattern[i + 1];
      if (next === undefined || next === '%')
        throw new TimeFormatError(`"${format}": "%" must precede a specifier`);
      i += 1;
    } else if (REPEATED.has(char)) {
      let count = 1;
      while (pattern[i + count] === char) count++;
      const text = specifier(char, count, clock, format)!;
      // .NET drops the '.' before an "F" fraction that printed nothing ("ss.FFF" at .000 → "ss").
      if (char === 'F' && text === '' && out.endsWith('.')) out = out.slice(0, -1);
      out += text;
      i += count;
    } else {
      // ':' and '/' are the invariant separators; every other character is copied.
      out += char;
      i += 1;
    }
  }
  return out;
}

/**
 * `date` formatted with a .NET date format string (`MM-dd-yyyy hh:mm:ss`, `MMMM dd, yyyy`, `o`, …) in
 * `timeZone` (Windows or IANA name). Throws `TimeFormatError` for an unknown zone, an invalid date or
 * an invalid format string.
 */
export function formatDotNetDate(
  date: Date,
  format: string,
  timeZone: string = DEFAULT_SRP_TIME_ZONE,
): string {
  if (Number.isNaN(date.getTime())) throw new TimeFormatError('the date is not a valid date');
  if (format === '') throw new TimeFormatError('the date format is empty');
  // A one-character format is a .NET standard format; any other lone letter is a FormatException there.
  const standard = format.length === 1 ? STANDARD_FORMATS[format] : undefined;
  if (format.length === 1 && !standard) {
    throw new TimeFormatError(
      `"${format}" is not a .NET standard date format; use "%${format}" for the specifier alone`,
    );
  }
  const zone = standard?.utc ? 'UTC' : resolveTimeZone(timeZone);
  if (!zone)
    throw new TimeFormatError(`unknown time zone "${timeZone}"; expected a Windows or IANA zone name`);
  const clock = wallClock(date, zone);
  return formatCustom(standard ? standard.pattern : format, clock, format);
}

/** The value of an AlarmDate/NormalMessageDate default, with the plugin's `<TimeFormat>` if it has one. */
export function formatSrpDate(date: Date, timeFormat?: SrpTimeFormat): string {
  return formatDotNetDate(
    date,
    timeFormat?.formattingString || DEFAULT_SRP_DATE_FORMAT,
    timeFormat?.timeZone?.trim() || DEFAULT_SRP_TIME_ZONE,
  );
}
