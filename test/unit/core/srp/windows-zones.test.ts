import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WINDOWS_TIME_ZONES } from '../../../../src/core/srp/windows-zones.ts';

interface MapZone {
  _other: string;
  _type: string;
  _territory: string;
}

const cldr = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('cldr-core/supplemental/windowsZones.json'), 'utf8'),
) as { supplemental: { windowsZones: { mapTimezones: { mapZone: MapZone }[] } } };

describe('the Windows time-zone table', () => {
  it('is the installed CLDR release (npm run gen:windows-zones after updating cldr-core)', () => {
    const world = cldr.supplemental.windowsZones.mapTimezones
      .map((entry) => entry.mapZone)
      .filter((zone) => zone._territory === '001');
    expect(world.length).toBeGreaterThan(100);
    expect(WINDOWS_TIME_ZONES).toEqual(
      Object.fromEntries(world.map((zone) => [zone._other, zone._type.split(' ')[0]])),
    );
  });

  it('follows the zones as they are today, not as a hand-kept copy had them', () => {
    // Kazakhstan left UTC+6 in March 2024; Windows' "Central Asia Standard Time" stayed at UTC+6.
    const offset = (zone: string) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(new Date(Date.UTC(2025, 0, 15)))
        .find((part) => part.type === 'timeZoneName')?.value;
    expect(offset(WINDOWS_TIME_ZONES['Central Asia Standard Time']!)).toBe('GMT+06:00');
  });
});
