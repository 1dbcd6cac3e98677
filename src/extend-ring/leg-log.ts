import type { CallEvent, CallEventType, Hunt, Step } from '../domain/types';
import { CallStatus } from '../twilio/constants';
import { describeDestination, destinationOfLeg, parseLegId } from './leg-ids';

/** How an Extend Ring hunt's steps and legs read in the call log (GET /api/calls/:callSid). */

/** The result of a leg answered by a voicemail box (answering-machine detection): hung up at once, not answered. */
export const MACHINE_RESULT = 'machine';

/**
 * The result of a leg Twilio refused outright (a 4xx: no call exists). `failed` is kept for a placement whose outcome is
 * unknown (no answer in time, a 5xx, an instance that died placing it): Twilio may have placed that call all the same.
 */
export const REFUSED_RESULT = 'refused';

/** The call log event of a leg's final result. */
const RESULT_EVENTS: Record<string, CallEventType> = {
  [CallStatus.NoAnswer]: 'leg-no-answer',
  [CallStatus.Busy]: 'leg-busy',
  [CallStatus.Failed]: 'leg-failed',
  [CallStatus.Canceled]: 'leg-canceled',
  [MACHINE_RESULT]: 'leg-machine',
  [REFUSED_RESULT]: 'leg-failed',
};

export function resultEventOf(result: string): CallEventType | undefined {
  return RESULT_EVENTS[result];
}

/**
 * Rounds whose steps and unanswered legs the call log keeps. A long hold on short steps goes round and round (an hour
 * of 5 s steps is 720 rounds): the call log says so once, then keeps only what people did (answered, accepted,
 * declined) and where the caller ended up.
 */
export const LOGGED_ROUNDS = 10;

/** True for a leg of a round past LOGGED_ROUNDS, whose routine events (ringing, no answer …) are not logged. */
export function pastLoggedRounds(legId: string): boolean {
  return (parseLegId(legId)?.cycle ?? 0) >= LOGGED_ROUNDS;
}

/** The call-log event of a step placed at `now`; none past LOGGED_ROUNDS. */
export function stepEvent(step: Step, at: { step: number; cycle: number }, now: number): CallEvent | undefined {
  if (at.cycle > LOGGED_ROUNDS || (at.cycle === LOGGED_ROUNDS && at.step > 0)) return undefined;
  const names = step.destinations.map((d) => d.label ?? d.to).join(', ');
  const detail = at.cycle === LOGGED_ROUNDS ? `${names} (round ${at.cycle + 1}: later rounds are not logged)` : names;
  return { at: now, type: 'step', step: at.step, cycle: at.cycle, detail };
}

/** Past this, a status callback's Timestamp is not believed (a clock set wrong at either end): its arrival stands. */
const TIMESTAMP_TRUST_MS = 5 * 60_000;

/**
 * When a leg's status event happened, for the call log. Twilio's `Timestamp` (RFC 2822, whole seconds) names the second
 * the event fired; its callback may arrive seconds later (callbacks are delayed and reordered). The event happened
 * within that second and no later than the arrival: the latest such time is taken, so a late line is brought back, but
 * never before anything that happened before the event (the step that placed the leg), Twilio's clock and ours being
 * in step. A missing, unreadable or implausible Timestamp leaves the arrival; never before `notBefore` (the call's start).
 */
export function eventTimeOf(timestamp: string | undefined, arrival: number, notBefore: number): number {
  const fired = timestamp === undefined ? NaN : Date.parse(timestamp);
  if (!Number.isFinite(fired) || arrival - fired > TIMESTAMP_TRUST_MS) return arrival;
  return Math.max(notBefore, Math.min(arrival, fired + 999));
}

/** Call log fields naming a leg. */
export function legEventFields(hunt: Hunt, legId: string, legSid?: string): { step?: number; cycle?: number; destination?: string; legSid?: string } {
  const position = parseLegId(legId);
  const destination = describeDestination(destinationOfLeg(hunt, legId));
  return {
    ...(position ? { step: position.step, cycle: position.cycle } : {}),
    ...(destination ? { destination } : {}),
    ...(legSid ? { legSid } : {}),
  };
}
