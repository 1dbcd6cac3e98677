import type { CallEvent } from '../domain/types';
import type { TimelineEntry } from '../simulator/types';

/** One line of the preview's timeline: seconds since the caller dialled, and what happened in words. */
export interface PreviewEvent {
  at: number;
  text: string;
}

/** How the preview names the parties of the call. */
export interface Parties {
  /** The inbound call's SID. */
  callerSid: string;
  /** The outbound legs by CallSid. */
  legs: ReadonlyMap<string, LegName>;
}

/** How a destination is named: `short` ('Office', 'john (app)') in most lines, `full` ('Office (+15551230001)') when it rings. */
export interface LegName {
  short: string;
  full: string;
}

/** Names a destination from its label and address (Twilio Client identities are marked as the app). */
export function legName(label: string | undefined, to: string, isClient: boolean): LegName {
  const short = label ?? (isClient ? `${to} (app)` : to);
  return { short, full: label ? `${label} (${to})` : short };
}

export const CALLER_NAME = 'Caller';

/**
 * The emulator's timeline in words. What a person would notice is kept (who rings, answers, presses, is connected,
 * hangs up); plumbing is dropped (TwiML fetches, hold-music plays, REST requests, queue bookkeeping).
 */
export function describeEntries(entries: readonly TimelineEntry[], parties: Parties): PreviewEvent[] {
  const events: PreviewEvent[] = [];
  for (const entry of entries) {
    const isCaller = entry.callSid === parties.callerSid;
    const text = isCaller ? callerText(entry) : legText(entry, parties.legs.get(entry.callSid) ?? { short: entry.who, full: entry.who });
    if (text !== undefined) events.push({ at: entry.offset, text });
  }
  return events;
}

function callerText(entry: TimelineEntry): string | undefined {
  switch (entry.event) {
    case 'incoming':
      return `${entry.who} ${entry.detail ?? 'calls'}`;
    case 'enqueued':
      return `${CALLER_NAME} is put on hold and hears the hold music`;
    case 'digits':
      return `${CALLER_NAME} ${pressed(entry.detail)}`;
    case 'recording': {
      const seconds = /^(\d+(?:\.\d+)?) s\b/.exec(entry.detail ?? '')?.[1];
      return seconds ? `${CALLER_NAME} leaves a ${seconds} s message` : `${CALLER_NAME} leaves a message`;
    }
    case 'recording-empty':
      return `${CALLER_NAME} leaves no message`;
    case 'hangup':
      return 'The call ends';
    case 'rejected':
      return 'The call is rejected';
    case 'application-error':
      return `${CALLER_NAME} hears “an application error has occurred” (${entry.detail ?? 'no detail'})`;
    default:
      return undefined;
  }
}

function legText(entry: TimelineEntry, { short: name, full }: LegName): string | undefined {
  switch (entry.event) {
    case 'ringing':
      return `${full} rings`;
    case 'answered':
      return `${name} answers`;
    case 'voicemail-greeting':
      return `Carrier voicemail picks up on ${name}`;
    case 'whisper-digits':
      return `${name} ${pressed(entry.detail)}`;
    case 'bridged':
      return `${CALLER_NAME} connected to ${name}`;
    case 'no-answer':
      return `${name} did not answer`;
    case 'busy':
      return `${name} is busy`;
    case 'failed':
      return `${name} could not be reached`;
    case 'canceled':
      return `${name} stops ringing`;
    case 'hangup':
      return entry.detail === 'hung up' ? `${name} hangs up` : `${name} is hung up`;
    default:
      return undefined;
  }
}

/** "pressed 2" (the emulator's detail) → "presses 2". */
function pressed(detail: string | undefined): string {
  const digits = /pressed (\S+)/.exec(detail ?? '')?.[1];
  return digits ? `presses ${digits}` : 'presses a key';
}

/** The app's own call log, for what only the app knows: when the caller was sent to voicemail, held too long, left a number. */
export function describeCallLog(events: readonly CallEvent[], startedAt: number): PreviewEvent[] {
  const described: PreviewEvent[] = [];
  for (const event of events) {
    const text = callLogText(event);
    if (text !== undefined) described.push({ at: (event.at - startedAt) / 1000, text });
  }
  return described;
}

function callLogText(event: CallEvent): string | undefined {
  switch (event.type) {
    case 'voicemail':
      return `${CALLER_NAME} reaches voicemail`;
    case 'deadline':
      return `Maximum hold time reached${event.detail ? ` (${event.detail})` : ''}`;
    case 'callback':
      return `${CALLER_NAME} leaves a callback number`;
    default:
      return undefined;
  }
}

/** Merges two time-ordered lists; at equal times `first` comes first (the call log says why, after what happened). */
export function mergeEvents(first: readonly PreviewEvent[], second: readonly PreviewEvent[]): PreviewEvent[] {
  const merged: PreviewEvent[] = [];
  let j = 0;
  for (const event of first) {
    while (j < second.length && second[j].at < event.at) merged.push(second[j++]);
    merged.push(event);
  }
  return merged.concat(second.slice(j));
}
