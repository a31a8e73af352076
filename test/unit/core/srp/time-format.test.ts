import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SRP_DATE_FORMAT,
  formatDotNetDate,
  formatSrpDate,
  TimeFormatError,
} from '../../../../src/core/srp/time-format.ts';
import { resolveTimeZone, WINDOWS_TIME_ZONES } from '../../../../src/core/srp/time-zones.ts';

// 2024-07-04 18:05:09.042 UTC: summer time in New York (UTC-4) and Budapest (UTC+2).
const summer = new Date(Date.UTC(2024, 6, 4, 18, 5, 9, 42));
// 2024-01-15 03:07:00 UTC: winter; still the 14th in Los Angeles.
const winter = new Date(Date.UTC(2024, 0, 15, 3, 7, 0, 0));

describe('formatDotNetDate', () => {
  it('formats the real Slack plugin TimeFormats in Eastern time', () => {
    expect(formatDotNetDate(summer, 'MM-dd-yyyy hh:mm:ss', 'Eastern Standard Time')).toBe(
      '07-04-2024 02:05:09',
    );
    expect(formatDotNetDate(summer, 'MMMM dd, yyyy', 'Eastern Standard Time')).toBe('July 04, 2024');
    expect(formatDotNetDate(winter, 'MM-dd-yyyy hh:mm:ss tt', 'Eastern Standard Time')).toBe(
      '01-14-2024 10:07:00 PM',
    );
  });

  it('gives the same instant different wall clocks in two zones', () => {
    const format = 'yyyy-MM-dd HH:mm:ss.fff zzz';
    expect(formatDotNetDate(summer, format, 'Central Europe Standard Time')).toBe(
      '2024-07-04 20:05:09.042 +02:00',
    );
    expect(formatDotNetDate(summer, format, 'Pacific Standard Time')).toBe('2024-07-04 11:05:09.042 -07:00');
    expect(formatDotNetDate(winter, format, 'Pacific Standard Time')).toBe('2024-01-14 19:07:00.000 -08:00');
    expect(formatDotNetDate(winter, format, 'Asia/Kolkata')).toBe('2024-01-15 08:37:00.000 +05:30');
    expect(formatDotNetDate(winter, format, 'GMT Standard Time')).toBe('2024-01-15 03:07:00.000 +00:00');
    expect(formatDotNetDate(summer, format, 'GMT Standard Time')).toBe('2024-07-04 19:05:09.042 +01:00');
  });

  it('follows a daylight-saving change within one night', () => {
    const before = new Date(Date.UTC(2024, 2, 10, 6, 59, 59));
    const after = new Date(Date.UTC(2024, 2, 10, 7, 0, 0));
    expect(formatDotNetDate(before, 'HH:mm:ss zz', 'Eastern Standard Time')).toBe('01:59:59 -05');
    expect(formatDotNetDate(after, 'HH:mm:ss zz', 'Eastern Standard Time')).toBe('03:00:00 -04');
  });

  it('knows each custom specifier', () => {
    const cases: [string, string][] = [
      ['d', '4'],
      ['dd', '04'],
      ['ddd', 'Thu'],
      ['dddd', 'Thursday'],
      ['M', '7'],
      ['MM', '07'],
      ['MMM', 'Jul'],
      ['MMMM', 'July'],
      ['y', '24'],
      ['yy', '24'],
      ['yyy', '2024'],
      ['yyyy', '2024'],
      ['yyyyy', '02024'],
      ['h', '6'],
      ['hh', '06'],
      ['H', '18'],
      ['HH', '18'],
      ['m', '5'],
      ['mm', '05'],
      ['s', '9'],
      ['ss', '09'],
      ['f', '0'],
      ['ff', '04'],
      ['fff', '042'],
      ['fffffff', '0420000'],
      ['FFF', '042'],
      ['t', 'P'],
      ['tt', 'PM'],
      ['z', '+0'],
      ['zz', '+00'],
      ['zzz', '+00:00'],
      ['K', 'Z'],
      ['g', 'A.D.'],
    ];
    for (const [format, expected] of cases) {
      const single = format.length === 1 ? `%${format}` : format;
      expect([format, formatDotNetDate(summer, single, 'UTC')]).toEqual([format, expected]);
    }
  });

  it('copies quoted literals, escaped characters and separators', () => {
    expect(formatDotNetDate(summer, "yyyy'-'MM'-'dd'T'HH':'mm", 'UTC')).toBe('2024-07-04T18:05');
    expect(formatDotNetDate(summer, '"Day" d "of" MMMM', 'UTC')).toBe('Day 4 of July');
    expect(formatDotNetDate(summer, "'it''s' HH", 'UTC')).toBe('its 18');
    expect(formatDotNetDate(summer, '\\d\\a\\y d', 'UTC')).toBe('day 4');
    expect(formatDotNetDate(summer, 'yyyy/MM/dd HH:mm', 'UTC')).toBe('2024/07/04 18:05');
    expect(formatDotNetDate(winter, 'ss.FFF', 'UTC')).toBe('00');
    expect(formatDotNetDate(summer, 'hh:mm tt K', 'Eastern Standard Time')).toBe('02:05 PM -04:00');
  });

  it('expands the .NET standard formats', () => {
    expect(formatDotNetDate(summer, 'o', 'Eastern Standard Time')).toBe('2024-07-04T14:05:09.0420000-04:00');
    expect(formatDotNetDate(summer, 's', 'UTC')).toBe('2024-07-04T18:05:09');
    expect(formatDotNetDate(summer, 'G', 'UTC')).toBe('07/04/2024 18:05:09');
    expect(formatDotNetDate(summer, 'D', 'UTC')).toBe('Thursday, 04 July 2024');
    expect(formatDotNetDate(summer, 'r', 'Tokyo Standard Time')).toBe('Thu, 04 Jul 2024 18:05:09 GMT');
    expect(formatDotNetDate(summer, 'u', 'Eastern Standard Time')).toBe('2024-07-04 18:05:09Z');
  });

  it('throws TimeFormatError for an unknown zone, a bad format or an invalid date', () => {
    expect(() => formatDotNetDate(summer, 'yyyy', 'Mars Standard Time')).toThrow(TimeFormatError);
    expect(() => formatDotNetDate(summer, "yyyy 'open", 'UTC')).toThrow(/unclosed quote/);
    expect(() => formatDotNetDate(summer, 'ffffffff', 'UTC')).toThrow(/at most 7/);
    expect(() => formatDotNetDate(summer, 'Q', 'UTC')).toThrow(/not a .NET standard date format/);
    expect(() => formatDotNetDate(summer, '', 'UTC')).toThrow(TimeFormatError);
    expect(() => formatDotNetDate(new Date('nonsense'), 'yyyy', 'UTC')).toThrow(/not a valid date/);
  });
});

describe('formatSrpDate', () => {
  it('uses the TimeFormat of the plugin', () => {
    expect(
      formatSrpDate(summer, { timeZone: 'Eastern Standard Time', formattingString: 'MMMM dd, yyyy' }),
    ).toBe('July 04, 2024');
  });

  it('falls back to UTC and an ISO-like format for what the TimeFormat leaves out', () => {
    expect(DEFAULT_SRP_DATE_FORMAT).toBe("yyyy-MM-dd'T'HH:mm:ss");
    expect(formatSrpDate(summer)).toBe('2024-07-04T18:05:09');
    expect(formatSrpDate(summer, { timeZone: 'Tokyo Standard Time' })).toBe('2024-07-05T03:05:09');
    expect(formatSrpDate(summer, { formattingString: 'HH:mm' })).toBe('18:05');
  });
});

describe('resolveTimeZone', () => {
  it('maps every listed Windows zone to a zone this runtime knows', () => {
    for (const [windows, iana] of Object.entries(WINDOWS_TIME_ZONES)) {
      expect([windows, resolveTimeZone(windows)]).toEqual([windows, iana]);
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: iana })).not.toThrow();
    }
  });

  it('matches Windows names case-insensitively, accepts IANA names, refuses the rest', () => {
    expect(resolveTimeZone(' eastern standard time ')).toBe('America/New_York');
    expect(resolveTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone('UTC')).toBe('Etc/UTC');
    expect(resolveTimeZone('Mars Standard Time')).toBeUndefined();
    expect(resolveTimeZone('')).toBeUndefined();
  });
});
