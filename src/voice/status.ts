import type { CallEvent } from '../domain/types';
import { finishKey } from '../extend-ring/due-keys';
import { FINAL_CALL_STATUSES, type CallStatus } from '../twilio/constants';
import { finishCallLog, logCallEvent } from './call-log';
import type { VoiceContext } from './context';
import { holdOrLeave, musicOnly } from './extend-ring/hold';
import { onCallerCompleted } from './extend-ring/queue-exit';
import { safeCallerTwiml } from './safe';
import { emptyResponse, type VoiceResponse } from './twiml';
import { VoicePath } from './urls';

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
  if (call.mode === 'followMe' && !call.events.some((e) => OUTCOME_EVENTS.has(e.type))) {
    // the caller left during a Dial: only its action (which may come after this callback) says whether they talked;
    // it settles the outcome, and this entry does if it never comes
    await ctx.deps.store.setDeadline(finishKey(input.callSid), ctx.deps.clock.now() + DIAL_ACTION_GRACE_MS);
    ctx.log.info({ callStatus: input.callStatus }, 'call ended during a Dial: its outcome waits for the Dial action');
    return emptyResponse();
  }
  const outcome = outcomeOf(call.events);
  await finishCallLog(ctx, input.callSid, outcome);
  ctx.log.info({ outcome, callStatus: input.callStatus }, 'call ended');
  return emptyResponse();
}

/** How long the end of a Follow Me call that ended during a Dial waits for the Dial action before it is settled without it. */
export const DIAL_ACTION_GRACE_MS = 15_000;

/** A call whose end waited for its Dial action: when that never came, the outcome is what its timeline says. */
export async function settleCall(callSid: string, ctx: VoiceContext): Promise<void> {
  const call = await ctx.deps.store.getCall(callSid);
  if (!call || call.outcome !== undefined) return;
  const outcome = outcomeOf(call.events);
  ctx.log.warn({ outcome }, 'call log: the Dial action never came: outcome from the timeline');
  await finishCallLog(ctx, callSid, outcome);
}

/** Events that say where the caller went. */
const OUTCOME_EVENTS: ReadonlySet<string> = new Set(['connected', 'callback', 'voicemail', 'abandoned']);

/**
 * Where the caller ended up: the last of connected, callback, voicemail, abandoned logged; else missed. The last, not
 * the first: an Extend Ring leg that accepted (connected) and dropped before the bridge leaves the caller in voicemail.
 */
export function outcomeOf(events: readonly CallEvent[]): string {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const type = events[i]?.type;
    if (type && OUTCOME_EVENTS.has(type)) return type;
  }
  return 'missed';
}

export interface FallbackInput {
  callSid?: string;
  errorCode?: string;
  errorUrl?: string;
}

/** /voice/fallback: Twilio could not use one of our answers. Voicemail when the hunt is known, else apology. */
export async function onFallback(input: FallbackInput, ctx: VoiceContext): Promise<VoiceResponse> {
  ctx.log.warn({ errorCode: input.errorCode, errorUrl: input.errorUrl }, 'Twilio fell back after an error');
  if (input.callSid && inWaitContext(input.errorUrl)) return holdAgain(input.callSid, ctx);
  return safeCallerTwiml(input.callSid, ctx);
}

/** Stages that run in an Enqueue's wait context (waitUrl and its Gather actions): Record is not allowed there. */
const WAIT_STAGES: ReadonlySet<string> = new Set([
  VoicePath.ExtendRingHold, VoicePath.ExtendRingHoldDigits, VoicePath.ExtendRingCallbackNumber, VoicePath.ExtendRingCallbackConfirm,
]);

function inWaitContext(errorUrl: string | undefined): boolean {
  if (!errorUrl) return false;
  try {
    return WAIT_STAGES.has(new URL(errorUrl).pathname);
  } catch {
    return false;
  }
}

/** A wait-context request failed: the caller is still queued and the hunt goes on; hold (or leave) as the hold stage would. */
async function holdAgain(callSid: string, ctx: VoiceContext): Promise<VoiceResponse> {
  try {
    const hunt = await ctx.deps.store.getHunt(callSid);
    if (hunt) return await holdOrLeave(hunt, ctx);
  } catch (err) {
    ctx.log.error({ err }, 'fallback: hunt unreadable in the hold context: hold music');
  }
  return musicOnly(undefined, ctx);
}
