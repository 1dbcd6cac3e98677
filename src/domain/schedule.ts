import { DAYS, type Day, type Schedule, type ScheduleWindow } from './types';

/**
 * Whether a rule's schedule covers an instant (DESIGN §4): wall-clock time in the schedule's IANA zone
 * (so DST changes never shift a window); `from` inclusive, `to` exclusive; `from` = `to` is the whole day;
 * a window whose `to` is earlier than its `from` crosses midnight and belongs to its start day.
 * No schedule = always. An unknown time zone throws RangeError (rules are validated before they are stored).
 */
export function scheduleCovers(schedule: Schedule | undefined, instantMs: number): boolean {
  if (!schedule) return true;
  const local = localTime(schedule.timezone, instantMs);
  return schedule.windows.some((window) => windowCovers(window, local));
}

export interface LocalTime {
  day: Day;
  /** Minutes since local midnight, 0..1439. */
  minute: number;
}

export function windowCovers(window: ScheduleWindow, local: LocalTime): boolean {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const today = window.days.includes(local.day);
  if (from === to) return today;
  if (from < to) return today && local.minute >= from && local.minute < to;
  const yesterday = window.days.includes(previousDay(local.day));
  return (today && local.minute >= from) || (yesterday && local.minute < to);
}

/** Day of week and minute of day of an instant, as a wall clock in `timeZone` shows it. */
export function localTime(timeZone: string, instantMs: number): LocalTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Day;
  const hour = Number(part('hour')) % 24;
  return { day, minute: hour * 60 + Number(part('minute')) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function previousDay(day: Day): Day {
  return DAYS[(DAYS.indexOf(day) + DAYS.length - 1) % DAYS.length] as Day;
}
