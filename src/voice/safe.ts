import type { Hunt } from '../domain/types';
import { callerToVoicemail } from '../extend-ring/outcomes';
import { FINAL_CALL_STATUSES, type CallStatus } from '../twilio/constants';
import { MissingParamError, UnknownHuntError, type VoiceContext } from './context';
import { voicemailHuntFor } from './lost-hunt';
import type { RouteStage } from './route';
import { hangupResponse, sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { enterVoicemail } from './voicemail';

/** Who a caller-side webhook is about: the inbound call, its caller (From) and the business number (To). */
export interface CallerCall {
  callSid?: string;
  from?: string;
  to?: string;
  /** Twilio's CallStatus of the inbound call: a final one means the caller has gone. */
  callStatus?: string;
}

/** The route fallback of the stages that answer the caller: safeCallerTwiml for the call the request is about. */
export const callerFallback: RouteStage = (p, ctx) =>
  safeCallerTwiml({ callSid: p.huntCallSid(), from: p.form('From'), to: p.form('To'), callStatus: p.form('CallStatus') }, ctx);

/**
 * The safest useful TwiML for a caller when something went wrong: voicemail when the hunt can still be read (or, when
 * the store no longer has it, a new one for the number's owner), else a short apology and hang-up. An Extend Ring hunt
 * still hunting ends first (legs, deadline), so that no phone keeps ringing for, and no max-hold redirect cuts off, a
 * caller who is leaving a message. Never throws.
 */
export async function safeCallerTwiml(call: CallerCall, ctx: VoiceContext): Promise<VoiceResponse> {
  const { callSid, from, to } = call;
  if (!callSid) return sayAndHangup(Speech.unavailable);
  // the caller has gone: nobody hears the answer, and no hunt is rebuilt for them
  const live = !FINAL_CALL_STATUSES.includes(call.callStatus as CallStatus);
  try {
    const hunt = (await ctx.deps.store.getHunt(callSid)) ?? (to && live ? await voicemailHuntFor({ callSid, from: from ?? '', to }, ctx) : null);
    if (hunt) {
      await stopExtendRingHunt(hunt, ctx);
      return await enterVoicemail(hunt, ctx);
    }
    if (!live) return hangupResponse();
  } catch (err) {
    ctx.log.error({ err }, 'safe TwiML: hunt unreadable, apologising to the caller');
  }
  return sayAndHangup(Speech.unavailable);
}

async function stopExtendRingHunt(hunt: Hunt, ctx: VoiceContext): Promise<void> {
  if (hunt.plan?.mode !== 'extendRing' || hunt.state !== 'hunting') return;
  try {
    await callerToVoicemail(hunt.callSid, ctx, 'a fallback answers the caller with voicemail');
  } catch (err) {
    ctx.log.error({ err }, 'safe TwiML: could not end the Extend Ring hunt');
  }
}

/** Whether an error is an expected condition (logged at warn) rather than a fault (logged at error). */
export function isExpectedFailure(err: unknown): boolean {
  return err instanceof UnknownHuntError || err instanceof MissingParamError;
}
