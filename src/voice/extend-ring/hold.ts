import type { Clock, TimerHandle } from '../../clock';
import type { Hunt } from '../../domain/types';
import { finalStatusOf } from '../../extend-ring/watchdog';
import { callerToVoicemail, deadlineReached } from '../../extend-ring/outcomes';
import { RULE_LIMITS } from '../../domain/rule-schema';
import { loadHunt, UnknownHuntError, type VoiceContext } from '../context';
import { emptyResponse, newResponse, type VoiceResponse } from '../twiml';
import { VoicePath } from '../urls';
import { callbackPrompt } from './callback';
import { RingSpeech } from './speech';

/**
 * Extend Ring, the hold stage (DESIGN §6 Extend Ring 3): the Enqueue waitUrl. Twilio requests it again
 * whenever its TwiML runs out, so each answer is one round: the rule's announcement, the menu (1 voicemail,
 * 2 call back), one play of the hold music. It is also the second line of defence for the max-hold deadline
 * (the sweeper is the first): past it, or once the hunt stopped hunting, the caller `<Leave>`s the queue
 * and the queue exit routes them by the hunt's state.
 */

/** Seconds the hold Gather waits after its prompts before the round ends (and the next one starts). */
export const HOLD_GATHER_SECONDS = 1;

export interface HoldInput {
  /** The queued caller (the inbound call). */
  callSid: string;
  /** The caller's queue (QU…), as Twilio names it in waitUrl requests. */
  queueSid?: string;
  /** Seconds the caller has been in the queue (Twilio's QueueTime). */
  queueTimeSeconds?: number;
}

/**
 * Past the longest maximum hold a rule may set, and a minute more, a caller still on hold leaves the queue whatever
 * the store says or fails to say: a hunt lost with the store's data (and its deadline with it) ends there.
 */
export const HOLD_LIMIT_SECONDS = (RULE_LIMITS.maxHoldMinutesMax + 1) * 60;

/** True once the caller has held past HOLD_LIMIT_SECONDS. */
export function pastHoldLimit(queueTimeSeconds: number | undefined): boolean {
  return queueTimeSeconds !== undefined && queueTimeSeconds >= HOLD_LIMIT_SECONDS;
}

/** The waitUrl. The first request records the queue's SID, through which the caller is later taken to voicemail. */
export async function onHold(input: HoldInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (pastHoldLimit(input.queueTimeSeconds)) {
    ctx.log.error({ queueTime: input.queueTimeSeconds }, 'extend ring: caller on hold past any maximum hold: leaving the queue');
    return leaveTwiml();
  }
  let hunt: Hunt;
  try {
    hunt = await loadHunt(input.callSid, ctx);
  } catch (err) {
    if (!(err instanceof UnknownHuntError)) throw err;
    // the store lost it (a restart without its data): nothing would ever end this hold
    ctx.log.error('extend ring: caller on hold for a hunt the store does not have: leaving the queue');
    return leaveTwiml();
  }
  if (hunt.queueSid === undefined && input.queueSid) {
    await ctx.deps.store.setQueueSid(hunt.callSid, input.queueSid);
  }
  const deadline = hunt.deadline;
  if (hunt.state === 'hunting' && deadline !== undefined && ctx.deps.clock.now() >= deadline) {
    if (await deadlineReached(hunt.callSid, ctx)) return leaveTwiml();
    hunt = await loadHunt(input.callSid, ctx);
  }
  return holdOrLeave(hunt, ctx);
}

export interface HoldDigitsInput extends HoldInput {
  digits?: string;
}

/**
 * A key pressed on hold: 1 → voicemail now; 2 → leave a callback number (while the hunt is still on: one decided a
 * moment ago, e.g. a phone pressed 2, sends the caller where it went instead); anything else → back to hold.
 */
export async function onHoldDigits(input: HoldDigitsInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (input.digits === '2') {
    const hunt = await loadHunt(input.callSid, ctx);
    return hunt.state === 'hunting' ? callbackPrompt(ctx) : holdOrLeave(hunt, ctx);
  }
  if (input.digits !== '1') return emptyResponse();
  if (await callerToVoicemail(input.callSid, ctx, 'the caller chose voicemail while on hold')) return leaveTwiml();
  return holdOrLeave(await loadHunt(input.callSid, ctx), ctx);
}

/**
 * Where a queued caller goes for the hunt's state: hunting → another round of hold; connected → keep holding
 * while the accepting leg is on the line (its `<Dial><Queue>` is about to take the caller), else leave;
 * any other state → leave the queue (the queue exit plays voicemail, the callback thanks, or hangs up).
 */
export async function holdOrLeave(hunt: Hunt, ctx: VoiceContext): Promise<VoiceResponse> {
  if (hunt.state === 'hunting') return holdTwiml(hunt, ctx);
  if (hunt.state === 'connected' && (await acceptingLegLive(hunt, ctx))) return musicOnly(hunt, ctx);
  ctx.log.info({ state: hunt.state }, 'extend ring: caller leaves the queue');
  return leaveTwiml();
}

/** One round of hold: a one-digit Gather around the announcement, the menu and the music. */
export function holdTwiml(hunt: Hunt, ctx: VoiceContext): VoiceResponse {
  const vr = newResponse();
  const gather = vr.gather({ numDigits: 1, timeout: HOLD_GATHER_SECONDS, action: ctx.urls.build(VoicePath.ExtendRingHoldDigits) });
  const announcement = hunt.plan?.holdAnnouncement;
  if (announcement) gather.say(announcement);
  gather.say(RingSpeech.holdMenu);
  gather.play(holdMusicOf(hunt, ctx));
  return vr;
}

/** Hold music without the menu: the safe answer of the hold stage when it cannot read the hunt. */
export function musicOnly(hunt: Hunt | undefined, ctx: VoiceContext): VoiceResponse {
  const vr = newResponse();
  vr.play(hunt ? holdMusicOf(hunt, ctx) : ctx.deps.config.defaultHoldMusicUrl);
  return vr;
}

export function leaveTwiml(): VoiceResponse {
  const vr = newResponse();
  vr.leave();
  return vr;
}

function holdMusicOf(hunt: Hunt, ctx: VoiceContext): string {
  return hunt.plan?.holdMusicUrl ?? ctx.deps.config.defaultHoldMusicUrl;
}

/** The hold stage answers Twilio while it waits: a look-up at Twilio slower than this counts as no news (still live). */
const LOOK_UP_LIMIT_MS = 2000;

/** What `work` resolves with, or undefined when it takes longer than `ms` on the injected clock (it runs on, unawaited). */
function withinMs<T>(clock: Clock, ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: TimerHandle | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = clock.setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([work, late]).finally(() => {
    if (timer) clock.clearTimeout(timer);
  });
}

/**
 * The leg that accepted is still on the line: answered and not done, and — Twilio being asked when the app can, since
 * this is only asked while a caller who should have been put through still holds — not over at Twilio. Its final
 * status callback may have been lost, or the key press that accepted may have been counted after the phone was hung
 * up (a store that answered late): the caller must not hold on with nobody ringing and no deadline left.
 */
async function acceptingLegLive(hunt: Hunt, ctx: VoiceContext): Promise<boolean> {
  const legs = await ctx.deps.store.listLegs(hunt.callSid);
  const winner = legs.find((leg) => leg.id === hunt.winner);
  if (winner?.status !== 'in-progress') return false;
  if (!ctx.deps.twilio || winner.sid === undefined) return true;
  const over = await withinMs(ctx.deps.clock, LOOK_UP_LIMIT_MS, finalStatusOf(winner.sid, ctx));
  if (over !== undefined) ctx.log.warn({ legId: winner.id, legSid: winner.sid, result: over }, 'extend ring: the phone that accepted is no longer on the line');
  return over === undefined;
}
