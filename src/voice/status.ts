import type { CallEvent } from '../domain/types';
import { finishKey } from '../extend-ring/due-keys';
import { FINAL_CALL_STATUSES, type CallStatus } from '../twilio/constants';
import { finishCallLog, logCallEvent } from './call-log';
import type { VoiceContext } from './context';
import { onCallerCompleted, settleUnbridged } from './extend-ring/queue-exit';
import { emptyResponse, type VoiceResponse } from './twiml';

export interface StatusInput {
  callSid: string;
  callStatus: string;
}

/**
 * /voice/status, the number's status callback: when the inbound call is over, its call log entry gets its
 * end and outcome (an Extend Ring caller still on hold abandoned the hunt). Repeated or late callbacks change
 * nothing (only the first outcome sticks).
 */
export async function onStatus(input: StatusInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (!FINAL_CALL_STATUSES.includes(input.callStatus as CallStatus)) return emptyResponse();
  await onCallerCompleted(input.callSid, ctx);
  const call = await ctx.deps.store.getCall(input.callSid);
  if (!call) {
    ctx.log.debug({ callStatus: input.callStatus }, 'status: call without a call log entry (unknown number?)');
    return emptyResponse();
  }
  if (call.events.some((e) => e.type === 'ended')) return emptyResponse();
  await logCallEvent(ctx, input.callSid, { type: 'ended', detail: input.callStatus });
  const waitingFor = call.outcome === undefined ? awaitedAction(call.mode, call.events) : undefined;
  if (waitingFor) {
    // only that action (which may come after this callback) says whether the caller talked or left a message: it
    // settles the outcome, and this entry does if it never comes
    await armFinish(input.callSid, ctx);
    ctx.log.info({ callStatus: input.callStatus, waitingFor }, 'call ended: its outcome waits for the last action');
    return emptyResponse();
  }
  const outcome = finalOutcomeOf(call.events);
  await finishCallLog(ctx, input.callSid, outcome);
  ctx.log.info({ outcome, callStatus: input.callStatus }, 'call ended');
  return emptyResponse();
}

/** How long the end of a call waits for the action that tells how it ended (awaitedAction) before it is settled without it. */
export const ACTION_GRACE_MS = 15_000;

/**
 * When the caller's call ended, the request Twilio may still send that tells how it ended: a Follow Me Dial's action
 * (were they connected?) while no outcome is logged, an Extend Ring queue exit after a phone pressed 1 (were they put
 * through, or did they hang up first?), or the Record action (did they leave a message?) after the greeting. Undefined
 * when the timeline already tells.
 */
function awaitedAction(mode: string | undefined, events: readonly CallEvent[]): 'dial' | 'queue-exit' | 'record' | undefined {
  const last = lastOutcomeEvent(events);
  if (last === undefined) return mode === 'followMe' ? 'dial' : undefined;
  if (mode === 'extendRing' && events[last]?.type === 'connected') return 'queue-exit';
  return leftNoMessage(events) ? 'record' : undefined;
}

/**
 * Settles a call whose end waited for an action (awaitedAction), once it has ended: called by the Record action when it
 * comes (a Dial action settles its call itself), else by the `<CallSid>/finish` deadline-set entry, from the timeline.
 */
export async function settleCall(
  callSid: string, ctx: VoiceContext, by: 'action' | 'deadline' | 'record-action' = 'deadline',
): Promise<void> {
  const call = await ctx.deps.store.getCall(callSid);
  const ended = call?.events.find((e) => e.type === 'ended');
  if (!call || call.outcome !== undefined || !ended) return;
  // the Record action itself says a message was recorded, whether or not its call-log line could be written
  let outcome = by === 'record-action' ? outcomeOf(call.events) : finalOutcomeOf(call.events);
  // with confirm, a Follow Me phone that pressed 1 in the step that was ringing was put through: the Dial action that
  // would have said so is lost (nothing after it says where the caller went)
  const accepted = call.mode === 'followMe' && lastOutcomeEvent(call.events) === undefined ? acceptedInLastStep(call.events) : undefined;
  if (accepted) {
    outcome = 'connected';
    const { step, destination, legSid } = accepted;
    await logCallEvent(ctx, callSid, { type: 'connected', step, ...(destination ? { destination } : {}), ...(legSid ? { legSid } : {}) }, accepted.at);
  }
  // an Extend Ring caller whose phone pressed 1: connected only if they were put through before hanging up
  if (outcome === 'connected' && call.mode === 'extendRing' && await settleUnbridged(callSid, ended.at, ctx)) return;
  if (by === 'deadline') ctx.log.warn({ outcome }, 'call log: the last action never came: outcome from the timeline');
  // the call ended when the status callback said so, not now
  await finishCallLog(ctx, callSid, outcome, ended.at);
}

/**
 * The finish entry is what settles the call when its last action is lost. When the store cannot write it, this
 * instance settles the call itself after the same grace (a repeated status callback would not try again: 'ended' is
 * logged); a restart in between loses that.
 */
async function armFinish(callSid: string, ctx: VoiceContext): Promise<void> {
  try {
    await ctx.deps.store.setDeadline(finishKey(callSid), ctx.deps.clock.now() + ACTION_GRACE_MS);
  } catch (err) {
    ctx.log.warn({ err }, 'call log: could not store the finish entry: this instance settles the call');
    ctx.deps.clock.setTimeout(() => {
      ctx.deps.background.run('call log: settle a call whose finish entry was not stored', () => settleCall(callSid, ctx), { callSid });
    }, ACTION_GRACE_MS);
  }
}

/** The outcome of a call that is over: as outcomeOf, but a caller who reached voicemail and left no message was missed. */
export function finalOutcomeOf(events: readonly CallEvent[]): string {
  return leftNoMessage(events) ? 'missed' : outcomeOf(events);
}

/** A leg-accepted after the last step started: the Dial action of an earlier step did come, and moved on. */
function acceptedInLastStep(events: readonly CallEvent[]): CallEvent | undefined {
  let lastStep = -1;
  events.forEach((e, i) => {
    if (e.type === 'step') lastStep = i;
  });
  return events.slice(lastStep + 1).find((e) => e.type === 'leg-accepted');
}

function lastOutcomeEvent(events: readonly CallEvent[]): number | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) if (OUTCOME_EVENTS.has(events[i]?.type ?? '')) return i;
  return undefined;
}

/** The caller's last stop was voicemail, and no message is logged after it. */
function leftNoMessage(events: readonly CallEvent[]): boolean {
  const last = lastOutcomeEvent(events);
  return last !== undefined && events[last]?.type === 'voicemail' && !events.slice(last + 1).some((e) => e.type === 'voicemail-recorded');
}

/** Events that say where the caller went. */
const OUTCOME_EVENTS: ReadonlySet<string> = new Set(['connected', 'callback', 'voicemail', 'abandoned']);

/**
 * Where the caller ended up: the last of connected, callback, voicemail logged; else missed. The last, not the first:
 * an Extend Ring leg that accepted (connected) and dropped before the bridge leaves the caller in voicemail. A caller
 * who hung up on hold (`abandoned` in the timeline) was missed, as callerHungUp records it: this settles the call when
 * the store failed as that outcome was recorded.
 */
export function outcomeOf(events: readonly CallEvent[]): string {
  const last = lastOutcomeEvent(events);
  const type = last === undefined ? undefined : events[last]?.type;
  return type === undefined || type === 'abandoned' ? 'missed' : type;
}
