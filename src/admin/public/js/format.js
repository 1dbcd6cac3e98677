/** Formatting shared by the pages: step summaries, durations, dates. Pure functions. */

const MODE_NAMES = { followMe: 'Follow Me', extendRing: 'Extend Ring' };

export function modeName(mode) {
  return MODE_NAMES[mode] ?? mode;
}

/** A destination as people read it: its label or target; a Twilio Client identity is marked "(app)". */
export function destinationName(destination) {
  const name = destination.label || destination.to;
  return destination.type === 'client' ? `${name} (app)` : name;
}

/** "Office 40 s → Home 30 s → Cell + John (app) 30 s": each step's destinations, joined by +, and its ring time. */
export function summariseSteps(steps) {
  return (steps ?? [])
    .map((step) => `${step.destinations.map(destinationName).join(' + ')} ${step.ringSeconds ?? 30} s`)
    .join(' → ');
}

/** Seconds as m:ss (75 → "1:15"). */
export function clockTime(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A duration for people: "45 s", "2 min 5 s". */
export function duration(seconds) {
  if (seconds === undefined || seconds === null) return '';
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO timestamp (or epoch ms) in the viewer's locale; '' when missing. */
export function when(value) {
  if (value === undefined || value === null || value === '') return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

/** A <time> element for an ISO timestamp. */
export function timeElement(h, value) {
  if (!value) return '';
  return h('time', { datetime: new Date(value).toISOString() }, when(value));
}
