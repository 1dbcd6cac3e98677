/**
 * What the store's deadline set holds for an Extend Ring hunt (one sorted set by due time, swept by every instance,
 * each entry handed to exactly one of them): the CallSid itself is the hunt's max-hold deadline; `<CallSid>/next-round`
 * is the start of a round that waits (legs.ts roundPace), so that it starts even if the instance that paused it stops.
 */

const NEXT_ROUND = '/next-round';
const STEP_CHECK = '/step-check';

export type DueEntry =
  | { kind: 'max-hold'; callSid: string } | { kind: 'next-round'; callSid: string } | { kind: 'step-check'; callSid: string };

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
  if (key.endsWith(STEP_CHECK)) return { kind: 'step-check', callSid: key.slice(0, -STEP_CHECK.length) };
  return key.endsWith(NEXT_ROUND)
    ? { kind: 'next-round', callSid: key.slice(0, -NEXT_ROUND.length) }
    : { kind: 'max-hold', callSid: key };
}
