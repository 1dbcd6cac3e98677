import { stepCheckKey } from '../../extend-ring/due-keys';
import { placeStep, STEP_CHECK_SLACK_MS } from '../../extend-ring/legs';
import type { CallEvent, Hunt } from '../../domain/types';
import type { VoiceContext } from '../context';
import { newResponse, type VoiceResponse } from '../twiml';
import { VoicePath } from '../urls';
import { voicemailTwiml } from '../voicemail';

/**
 * Extend Ring, stage 1 (DESIGN §6 Extend Ring 1): the caller is put on hold in a queue of their own while
 * the legs are placed in the background. `<Dial><Queue>` always takes the front of a queue, so one caller
 * per queue is how an accepting leg reaches exactly this caller.
 */

/** Twilio queue names are at most 64 characters; a CallSid is 34. */
export function queueNameOf(callSid: string): string {
  return `hunt-${callSid}`;
}

/** Deadline (incoming webhook + maxHoldMinutes) and queue of a new hunt. Without REST access the hunt is voicemail from the start. */
export function prepareHunt(hunt: Hunt, ctx: VoiceContext): Hunt {
  if (!ctx.deps.twilio) return { ...hunt, state: 'voicemail' };
  const holdMs = (hunt.plan?.maxHoldMinutes ?? 0) * 60 * 1000;
  return { ...hunt, deadline: hunt.createdAt + holdMs, queueName: queueNameOf(hunt.callSid) };
}

/** Why a hunt that cannot call out starts in voicemail, as the call log shows it to the owner. */
export const NO_CREDENTIALS_DETAIL = 'Extend Ring needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to call your phones';

/** The call-log events of /voice/incoming: a hunt that cannot call out (no REST access) starts in voicemail, saying why. */
export function incomingEvents(hunt: Hunt): Array<Omit<CallEvent, 'at'>> {
  return hunt.state === 'voicemail' ? [{ type: 'voicemail', detail: NO_CREDENTIALS_DETAIL }] : [];
}

/**
 * The max-hold deadline of a hunting hunt, and its first step watchdog, written with the hunt (a repeated webhook's
 * later entries do not move them). Step 1 is placed after the answer, in the background: should this instance die
 * first, the watchdog has any instance place it once it should have rung out. Entries left by a hunt that could not
 * be stored are harmless: the sweeper finds no hunt still hunting.
 */
export async function recordWithHunt(hunt: Hunt, ctx: VoiceContext): Promise<void> {
  if (hunt.state !== 'hunting' || hunt.deadline === undefined) return;
  const ringMs = (hunt.plan?.steps[0]?.ringSeconds ?? 0) * 1000;
  await Promise.all([
    ctx.deps.store.addDeadline(hunt.callSid, hunt.deadline),
    // best effort, like every watchdog write: a safety net must not send a caller to voicemail when it fails
    ctx.deps.store.addDeadline(stepCheckKey(hunt.callSid), hunt.createdAt + ringMs + STEP_CHECK_SLACK_MS).catch((err: unknown) => {
      ctx.log.error({ err }, 'extend ring: could not write the first step watchdog: step 1 is placed without it');
    }),
  ]);
}

/**
 * /voice/incoming: `<Enqueue>` with the hold stage as waitUrl and the queue exit as action. The first request
 * places step 0 without waiting for Twilio's REST API (the deadline was written with the hunt); a repeated request
 * (`log: false`) answers the same TwiML and places nothing. No REST credentials: voicemail, with a logged error.
 */
export async function onIncoming(hunt: Hunt, ctx: VoiceContext, options: { log: boolean }): Promise<VoiceResponse> {
  if (!ctx.deps.twilio) {
    ctx.log.error('extend ring needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to call out: caller sent to voicemail');
    // prepareHunt made it a voicemail hunt, whose event went in with the call log entry (a repeat logs nothing either)
    return voicemailTwiml(hunt, ctx);
  }
  if (options.log && hunt.state === 'hunting') {
    ctx.deps.background.run('extend ring: place step 0', () => placeStep(hunt, { step: 0, cycle: 0 }, ctx), { callSid: hunt.callSid });
  }
  return enqueueTwiml(hunt, ctx);
}

export function enqueueTwiml(hunt: Hunt, ctx: VoiceContext): VoiceResponse {
  const vr = newResponse();
  vr.enqueue({
    waitUrl: ctx.urls.build(VoicePath.ExtendRingHold),
    waitUrlMethod: 'POST',
    action: ctx.urls.build(VoicePath.ExtendRingQueueExit),
    method: 'POST',
  }, hunt.queueName ?? queueNameOf(hunt.callSid));
  return vr;
}
