import { twimlRejected } from '../twilio/constants';
import type { VoiceContext } from './context';
import { holdOrLeave, musicOnly } from './extend-ring/hold';
import type { WebhookParams } from './params';
import { answerStage, type RouteStage } from './route';
import { safeCallerTwiml } from './safe';
import type { VoiceResponse } from './twiml';
import { VoicePath, voicePathOf } from './urls';

/** A stage as the voice router registered it: the stage, and the safe answer of its route when the stage fails. */
export interface StageRoute {
  stage: RouteStage;
  fallback: RouteStage;
}

/**
 * The caller-facing stages that /voice/fallback answers again when Twilio could not use their answer (a 502 during a
 * deploy, a timeout): Twilio sends the failed request's parameters again, with ErrorUrl, and every stage is idempotent
 * (a repeated webhook changes nothing more), so the caller goes on where the call was: the next step after a Dial that
 * was not answered, a hang-up after a conversation or a message, the callback thanks, hold. Not /voice/incoming nor
 * /voice/voicemail: voicemail is the safe answer to them. Status and recording callbacks run no TwiML; a leg's stages
 * have their own fallback URL (legFallbackStage).
 */
const ANSWERED_AGAIN: ReadonlySet<VoicePath> = new Set([
  VoicePath.FollowMeDialAction, VoicePath.VoicemailRecorded, VoicePath.ExtendRingQueueExit, VoicePath.ExtendRingHold,
  VoicePath.ExtendRingHoldDigits, VoicePath.ExtendRingCallbackNumber, VoicePath.ExtendRingCallbackConfirm,
]);

/**
 * /voice/fallback, the number's fallback URL: Twilio could not retrieve or execute one of our answers to the caller's
 * call. A stage of ours in ANSWERED_AGAIN (ErrorUrl under PUBLIC_BASE_URL) answers again, with the query of its URL
 * (`step` …); should it fail again, its route's safe answer. Anything else: voicemail when the hunt is known, else an
 * apology (hold music for a request of the queue's wait context, where Record is not allowed).
 */
export async function onFallback(p: WebhookParams, ctx: VoiceContext, stages: ReadonlyMap<VoicePath, StageRoute>): Promise<VoiceResponse> {
  const errorUrl = p.form('ErrorUrl');
  const failed = ctx.urls.parse(errorUrl);
  ctx.log.warn({ errorCode: p.form('ErrorCode'), errorUrl }, 'Twilio fell back after an error');
  const route = failed && ANSWERED_AGAIN.has(failed.path) && !twimlRejected(p.form('ErrorCode')) ? stages.get(failed.path) : undefined;
  if (failed && route) return answerStage(route.stage, route.fallback, p.at(failed.query), ctx, failed.path);
  const callSid = p.form('CallSid');
  if (callSid && inWaitContext(errorUrl)) return holdAgain(callSid, ctx);
  return safeCallerTwiml({ callSid, from: p.form('From'), to: p.form('To') }, ctx);
}

/** Stages that run in an Enqueue's wait context (waitUrl and its Gather actions): Record is not allowed there. */
const WAIT_STAGES: ReadonlySet<string> = new Set([
  VoicePath.ExtendRingHold, VoicePath.ExtendRingHoldDigits, VoicePath.ExtendRingCallbackNumber, VoicePath.ExtendRingCallbackConfirm,
]);

function inWaitContext(errorUrl: string | undefined): boolean {
  const path = voicePathOf(errorUrl);
  return path !== undefined && WAIT_STAGES.has(path);
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
