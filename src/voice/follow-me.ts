import { E164_PATTERN } from '../domain/rule-schema';
import { isWithheldCaller, spokenCaller } from '../domain/speech';
import type { CallEvent, Destination, Hunt, HuntPlan, Step } from '../domain/types';
import { describeDestination, dialTargetOf } from '../extend-ring/leg-ids';
import { DialCallStatus, FINAL_CALL_STATUSES, type CallStatus } from '../twilio/constants';
import { finishCallLog, logCallEvent, NO_KEY_PRESSED } from './call-log';
import { loadHunt, type VoiceContext } from './context';
import { acceptedAt, destinationLogged, readCallLog, soleDestination, unconnectedEvents } from './follow-me-log';
import { emptyResponse, hangupResponse, newResponse, type VoiceResponse } from './twiml';
import { VoicePath } from './urls';
import { enterVoicemail } from './voicemail';

/**
 * Follow Me (DESIGN §6): the caller hears ringing while each step's destinations ring together in one
 * `<Dial>`; the Dial action moves to the next step until someone is connected, then voicemail.
 * The plan always comes from the hunt snapshot, so editing the rule never changes a call in progress.
 */

/** Seconds a whispered callee has to press a key after the announcement. */
export const WHISPER_GATHER_SECONDS = 6;

/**
 * The call-log events of /voice/incoming for a Follow Me hunt: step 0 rings (voicemail for a plan without steps).
 * They go into the call log entry as it is created (ModeHandler.incomingEvents), so onIncoming logs nothing.
 */
export function incomingEvents(hunt: Hunt): Array<Omit<CallEvent, 'at'>> {
  const first = hunt.plan?.steps[0];
  return [first ? stepEvent(0, first) : { type: 'voicemail' }];
}

/** /voice/incoming for a Follow Me hunt: step 0, the same for a repeated incoming webhook. */
export function onIncoming(hunt: Hunt, ctx: VoiceContext): Promise<VoiceResponse> {
  return dialStep(hunt, 0, ctx, false);
}

export interface DialActionInput {
  /** The inbound call (the Dial's parent). */
  callSid: string;
  /** The step whose Dial ended (from our action URL). */
  step: number;
  dialCallStatus: string;
  dialBridged?: string;
  dialCallSid?: string;
  /** The inbound call's own status: final when the caller has hung up. */
  callStatus?: string;
  /** Seconds the dialled leg was connected (Twilio's DialCallDuration). */
  dialCallDuration?: number;
}

/** The Dial of step N ended: connected → hang up; otherwise the next step, or voicemail after the last. */
export async function onDialAction(input: DialActionInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const hunt = await loadHunt(input.callSid, ctx);
  const plan = hunt.plan;
  if (plan?.mode !== 'followMe') {
    ctx.log.warn({ mode: plan?.mode }, 'follow me: dial action for a hunt that is not Follow Me');
    return enterVoicemail(hunt, ctx);
  }
  // with confirm, the call log names the leg (from its whisper) and tells when it accepted
  const logged = plan.confirm ? await readCallLog(input.callSid, ctx) : null;
  const destination = destinationLogged(input, logged) ?? describeDestination(soleDestination(plan, input.step));
  const leg = { step: input.step, ...(destination ? { destination } : {}), ...(input.dialCallSid ? { legSid: input.dialCallSid } : {}) };
  if (await wasConnected(input, plan, ctx)) {
    ctx.log.info(leg, 'follow me: connected');
    // the Dial action comes when the conversation is over: the caller was connected DialCallDuration seconds ago, or,
    // with confirm (DialCallDuration then includes the whisper), when the leg pressed 1
    const now = ctx.deps.clock.now();
    const connectedAt = acceptedAt(input, logged) ?? (input.dialCallDuration !== undefined ? now - input.dialCallDuration * 1000 : now);
    await logCallEvent(ctx, hunt.callSid, { type: 'connected', ...leg }, connectedAt);
    await finishCallLog(ctx, hunt.callSid, 'connected');
    return hangupResponse();
  }
  const callerGone = FINAL_CALL_STATUSES.includes(input.callStatus as CallStatus);
  for (const event of unconnectedEvents(input, plan, leg, logged, callerGone)) await logCallEvent(ctx, hunt.callSid, event);
  if (callerGone) {
    ctx.log.info(leg, 'follow me: the caller hung up while the phones rang');
    await finishCallLog(ctx, hunt.callSid, 'missed');
    return hangupResponse();
  }
  return dialStep(hunt, input.step + 1, ctx, true);
}

export interface WhisperInput {
  /** The inbound call (our URL's `call`). */
  callSid: string;
  /** The answered leg. */
  legSid?: string;
  /** Who the answered leg called (Twilio's `To` of the leg): names the destination in the call log. */
  to?: string;
  step: number;
}

/** Runs on the answering phone before the bridge: who is calling, press 1. No key → the leg hangs up. */
export async function onWhisper(input: WhisperInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const hunt = await loadHunt(input.callSid, ctx);
  await logCallEvent(ctx, hunt.callSid, { type: 'leg-answered', ...legOf(input, hunt) });
  return whisperTwiml(input, ctx, `Call for ${hunt.userName} from ${spokenCaller(hunt.from)}.`);
}

/** The whisper when the hunt cannot be read: still lets the callee accept, without the names. */
export function anonymousWhisper(input: WhisperInput, ctx: VoiceContext): VoiceResponse {
  return whisperTwiml(input, ctx, 'Incoming call.');
}

export interface WhisperDigitsInput extends WhisperInput {
  digits?: string;
}

/** 1 → empty Response: the leg is bridged. Anything else, or no key → Hangup: this leg drops, the others ring on. */
export async function onWhisperDigits(input: WhisperDigitsInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const accepted = input.digits === '1';
  const hunt = await ctx.deps.store.getHunt(input.callSid).catch(() => null);
  // the Gather asks for its action without a key too (actionOnEmptyResult): a voicemail box, or someone who said nothing
  const noKey = !input.digits ? { detail: NO_KEY_PRESSED } : {};
  await logCallEvent(ctx, input.callSid, { type: accepted ? 'leg-accepted' : 'leg-declined', ...legOf(input, hunt ?? undefined), ...noKey });
  // ctx.log names the leg's SID already
  const { legSid: _legSid, ...leg } = legOf(input);
  ctx.log.info({ ...leg, accepted }, 'follow me: whisper answered');
  return accepted ? emptyResponse() : hangupResponse();
}

/** The Dial of step N, or voicemail once every step has been tried. */
async function dialStep(hunt: Hunt, step: number, ctx: VoiceContext, log: boolean): Promise<VoiceResponse> {
  const plan = hunt.plan;
  const current = plan?.steps[step];
  if (!plan || !current) return enterVoicemail(hunt, ctx, { log });
  if (log) await logCallEvent(ctx, hunt.callSid, stepEvent(step, current));
  const vr = newResponse();
  const dial = vr.dial({
    action: ctx.urls.build(VoicePath.FollowMeDialAction, { step }),
    timeout: current.ringSeconds,
    answerOnBridge: true,
    callerId: callerIdOf(hunt, plan),
  });
  const whisper = plan.confirm ? { url: ctx.urls.build(VoicePath.FollowMeWhisper, { call: hunt.callSid, step }) } : {};
  for (const destination of current.destinations) addNoun(dial, destination, whisper);
  return vr;
}

/** Step N starts ringing: which phones (their labels, or their numbers). */
function stepEvent(step: number, current: Step): Omit<CallEvent, 'at'> {
  return { type: 'step', step, detail: current.destinations.map((d) => d.label ?? d.to).join(', ') };
}

type Dial = ReturnType<VoiceResponse['dial']>;

function addNoun(dial: Dial, destination: Destination, attributes: { url?: string }): void {
  switch (destination.type) {
    case 'number':
      dial.number(attributes, destination.to);
      break;
    case 'client':
      dial.client(attributes, destination.to);
      break;
    case 'sip':
      dial.sip(attributes, destination.to);
      break;
  }
}

/** The caller's number when the rule says so and it is a real number (not a withheld one); otherwise the business number. */
function callerIdOf(hunt: Hunt, plan: HuntPlan): string {
  return plan.callerId === 'caller' && E164_PATTERN.test(hunt.from) && !isWithheldCaller(hunt.from) ? hunt.from : hunt.to;
}

/**
 * Connected = answered and bridged, and (with confirm) accepted in the whisper. Twilio's DialBridged
 * settles it when present; without it, a confirming rule looks for the leg's acceptance in the call log.
 */
async function wasConnected(input: DialActionInput, plan: HuntPlan, ctx: VoiceContext): Promise<boolean> {
  if (input.dialCallStatus !== DialCallStatus.Completed) return false;
  if (input.dialBridged === 'false') return false;
  if (input.dialBridged === 'true' || !plan.confirm) return true;
  const call = await ctx.deps.store.getCall(input.callSid);
  return call?.events.some((e) => e.type === 'leg-accepted' && e.step === input.step) ?? false;
}

function legOf(input: WhisperInput, hunt?: Hunt): { step: number; destination?: string; legSid?: string } {
  const destination = hunt && input.to !== undefined
    ? describeDestination(hunt.plan?.steps[input.step]?.destinations.find((d) => dialTargetOf(d) === input.to))
    : undefined;
  return { step: input.step, ...(destination ? { destination } : {}), ...(input.legSid ? { legSid: input.legSid } : {}) };
}

function whisperTwiml(input: WhisperInput, ctx: VoiceContext, announcement: string): VoiceResponse {
  const vr = newResponse();
  const gather = vr.gather({
    numDigits: 1,
    timeout: WHISPER_GATHER_SECONDS,
    action: ctx.urls.build(VoicePath.FollowMeWhisperDigits, { call: input.callSid, step: input.step }),
    // no key is news too: the call log says so when it happens, not when the whole step's Dial ends
    actionOnEmptyResult: true,
  });
  gather.say(`${announcement} Press 1 to accept.`);
  vr.hangup();
  return vr;
}
