import { describe, expect, it } from 'vitest';
import { isKnownTimeZone, parseConsoleDate } from '../../../../src/core/srp/console-date.ts';

/** Zone-less console dates are read in the console's zone; dates with a zone are read as written. */

const iso = (value: string, zone?: string) => parseConsoleDate(value, zone)?.toISOString();

describe('console dates', () => {
  it('reads the LogRhythm shape in UTC by default and in the configured zone otherwise', () => {
    expect(iso('2019-06-20 12:27:03')).toBe('2019-06-20T12:27:03.000Z');
    expect(iso('2019-06-20 12:27:03', 'Asia/Tokyo')).toBe('2019-06-20T03:27:03.000Z');
    expect(iso('2019-06-20 12:27:03', 'Tokyo Standard Time')).toBe('2019-06-20T03:27:03.000Z');
    expect(iso('2019-06-20T12:27:03.5', 'America/New_York')).toBe('2019-06-20T16:27:03.500Z');
  });

  it('follows daylight saving time in the console zone', () => {
    expect(iso('2019-01-20 12:00:00', 'Europe/Berlin')).toBe('2019-01-20T11:00:00.000Z');
    expect(iso('2019-07-20 12:00:00', 'Europe/Berlin')).toBe('2019-07-20T10:00:00.000Z');
  });

  it('reads the US grid shape with AM and PM', () => {
    expect(iso('6/20/2019 12:27:03 PM')).toBe('2019-06-20T12:27:03.000Z');
    expect(iso('6/20/2019 12:05 AM')).toBe('2019-06-20T00:05:00.000Z');
    expect(iso('6/20/2019 1:05:09 pm', 'UTC')).toBe('2019-06-20T13:05:09.000Z');
  });

  it('reads a date that names its zone or offset as written, whatever the console zone', () => {
    expect(iso('2019-06-20T12:27:03Z', 'Asia/Tokyo')).toBe('2019-06-20T12:27:03.000Z');
    expect(iso('2019-06-20T12:27:03+02:00', 'Asia/Tokyo')).toBe('2019-06-20T10:27:03.000Z');
    expect(iso('Thu, 20 Jun 2019 12:27:03 GMT', 'Asia/Tokyo')).toBe('2019-06-20T12:27:03.000Z');
  });

  it('is not a date: undefined, so the value is passed on as the console showed it', () => {
    expect(parseConsoleDate('not a date')).toBeUndefined();
    expect(parseConsoleDate('2019-13-45 99:00:00')).toBeUndefined();
    expect(parseConsoleDate('')).toBeUndefined();
  });

  it('knows IANA and Windows zone names and refuses others', () => {
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Eastern Standard Time')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
