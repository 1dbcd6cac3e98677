import { parseLegId } from '../../extend-ring/leg-ids';
import { twimlRejected } from '../../twilio/constants';
import { MissingParamError } from '../context';
import type { WebhookParams } from '../params';
import type { RouteStage } from '../route';
import { callerFallback } from '../safe';
import { emptyResponse, hangupResponse } from '../twiml';
import { intParam, VoicePath, voicePathOf } from '../urls';
import { onCallbackConfirm, onCallbackNumber } from './callback';
import { leaveTwiml, musicOnly, onHold, onHoldDigits, pastHoldLimit } from './hold';
import { onLegStatus } from './leg-status';
import { onQueueExit } from './queue-exit';
import { onWhisper, onWhisperDigits, type WhisperInput } from './whisper';

/** How the voice router registers a stage: path, stage, and the safe answer when the stage fails. */
export type PostStage = (path: VoicePath, stage: RouteStage, fallback: RouteStage) => void;

/** The caller on hold when a stage fails: hold music (the hunt and the sweeper go on), never an error; past any maximum hold, out. */
const holdFallback: RouteStage = (p, ctx) => (pastHoldLimit(queueTimeOf(p)) ? leaveTwiml() : musicOnly(undefined, ctx));
/** A leg when a stage fails: it hangs up; the hunt goes on with the other legs. */
export const legFallback: RouteStage = () => hangupResponse();
const ignoredBody: RouteStage = () => emptyResponse();

/** The stages whose TwiML an answered leg runs (their own routes, and the leg's fallback when Twilio could not use it). */
const LEG_ANSWERS: Partial<Record<VoicePath, RouteStage>> = {
  [VoicePath.ExtendRingWhisper]: (p, ctx) => onWhisper(legInput(p), ctx),
  [VoicePath.ExtendRingWhisperDigits]: (p, ctx) => onWhisperDigits({ ...legInput(p), digits: p.form('Digits') }, ctx),
};

/** The Extend Ring webhooks (DESIGN §6 Extend Ring). Caller stages run in the queue's wait context. */
export function registerExtendRingRoutes(post: PostStage): void {
  post(VoicePath.ExtendRingHold,
    (p, ctx) => onHold({ callSid: p.requiredHuntCallSid(), queueSid: p.form('QueueSid'), queueTimeSeconds: queueTimeOf(p) }, ctx), holdFallback);
  post(VoicePath.ExtendRingHoldDigits, (p, ctx) => onHoldDigits(callerDigits(p), ctx), holdFallback);
  post(VoicePath.ExtendRingCallbackNumber, (p, ctx) => onCallbackNumber(callerDigits(p), ctx), holdFallback);
  post(VoicePath.ExtendRingCallbackConfirm,
    (p, ctx) => onCallbackConfirm({ ...callerDigits(p), number: p.query('number') }, ctx), holdFallback);
  post(VoicePath.ExtendRingQueueExit, (p, ctx) => onQueueExit(queueExitInput(p), ctx), callerFallback);
  for (const [path, stage] of Object.entries(LEG_ANSWERS)) post(path as VoicePath, stage, legFallback);
  post(VoicePath.ExtendRingLegStatus, (p, ctx) => onLegStatus(legStatusInput(p), ctx), ignoredBody);
}

/**
 * /voice/fallback for a leg (our URL names it): Twilio could not use our answer to its whisper or key press (a 502
 * during a deploy, a timeout) and asks again, with the same parameters and ErrorUrl. The same stage answers: a key press
 * already counted gets the same answer (a repeated claim), so a phone that pressed 1 is put through. Anything else
 * (and an answer Twilio fetched but could not run): hang up, the hunt goes on.
 */
export const legFallbackStage: RouteStage = (p, ctx) => {
  const failed = voicePathOf(p.form('ErrorUrl'));
  const errorCode = p.form('ErrorCode');
  ctx.log.warn({ errorCode, errorPath: failed }, 'extend ring: Twilio fell back on a leg: answering it again');
  // an answer Twilio could not run would fail again: the phone is hung up instead of hearing Twilio's error
  const stage = failed && !twimlRejected(errorCode) && LEG_ANSWERS[failed];
  return stage ? stage(p, ctx) : hangupResponse();
};

function queueTimeOf(p: WebhookParams): number | undefined {
  return intParam(p.form('QueueTime'));
}

function callerDigits(p: WebhookParams) {
  return { callSid: p.requiredHuntCallSid(), digits: p.form('Digits') };
}

function queueExitInput(p: WebhookParams) {
  return { callSid: p.requiredHuntCallSid(), queueResult: p.requiredForm('QueueResult'), queueSid: p.form('QueueSid') };
}

/** Requests about a leg: `call` and `leg` come from our own URL, the leg's CallSid from Twilio. */
function legInput(p: WebhookParams): WhisperInput {
  const callSid = p.query('call');
  const legId = p.query('leg');
  if (callSid === undefined) throw new MissingParamError('call');
  // not a leg id of ours (legIdOf): a request we never asked for
  if (legId === undefined || !parseLegId(legId)) throw new MissingParamError('leg');
  return { callSid, legId, legSid: p.form('CallSid'), answeredBy: p.form('AnsweredBy') };
}

function legStatusInput(p: WebhookParams) {
  return { ...legInput(p), callStatus: p.requiredForm('CallStatus'), timestamp: p.form('Timestamp') };
}
