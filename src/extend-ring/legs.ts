import type { Hunt, Leg } from '../domain/types';
import { CallStatus } from '../twilio/constants';
import { RestError, type PlaceCallRequest } from '../twilio/gateway';
import { VoicePath } from '../voice/urls';
import { gatewayOf, type RingContext } from './context';
import { nextRoundKey, stepCheckKey } from './due-keys';
import { endCall } from './end-legs';
import { dialTargetOf, legIdOf } from './leg-ids';
import { MACHINE_RESULT, REFUSED_RESULT, stepEvent } from './leg-log';
import { finishLeg, type Next } from './leg-results';
import { nobodyReachable } from './outcomes';

/**
 * The legs of an Extend Ring hunt (DESIGN §6 Extend Ring 2, 7): each step's destinations are called through
 * REST at once; when every leg of the step is done and the hunt is still hunting, the next step follows
 * (after the last one, step 0 of a new cycle). The store decides atomically which call moves the hunt on,
 * so repeated or reordered callbacks place each step once.
 */

/** When no leg of a whole cycle could even be placed (Twilio refusing every call), the next cycle waits this long (see roundPace). */
export const UNPLACED_CYCLE_PAUSE_MS = 5000;

export type { Next };

/** Records the legs of (step, cycle) and places them; does nothing when they were already recorded or the hunt is over. */
export async function placeStep(hunt: Hunt, at: Next, ctx: RingContext): Promise<void> {
  const step = hunt.plan?.steps[at.step];
  if (!step) {
    ctx.log.error({ step: at.step }, 'extend ring: asked to place a step the plan does not have');
    return;
  }
  const legs: Leg[] = step.destinations.map((destination, index) => ({
    id: legIdOf({ ...at, index }), cycle: at.cycle, step: at.step, index, destination, status: 'placing',
  }));
  // the step's call-log event is written with its legs: once, and before any of them can ring
  if (!(await ctx.deps.store.startStep(hunt.callSid, at.step, at.cycle, legs, stepEvent(step, at, ctx.deps.clock.now())))) {
    ctx.log.debug(at, 'extend ring: step already placed, or the hunt is over');
    return;
  }
  // a final status callback can be lost (Twilio does not retry it; a store failure while counting it): once the step
  // should have rung out, the watchdog asks Twilio about its legs (moved for every step: one entry per hunt)
  // best effort: the watchdog is a safety net, and a failed write must not keep the step's phones from being called
  await armStepCheck(hunt.callSid, ctx.deps.clock.now() + step.ringSeconds * 1000 + STEP_CHECK_SLACK_MS, ctx);
  const results = await Promise.allSettled(legs.map((leg) => placeLeg(hunt, leg, step.ringSeconds, ctx)));
  const placed: PlacedLeg[] = [];
  let next: Next | undefined;
  for (const result of results) {
    if (result.status === 'rejected') {
      ctx.log.error({ err: result.reason }, 'extend ring: placing a leg went wrong');
      continue;
    }
    if (result.value.placed) placed.push(result.value.placed);
    next ??= result.value.next;
  }
  ctx.log.info({ ...at, legs: placed, notPlaced: legs.length - placed.length }, 'extend ring: step placed');
  if (next) await continueHunt(hunt, next, ctx);
}

async function armStepCheck(callSid: string, dueMs: number, ctx: RingContext): Promise<void> {
  try {
    await ctx.deps.store.setDeadline(stepCheckKey(callSid), dueMs);
  } catch (err) {
    ctx.log.error({ err }, 'extend ring: could not arm the step watchdog: the step is placed without it');
  }
}

/** How long after a step's ring time its legs' final statuses must have arrived before Twilio is asked (and between asks). */
export const STEP_CHECK_SLACK_MS = 30_000;

/** A leg Twilio accepted, as the step's log line names it. */
interface PlacedLeg {
  legId: string;
  legSid: string;
  to: string;
}

/**
 * One REST call for one leg. Refused → the leg is done as `failed` (which may move the hunt on: `next`).
 * When the hunt stopped hunting while the call was being placed, the new call is ended at once: whoever
 * ended the hunt could not see its SID yet.
 */
async function placeLeg(hunt: Hunt, leg: Leg, ringSeconds: number, ctx: RingContext): Promise<{ placed?: PlacedLeg; next?: Next }> {
  const { to } = leg.destination;
  let sid: string;
  try {
    ({ sid } = await gatewayOf(ctx).placeCall(callRequest(hunt, leg, ringSeconds, ctx)));
  } catch (err) {
    ctx.log.warn({ err, legId: leg.id, to }, 'extend ring: Twilio refused to place a leg: counted as failed');
    return { next: await finishLeg(hunt, leg.id, resultOfRefusal(err), ctx, { why: refusalOf(err) }) };
  }
  const state = await ctx.deps.store.updateLeg(hunt.callSid, leg.id, { sid, status: 'queued' });
  if (state !== 'hunting') {
    ctx.log.info({ legId: leg.id, legSid: sid, state }, 'extend ring: the hunt ended while the leg was placed: ending it');
    await endCall({ ...leg, sid, status: 'queued' }, ctx, hunt);
  }
  return { placed: { legId: leg.id, legSid: sid, to } };
}

/** A 4xx: Twilio made no call (REFUSED_RESULT); otherwise (no answer, a 5xx) it may have made it all the same (failed). */
function resultOfRefusal(err: unknown): string {
  return err instanceof RestError && err.status >= 400 && err.status < 500 ? REFUSED_RESULT : CallStatus.Failed;
}

/** Why a leg could not be placed, as the call log tells its owner: Twilio's own words when it answered. */
function refusalOf(err: unknown): string {
  if (!(err instanceof RestError)) return 'could not be placed';
  if (err.status === 0) return 'Twilio did not answer the request to place it';
  const code = err.code ? `, error ${err.code}` : '';
  const what = err.status >= 500 ? 'Twilio failed to place it' : 'refused by Twilio';
  return `${what} (HTTP ${err.status}${code})${err.reason ? `: ${err.reason.slice(0, 300)}` : ''}`;
}

function callRequest(hunt: Hunt, leg: Leg, ringSeconds: number, ctx: RingContext): PlaceCallRequest {
  const ids = { call: hunt.callSid, leg: leg.id };
  return {
    to: dialTargetOf(leg.destination),
    from: hunt.to,
    url: ctx.urls.build(VoicePath.ExtendRingWhisper, ids),
    // an answer of ours Twilio could not use (a 502 during a deploy) is asked again there, not "an application error"
    fallbackUrl: ctx.urls.build(VoicePath.Fallback, ids),
    timeout: ringSeconds,
    statusCallback: ctx.urls.build(VoicePath.ExtendRingLegStatus, ids),
    ...(hunt.plan?.detectVoicemail ? { machineDetection: true } : {}),
  };
}

/** finishLeg, then the next step when this result moved the hunt on. */
export async function legDone(hunt: Hunt, legId: string, result: string, ctx: RingContext, legSid?: string): Promise<void> {
  const next = await finishLeg(hunt, legId, result, ctx, { legSid });
  if (next) await continueHunt(hunt, next, ctx);
}

/**
 * Places the step the hunt moved to. A new cycle does not always start at once (see roundPace): after a round in
 * which Twilio placed no call, or in which no phone rang out, it waits, so that nobody's phone is called over and over.
 */
export async function continueHunt(hunt: Hunt, next: Next, ctx: RingContext): Promise<void> {
  if (ctx.deps.background.closing) {
    // a shutdown does not wait for a step to be placed (Twilio may be slow): the step watchdog's entry, due once the
    // step before should be over, makes the sweeper of a running instance place it
    ctx.log.info(next, 'extend ring: shutting down: the next step is left to the step watchdog');
    return;
  }
  const pace = next.cycle > 0 && next.step === 0 ? roundPace(hunt, next.cycle, await ctx.deps.store.listLegs(hunt.callSid)) : NOW;
  if (pace.kind === 'give-up') {
    await nobodyReachable(hunt.callSid, ctx);
    return;
  }
  if (pace.kind === 'wait') {
    // in the deadline set, not a timer of this instance: any instance starts the round, even if this one stops
    ctx.log[pace.level]({ ...next, pauseMs: pace.ms }, `extend ring: ${pace.why}: pausing before the next round`);
    const startsAt = ctx.deps.clock.now() + pace.ms;
    // the watchdog waits out the pause, then starts the round should its own entry be lost
    await armStepCheck(hunt.callSid, startsAt + STEP_CHECK_SLACK_MS, ctx);
    // set, not added: the entry of the round being started may still be held (leased) by its own handler
    await ctx.deps.store.setDeadline(nextRoundKey(hunt.callSid), startsAt);
    return;
  }
  await placeStep(hunt, next, ctx);
}

/** `level`: a round Twilio refused is a fault to look into (warn); phones all busy is the day's business (info). */
type Pace = { kind: 'now' } | { kind: 'wait'; ms: number; why: string; level: 'info' | 'warn' } | { kind: 'give-up' };
const NOW: Pace = { kind: 'now' };

/**
 * Results that end a leg before it rang its ringSeconds out: nobody was reached, and no time passed to speak of.
 * A leg Twilio could not place is `failed` or `refused` too.
 */
const CUT_SHORT: ReadonlySet<string> = new Set([CallStatus.Busy, CallStatus.Failed, REFUSED_RESULT, CallStatus.Completed, MACHINE_RESULT]);

/**
 * When cycle `cycle` may start, from the legs of the rounds before it (the store keeps the last two):
 * - no leg of the last round could even be placed: once may be a passing fault (a short pause, then retry); twice in a
 *   row means Twilio refuses these calls (the account, the caller ID), and holding the caller longer helps nobody;
 * - every leg of the last round ended before ringing out (busy, failed, a voicemail box detected, answered and hung up
 *   without a key): the round took seconds, not its ring time. The next one waits for the round's ring time, so a
 *   busy phone is called once per round as when it rings out, not as fast as Twilio places calls.
 */
export function roundPace(hunt: Hunt, cycle: number, legs: readonly Leg[]): Pace {
  const inRound = (round: number): Leg[] => legs.filter((leg) => leg.cycle === round);
  // a leg Twilio reported on was placed, even when its SID could not be stored
  const notPlaced = (leg: Leg): boolean => leg.sid === undefined
    && (leg.result === undefined || leg.result === CallStatus.Failed || leg.result === REFUSED_RESULT);
  const nothingPlaced = (round: number): boolean => {
    const placed = inRound(round);
    return placed.length > 0 && placed.every(notPlaced);
  };
  if (nothingPlaced(cycle - 1)) {
    if (cycle >= 2 && nothingPlaced(cycle - 2)) return { kind: 'give-up' };
    return { kind: 'wait', ms: UNPLACED_CYCLE_PAUSE_MS, why: 'no leg of the last round could be placed', level: 'warn' };
  }
  const last = inRound(cycle - 1);
  if (last.length > 0 && last.every((leg) => CUT_SHORT.has(leg.result ?? ''))) {
    const ringMs = (hunt.plan?.steps ?? []).reduce((sum, step) => sum + step.ringSeconds * 1000, 0);
    return { kind: 'wait', ms: ringMs, why: 'no phone of the last round rang out (busy, failed, a machine or hung up)', level: 'info' };
  }
  return NOW;
}
