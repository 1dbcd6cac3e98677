/**
 * What the store's deadline set holds for an Extend Ring hunt (one sorted set by due time, swept by every instance,
 * each entry handed to exactly one of them): the CallSid itself is the hunt's max-hold deadline; `<CallSid>/next-round`
 * is the start of a round that waits (legs.ts roundPace), so that it starts even if the instance that paused it stops.
 */

const NEXT_ROUND = '/next-round';

export type DueEntry = { kind: 'max-hold'; callSid: string } | { kind: 'next-round'; callSid: string };

/** The deadline-set key of a hunt's paused next round. */
export function nextRoundKey(callSid: string): string {
  return callSid + NEXT_ROUND;
}

/** What a claimed deadline-set key stands for. */
export function dueEntryOf(key: string): DueEntry {
  return key.endsWith(NEXT_ROUND)
    ? { kind: 'next-round', callSid: key.slice(0, -NEXT_ROUND.length) }
    : { kind: 'max-hold', callSid: key };
}
