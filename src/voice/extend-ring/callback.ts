import type { CallbackRequest, Hunt } from '../../domain/types';
import { stepCheckKey } from '../../extend-ring/due-keys';
import { STEP_CHECK_SLACK_MS } from '../../extend-ring/legs';
import { stopHunt, transition } from '../../extend-ring/outcomes';
import { logCallEvent } from '../call-log';
import { loadHunt, nowIso, type VoiceContext } from '../context';
import { newResponse, type VoiceResponse } from '../twiml';
import { VoicePath } from '../urls';
import { holdOrLeave, leaveTwiml } from './hold';
import { callbackReadBack, RingSpeech } from './speech';

/**
 * Extend Ring, leaving a callback number while on hold (DESIGN §6 Extend Ring 3): key it in (up to 15 digits,
 * # to finish), hear it read back, 1 to confirm or 2 to enter it again. Confirmed → stored for the owner and
 * the hunt ends (`callback`); the caller leaves the queue and the queue exit thanks them. These answers run
 * inside the hold (waitUrl) TwiML: when one runs out without input, the caller is back on hold.
 */

/** A callback number: the digits of a phone number (E.164 has 7..15). */
const CALLBACK_NUMBER = /^\d{7,15}$/;
const CALLBACK_ENTRY_SECONDS = 10;
const CALLBACK_CONFIRM_SECONDS = 6;

/** The caller pressed 2 on hold: ask for the number. */
export function callbackPrompt(ctx: VoiceContext, preface?: string): VoiceResponse {
  const vr = newResponse();
  if (preface) vr.say(preface);
  const gather = vr.gather({
    numDigits: 15, finishOnKey: '#', timeout: CALLBACK_ENTRY_SECONDS, action: ctx.urls.build(VoicePath.ExtendRingCallbackNumber),
  });
  gather.say(RingSpeech.callbackPrompt);
  vr.say(RingSpeech.callbackNone);
  return vr;
}

export interface CallbackNumberInput {
  callSid: string;
  digits?: string;
}

/** The number keyed in: read back for confirmation, or asked again when it is not a phone number. */
export function onCallbackNumber(input: CallbackNumberInput, ctx: VoiceContext): VoiceResponse {
  const number = input.digits ?? '';
  if (!CALLBACK_NUMBER.test(number)) return callbackPrompt(ctx, RingSpeech.callbackInvalid);
  return readBack(number, ctx);
}

export interface CallbackConfirmInput extends CallbackNumberInput {
  /** The number being confirmed (from our own, signed, URL). */
  number?: string;
}

/** 1 → store the callback and end the hunt; 2 → enter it again; anything else → hear it again. */
export async function onCallbackConfirm(input: CallbackConfirmInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const number = input.number ?? '';
  if (input.digits === '2' || !CALLBACK_NUMBER.test(number)) return callbackPrompt(ctx);
  if (input.digits !== '1') return readBack(number, ctx);
  const hunt = await loadHunt(input.callSid, ctx);
  if (hunt.state !== 'hunting') return holdOrLeave(hunt, ctx);
  // the hunt first: a leg may accept the call meanwhile, and John must not be asked to call back a call he took
  const moved = await transition(hunt.callSid, ['hunting'], 'callback', ctx);
  if (!moved) return holdOrLeave(await loadHunt(input.callSid, ctx), ctx);
  const callback = callbackOf(hunt, number, ctx);
  try {
    await ctx.deps.store.saveCallback(callback);
  } catch (err) {
    // nothing was stopped yet: back to hunting, so that the caller holds on (the route answers hold music), phones ring
    await transition(hunt.callSid, ['callback'], 'hunting', ctx);
    await restoreEntries(hunt, ctx);
    throw err;
  }
  ctx.log.info({ userId: hunt.userId }, 'extend ring: callback number stored, hunt ended');
  ctx.deps.notifier?.callbackLeft(callback);
  await logCallEvent(ctx, hunt.callSid, { type: 'callback', detail: number });
  stopHunt(hunt.callSid, ctx);
  return leaveTwiml();
}

/**
 * The max-hold deadline and the step watchdog of a hunt back from 'callback': one that fell due meanwhile found the
 * hunt not hunting and was let go, or is being let go (a sweeper still holds it, and its release would remove an entry
 * merely kept). Set again, at the hunt's own deadline; best effort, like the watchdog.
 */
async function restoreEntries(hunt: Hunt, ctx: VoiceContext): Promise<void> {
  const { store, clock } = ctx.deps;
  try {
    await Promise.all([
      ...(hunt.deadline !== undefined ? [store.setDeadline(hunt.callSid, hunt.deadline)] : []),
      store.setDeadline(stepCheckKey(hunt.callSid), clock.now() + STEP_CHECK_SLACK_MS),
    ]);
  } catch (err) {
    ctx.log.error({ err }, 'extend ring: could not restore the hunt\'s deadlines after a failed callback number');
  }
}

function readBack(number: string, ctx: VoiceContext): VoiceResponse {
  const vr = newResponse();
  const gather = vr.gather({
    numDigits: 1, timeout: CALLBACK_CONFIRM_SECONDS, action: ctx.urls.build(VoicePath.ExtendRingCallbackConfirm, { number }),
  });
  gather.say(callbackReadBack(number));
  // no key: the caller goes back on hold, and is told the number was not kept
  vr.say(RingSpeech.callbackNotConfirmed);
  return vr;
}

/** One callback request per call (its id derives from the CallSid), so a repeated confirmation replaces, never duplicates. */
export function callbackIdOf(callSid: string): string {
  return `cbk_${callSid}`;
}

function callbackOf(hunt: Hunt, number: string, ctx: VoiceContext): CallbackRequest {
  const now = nowIso(ctx);
  return {
    id: callbackIdOf(hunt.callSid), callSid: hunt.callSid, userId: hunt.userId, from: hunt.from, to: hunt.to, number,
    status: 'open', createdAt: now, updatedAt: now,
  };
}

/** The queue exit's answer once the callback is stored. */
export function callbackThanks(): VoiceResponse {
  const vr = newResponse();
  vr.say(RingSpeech.callbackThanks);
  vr.hangup();
  return vr;
}
