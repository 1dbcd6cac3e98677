import { scheduleCovers } from '../../src/domain/schedule';
import type { Schedule } from '../../src/domain/types';

const NY = 'America/New_York';
const weekdays: Schedule = {
  timezone: NY,
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
};

/** An instant given as UTC ISO text (New York is UTC-5 in winter, UTC-4 in summer). */
const at = (iso: string): number => Date.parse(iso);

describe('a weekday 09:00–17:00 schedule in New York', () => {
  it('covers Tuesday 10:00 New York time', () => {
    expect(scheduleCovers(weekdays, at('2025-01-14T15:00:00Z'))).toBe(true);
  });

  it('does not cover Saturday 10:00', () => {
    expect(scheduleCovers(weekdays, at('2025-01-18T15:00:00Z'))).toBe(false);
  });

  it('starts at 09:00 exactly', () => {
    expect(scheduleCovers(weekdays, at('2025-01-14T14:00:00Z'))).toBe(true);
    expect(scheduleCovers(weekdays, at('2025-01-14T13:59:59Z'))).toBe(false);
  });

  it('is over at 17:00 exactly', () => {
    expect(scheduleCovers(weekdays, at('2025-01-14T21:59:59Z'))).toBe(true);
    expect(scheduleCovers(weekdays, at('2025-01-14T22:00:00Z'))).toBe(false);
  });

  it('follows New York wall-clock time across daylight saving time', () => {
    // Summer (UTC-4): 09:00 local is 13:00 UTC.
    expect(scheduleCovers(weekdays, at('2025-07-15T13:00:00Z'))).toBe(true);
    expect(scheduleCovers(weekdays, at('2025-07-15T12:59:00Z'))).toBe(false);
    // Monday 10 March 2025, the day after clocks sprang forward.
    expect(scheduleCovers(weekdays, at('2025-03-10T13:00:00Z'))).toBe(true);
    // Monday 3 November 2025, the day after clocks fell back (UTC-5 again).
    expect(scheduleCovers(weekdays, at('2025-11-03T13:30:00Z'))).toBe(false);
    expect(scheduleCovers(weekdays, at('2025-11-03T14:00:00Z'))).toBe(true);
  });

  it('judges the day of week in New York, not in UTC', () => {
    // Friday 16:30 in New York is already Saturday in UTC.
    expect(scheduleCovers(weekdays, at('2025-01-17T21:30:00Z'))).toBe(true);
  });
});

describe('a window crossing midnight', () => {
  const lateMonday: Schedule = { timezone: NY, windows: [{ days: ['mon'], from: '22:00', to: '02:00' }] };

  it('covers Monday late evening and the small hours of Tuesday', () => {
    expect(scheduleCovers(lateMonday, at('2025-01-14T03:00:00Z'))).toBe(true); // Mon 22:00
    expect(scheduleCovers(lateMonday, at('2025-01-14T06:30:00Z'))).toBe(true); // Tue 01:30
  });

  it('ends at 02:00 Tuesday', () => {
    expect(scheduleCovers(lateMonday, at('2025-01-14T07:00:00Z'))).toBe(false); // Tue 02:00
  });

  it('does not cover the small hours of Monday (they belong to Sunday)', () => {
    expect(scheduleCovers(lateMonday, at('2025-01-13T06:30:00Z'))).toBe(false); // Mon 01:30
  });

  it('does not cover Tuesday late evening', () => {
    expect(scheduleCovers(lateMonday, at('2025-01-15T03:00:00Z'))).toBe(false); // Tue 22:00
  });

  it('wraps from Sunday night into Monday morning', () => {
    const sundayNight: Schedule = { timezone: NY, windows: [{ days: ['sun'], from: '20:00', to: '06:00' }] };
    expect(scheduleCovers(sundayNight, at('2025-01-13T10:00:00Z'))).toBe(true); // Mon 05:00
    expect(scheduleCovers(sundayNight, at('2025-01-13T11:00:00Z'))).toBe(false); // Mon 06:00
  });
});

describe('a window whose from equals its to', () => {
  const allSaturday: Schedule = { timezone: NY, windows: [{ days: ['sat'], from: '00:00', to: '00:00' }] };

  it('covers the whole of that day, from midnight to the last minute', () => {
    expect(scheduleCovers(allSaturday, at('2025-01-18T05:00:00Z'))).toBe(true); // Sat 00:00
    expect(scheduleCovers(allSaturday, at('2025-01-19T04:59:00Z'))).toBe(true); // Sat 23:59
  });

  it('does not cover the days around it', () => {
    expect(scheduleCovers(allSaturday, at('2025-01-18T04:59:00Z'))).toBe(false); // Fri 23:59
    expect(scheduleCovers(allSaturday, at('2025-01-19T05:00:00Z'))).toBe(false); // Sun 00:00
  });
});

describe('schedules in general', () => {
  it('no schedule means always', () => {
    expect(scheduleCovers(undefined, at('2025-01-18T03:00:00Z'))).toBe(true);
  });

  it('any one of several windows is enough', () => {
    const split: Schedule = {
      timezone: 'Europe/Berlin',
      windows: [
        { days: ['mon'], from: '08:00', to: '12:00' },
        { days: ['mon'], from: '13:00', to: '18:00' },
      ],
    };
    expect(scheduleCovers(split, at('2025-01-13T08:00:00Z'))).toBe(true); // Mon 09:00 Berlin
    expect(scheduleCovers(split, at('2025-01-13T11:30:00Z'))).toBe(false); // Mon 12:30 Berlin (lunch)
    expect(scheduleCovers(split, at('2025-01-13T12:00:00Z'))).toBe(true); // Mon 13:00 Berlin
  });

  it('no windows means never', () => {
    expect(scheduleCovers({ timezone: NY, windows: [] }, at('2025-01-14T15:00:00Z'))).toBe(false);
  });
});
