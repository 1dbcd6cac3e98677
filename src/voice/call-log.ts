import type { CallEvent } from '../domain/types';
import { MISSED_OUTCOMES } from '../notify/events';
import type { VoiceContext } from './context';

/**
 * Appends to the call's timeline (GET /api/calls). The call log is a record, not the call flow: when the
 * store fails here the caller's TwiML must not suffer, so the failure is logged and the stage goes on.
 */
export async function logCallEvent(
  ctx: VoiceContext, callSid: string, event: Omit<CallEvent, 'at'>, at: number = ctx.deps.clock.now(),
): Promise<void> {
  try {
    await ctx.deps.store.appendCallEvent(callSid, { at, ...event });
  } catch (err) {
    ctx.log.warn({ err, event: event.type }, 'call log: could not append event');
  }
}

/**
 * Sets the call's outcome (only the first outcome sticks, so repeats are harmless). Failures are logged.
 * The request that records a missed or abandoned outcome tells the owner (in the background).
 */
export async function finishCallLog(
  ctx: VoiceContext, callSid: string, outcome: string, endedAtMs: number = ctx.deps.clock.now(),
): Promise<void> {
  try {
    const recorded = await ctx.deps.store.finishCall(callSid, outcome, new Date(endedAtMs).toISOString());
    if (recorded && MISSED_OUTCOMES.has(outcome)) ctx.deps.notifier?.callMissed(callSid);
  } catch (err) {
    ctx.log.warn({ err, outcome }, 'call log: could not record the outcome');
  }
}
