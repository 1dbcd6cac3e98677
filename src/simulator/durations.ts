import type { TwimlNode } from './twiml';
import { intAttr } from './twiml';

/**
 * How long things take in virtual time. Say: about 150 words a minute, i.e. 15 characters a second,
 * at least one second. Play: an assumed length per audio file (EmulatorOptions.playSeconds, 30 s default).
 */
export const SAY_CHARS_PER_SECOND = 15;
export const DEFAULT_PLAY_SECONDS = 30;
/** `loop="0"` repeats "until the call ends": Twilio caps it at 1000. */
export const MAX_LOOPS = 1000;
/** Twilio waits at most 15 s for a webhook response. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

export function sayMs(text: string): number {
  return Math.max(1, Math.ceil(text.length / SAY_CHARS_PER_SECOND)) * 1000;
}

export function loopCount(node: TwimlNode): number {
  const n = intAttr(node, 'loop', 1, 0, MAX_LOOPS);
  return n === 0 ? MAX_LOOPS : Math.floor(n);
}

export function seconds(s: number): number {
  return Math.round(s * 1000);
}
