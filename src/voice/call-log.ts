import type { CallEvent, CallRecord, Hunt } from '../domain/types';
import { MISSED_OUTCOMES } from '../notify/events';
import type { VoiceContext } from './context';

/** A phone that answered and pressed no key when asked to accept: a person who hung up or said nothing, or a voicemail box. */
export const NO_KEY_PRESSED = 'answered, but no key was pressed (someone who hung up, or a voicemail box)';

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
 * The request that records a missed outcome tells the owner (in the background).
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

/**
 * Creates the call's log entry (no change when it exists): incoming, rule, then `first` (the mode's first events),
 * stamped with the hunt's start. True when created, false when the call was already logged, undefined when the store
 * failed (logged).
 */
export async function startCallLog(hunt: Hunt, first: ReadonlyArray<Omit<CallEvent, 'at'>>, ctx: VoiceContext): Promise<boolean | undefined> {
  const plan = hunt.plan;
  const at = hunt.createdAt;
  const events: CallEvent[] = [
    { at, type: 'incoming', detail: hunt.from },
    { at, type: 'rule', detail: plan ? plan.ruleName ?? plan.ruleId : 'no matching rule' },
  ];
  for (const event of first) events.push({ at, ...event });
  const record: CallRecord = {
    callSid: hunt.callSid,
    userId: hunt.userId,
    from: hunt.from,
    to: hunt.to,
    ...(plan ? { ruleId: plan.ruleId, ruleName: plan.ruleName, mode: plan.mode } : {}),
    startedAt: new Date(at).toISOString(),
    events,
  };
  try {
    return await ctx.deps.store.createCall(record);
  } catch (err) {
    ctx.log.warn({ err }, 'call log: could not start the entry');
    return undefined;
  }
}
