import { notifyRetryOf, type NotifyRetry } from '../notify/retry-keys';

/**
 * What the store's deadline set holds for an Extend Ring hunt (one sorted set by due time, swept by every instance,
 * each entry handed to exactly one of them): the CallSid itself is the hunt's max-hold deadline; `<CallSid>/next-round`
 * is the start of a round that waits (legs.ts roundPace), so that it starts even if the instance that paused it stops;
 * `<CallSid>/step-check` is a step's watchdog (legs.ts checkStep); `<CallSid>/redirect` retries a redirect of the holding
 * caller to voicemail that may have failed (outcomes.ts redirectOrRetry). Besides hunts, `<CallSid>/finish` is a Follow Me
 * call's end waiting for its last Dial action (voice/status.ts), and `<CallSid>/recording/<RE…>` a voicemail to look up
 * at Twilio should its recording callback not store it (voice/voicemail.ts checkRecording); `notify/…` is a notification's
 * next attempt (notify/retry-keys.ts).
 */

const NEXT_ROUND = '/next-round';
const STEP_CHECK = '/step-check';
const FINISH = '/finish';
const REDIRECT = '/redirect';
const RECORDING = /^(.+)\/recording\/(RE[0-9a-fA-F]{32})$/;

export type DueEntry =
  | { kind: 'max-hold' | 'next-round' | 'step-check' | 'finish' | 'redirect'; callSid: string }
  | { kind: 'recording-check'; callSid: string; recordingSid: string }
  | { kind: 'notify'; retry: NotifyRetry }
  /** A key of a shape this version does not know (`<something>/<unknown kind>`): one a newer version stored. */
  | { kind: 'unknown'; key: string };

/** The deadline-set key of a voicemail recording to look up at Twilio, should its recording callback not store it. */
export function recordingCheckKey(callSid: string, recordingSid: string): string {
  return `${callSid}/recording/${recordingSid}`;
}

/** The deadline-set key of a redirect to voicemail to try again should it have failed. */
export function redirectKey(callSid: string): string {
  return callSid + REDIRECT;
}

/** The deadline-set key of a call whose end is settled once its Dial action had the time to come. */
export function finishKey(callSid: string): string {
  return callSid + FINISH;
}

/** The deadline-set key of a hunt's step watchdog: legs whose final status callback never arrived are asked about. */
export function stepCheckKey(callSid: string): string {
  return callSid + STEP_CHECK;
}

/** The deadline-set key of a hunt's paused next round. */
export function nextRoundKey(callSid: string): string {
  return callSid + NEXT_ROUND;
}

/** What a claimed deadline-set key stands for. */
export function dueEntryOf(key: string): DueEntry {
  const retry = notifyRetryOf(key);
  if (retry) return { kind: 'notify', retry };
  const recording = RECORDING.exec(key);
  if (recording) return { kind: 'recording-check', callSid: recording[1]!, recordingSid: recording[2]! };
  if (key.endsWith(STEP_CHECK)) return { kind: 'step-check', callSid: key.slice(0, -STEP_CHECK.length) };
  if (key.endsWith(FINISH)) return { kind: 'finish', callSid: key.slice(0, -FINISH.length) };
  if (key.endsWith(REDIRECT)) return { kind: 'redirect', callSid: key.slice(0, -REDIRECT.length) };
  if (key.endsWith(NEXT_ROUND)) return { kind: 'next-round', callSid: key.slice(0, -NEXT_ROUND.length) };
  // every other kind is `<CallSid>/<kind>`: a bare CallSid is the max-hold deadline
  return key.includes('/') ? { kind: 'unknown', key } : { kind: 'max-hold', callSid: key };
}
