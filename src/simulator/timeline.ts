import type { Clock } from '../clock';
import type { TimelineEntry, TimelineEvent } from './types';

/** Events that explain how a call went; formatTimeline() shows these by default. */
const QUIET: ReadonlySet<TimelineEvent> = new Set<TimelineEvent>(['say', 'play', 'pause']);

/** What happened, when, to whom: the story of every call the emulator carried, in virtual time. */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private origin?: number;

  constructor(private readonly clock: Clock) {}

  /** Offsets are counted from the first call placed (or created through the API). */
  markOrigin(): void {
    this.origin ??= this.clock.now();
  }

  add(callSid: string, who: string, event: TimelineEvent, detail?: string): TimelineEntry {
    const at = this.clock.now();
    this.markOrigin();
    const entry: TimelineEntry = {
      at,
      offset: (at - (this.origin ?? at)) / 1000,
      callSid,
      who,
      event,
      ...(detail !== undefined ? { detail } : {}),
    };
    this.entries.push(entry);
    return entry;
  }

  /** One line per event: "0:40  Home (+15551230002)  ringing". `verbose` adds what each party heard. */
  format(opts: { verbose?: boolean } = {}): string {
    const shown = this.entries.filter((e) => opts.verbose || !QUIET.has(e.event));
    const whoWidth = Math.max(0, ...shown.map((e) => e.who.length));
    return shown
      .map((e) => {
        const time = formatOffset(e.offset).padStart(6);
        const detail = e.detail ? `  ${e.detail}` : '';
        return `${time}  ${e.who.padEnd(whoWidth)}  ${e.event}${detail}`;
      })
      .join('\n');
  }
}

/** A webhook URL as the timeline shows it: the path only (the origin is the app's, the query its own bookkeeping). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** 0:05, 1:40, 1:02:03 — fractions of a second are shown only when present. */
export function formatOffset(seconds: number): string {
  const whole = Math.floor(seconds);
  const frac = seconds - whole;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0') + (frac > 0.0005 ? frac.toFixed(1).slice(1) : '');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How a party is named in the timeline. */
export function describeParty(address: string, label?: string): string {
  return label ? `${label} (${address})` : address;
}
