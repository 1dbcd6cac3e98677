import type { Hunt, HuntState } from '../../domain/types';
import { huntWork } from '../../extend-ring/context';
import { sidPatch } from '../../extend-ring/leg-ids';
import { legDone } from '../../extend-ring/legs';
import { legEventFields, MACHINE_RESULT } from '../../extend-ring/leg-log';
import { stopHunt } from '../../extend-ring/outcomes';
import type { ClaimResult } from '../../store/store';
import { MACHINE_ANSWERS } from '../../twilio/constants';
import { logCallEvent } from '../call-log';
import { loadHunt, type VoiceContext } from '../context';
import { WHISPER_GATHER_SECONDS } from '../follow-me';
import { hangupResponse, newResponse, sayAndHangup, type VoiceResponse } from '../twiml';
import { VoicePath } from '../urls';
import { queueNameOf } from './incoming';
import { RingSpeech, whisperText } from './speech';

/**
 * Extend Ring, an answered leg (DESIGN §6 Extend Ring 4–6): the whisper says who is calling and offers
 * 1 (talk) or 2 (send the caller to voicemail), then hangs up — a whisper that simply ended would count as
 * "no key" anyway, and a voicemail box never presses one, so the hunt goes on. A key press is an atomic claim
 * on the hunt: exactly one leg wins; a loser or a late press is told and hung up.
 */

export interface WhisperInput {
  /** The inbound call (`call` of our URL). */
  callSid: string;
  /** The leg (`leg` of our URL). */
  legId: string;
  /** The leg's own CallSid. */
  legSid?: string;
  /** Answering-machine detection's verdict, when the rule asked for it. */
  answeredBy?: string;
}

/** The leg answered. */
export async function onWhisper(input: WhisperInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const hunt = await loadHunt(input.callSid, ctx);
  if (input.answeredBy && MACHINE_ANSWERS.includes(input.answeredBy)) {
    ctx.log.info({ legId: input.legId, answeredBy: input.answeredBy }, 'extend ring: a machine answered the leg: hanging up');
    ctx.deps.background.run('extend ring: machine answered',
      () => legDone(hunt, input.legId, MACHINE_RESULT, huntWork(ctx, hunt.callSid), input.legSid), { callSid: hunt.callSid });
    return hangupResponse();
  }
  if (hunt.state !== 'hunting') return sayAndHangup(tooLate(hunt.state));
  await ctx.deps.store.updateLeg(hunt.callSid, input.legId, { status: 'in-progress', ...sidPatch(input.legSid) });
  await logCallEvent(ctx, hunt.callSid, { type: 'leg-answered', ...legEventFields(hunt, input.legId, input.legSid) });
  const vr = newResponse();
  const action = ctx.urls.build(VoicePath.ExtendRingWhisperDigits, { call: hunt.callSid, leg: input.legId });
  vr.gather({ numDigits: 1, timeout: WHISPER_GATHER_SECONDS, action }).say(whisperText(hunt.userName, hunt.from));
  vr.hangup();
  return vr;
}

export interface WhisperDigitsInput extends WhisperInput {
  digits?: string;
}

/** 1 → bridged to the caller; 2 → the caller goes to voicemail; anything else → this leg hangs up, the hunt goes on. */
export async function onWhisperDigits(input: WhisperDigitsInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (input.digits !== '1' && input.digits !== '2') {
    ctx.log.info({ legId: input.legId, digits: input.digits }, 'extend ring: leg pressed neither 1 nor 2: hanging up');
    return hangupResponse();
  }
  const hunt = await loadHunt(input.callSid, ctx);
  const outcome = input.digits === '1' ? 'connected' : 'voicemail';
  const claim = await ctx.deps.store.claimHunt(hunt.callSid, input.legId, outcome, input.legSid);
  if (claim === 'not-a-leg') {
    ctx.log.warn({ legId: input.legId }, 'extend ring: a key press from a call that is not a live leg of this hunt: ignored');
    return hangupResponse();
  }
  if (claim !== 'claimed') return lostClaim(claim, input, ctx);
  const repeated = hunt.state !== 'hunting';
  if (repeated) ctx.log.info({ legId: input.legId }, 'extend ring: repeated key press of the winning leg: same answer, nothing redone');
  return outcome === 'connected' ? accepted(hunt, input, ctx, repeated) : sentToVoicemail(hunt, input, ctx, repeated);
}

/** This leg won the call with 1: the caller is bridged to it, every other leg stops. */
async function accepted(hunt: Hunt, input: WhisperDigitsInput, ctx: VoiceContext, repeated: boolean): Promise<VoiceResponse> {
  if (!repeated) {
    ctx.log.info({ legId: input.legId }, 'extend ring: leg accepted: bridging');
    const fields = legEventFields(hunt, input.legId, input.legSid);
    await logCallEvent(ctx, hunt.callSid, { type: 'leg-accepted', ...fields });
    await logCallEvent(ctx, hunt.callSid, { type: 'connected', ...fields });
    stopHunt(hunt.callSid, ctx, { keepLeg: input.legId });
  }
  return bridgeTo(hunt);
}

/** This leg won the call with 2: the caller is redirected to voicemail (once), every other leg stops. */
async function sentToVoicemail(hunt: Hunt, input: WhisperDigitsInput, ctx: VoiceContext, repeated: boolean): Promise<VoiceResponse> {
  if (!repeated) {
    ctx.log.info({ legId: input.legId }, 'extend ring: leg sent the caller to voicemail');
    const fields = legEventFields(hunt, input.legId, input.legSid);
    await logCallEvent(ctx, hunt.callSid, { type: 'leg-declined', ...fields, detail: 'sent the caller to voicemail' });
    stopHunt(hunt.callSid, ctx, { keepLeg: input.legId, redirectToVoicemail: true });
  }
  return sayAndHangup(RingSpeech.sentToVoicemail);
}

/** `<Dial><Queue>`: takes the front (and only) caller of this call's queue. */
function bridgeTo(hunt: Hunt): VoiceResponse {
  const vr = newResponse();
  vr.dial().queue(hunt.queueName ?? queueNameOf(hunt.callSid));
  return vr;
}

async function lostClaim(claim: Exclude<ClaimResult, 'claimed' | 'not-a-leg'>, input: WhisperDigitsInput, ctx: VoiceContext): Promise<VoiceResponse> {
  ctx.log.info({ legId: input.legId, claim }, 'extend ring: leg pressed a key too late');
  if (claim === 'gone') return sayAndHangup(RingSpeech.callerHungUp);
  // only to say where the caller went: when the hunt cannot be read, the leg still hears that it came too late
  const hunt = await ctx.deps.store.getHunt(input.callSid).catch(() => null);
  return sayAndHangup(tooLate(hunt?.state ?? 'connected'));
}

/** What a leg that came too late hears: where the caller went. */
function tooLate(state: HuntState): string {
  switch (state) {
    case 'abandoned':
    case 'ended':
      return RingSpeech.callerHungUp;
    case 'voicemail':
      return RingSpeech.callerInVoicemail;
    case 'callback':
      return RingSpeech.callerLeftNumber;
    default:
      return RingSpeech.alreadyAnswered;
  }
}
