import type { Hunt, HuntState } from '../domain/types';
import { finishCallLog, logCallEvent } from '../voice/call-log';
import { VoicePath } from '../voice/urls';
import { gatewayOf, huntWork, type RingContext } from './context';
import { nextRoundKey, redirectKey, stepCheckKey } from './due-keys';
import { endLegs } from './end-legs';
import { legEventFields } from './leg-log';
import { DEADLINE_LEASE_MS } from './sweeper';

/**
 * How an Extend Ring hunt stops hunting. Each outcome is one atomic transition in the store; only the
 * request that made it cleans up (deadline, legs, the caller's redirect), so racing ends never double up.
 */

export interface StopOptions {
  /** A leg to leave alone (the one that accepted the call). */
  keepLeg?: string;
  /** Redirect the queued caller to voicemail through REST (when no TwiML of theirs is being answered). */
  redirectToVoicemail?: boolean;
  /** Leave the max-hold entry to the sweeper's handler holding it (it releases it once the caller is redirected). */
  keepDeadline?: boolean;
}

/**
 * After the hunt left `hunting`, in the background (no webhook waits for REST): the max-hold deadline is
 * cleared, every other leg is ended, and the caller is redirected when asked.
 */
export function stopHunt(callSid: string, ctx: RingContext, options: StopOptions = {}): void {
  ctx.deps.background.run('extend ring: stop the hunt', () => stopHuntNow(callSid, huntWork(ctx, callSid), options), { callSid });
}

/** stopHunt's work: each part runs even when another fails; failures are logged, never thrown. */
async function stopHuntNow(callSid: string, ctx: RingContext, options: StopOptions): Promise<void> {
  const parts: Array<[string, () => Promise<unknown>]> = [
    ['clear the deadlines', () => Promise.all([
      ...(options.keepDeadline ? [] : [ctx.deps.store.removeDeadline(callSid)]),
      ctx.deps.store.removeDeadline(nextRoundKey(callSid)), ctx.deps.store.removeDeadline(stepCheckKey(callSid)),
    ])],
    ['end the legs', () => endLegs(callSid, ctx, options.keepLeg)],
  ];
  if (options.redirectToVoicemail) parts.push(['redirect the caller to voicemail', () => redirectOrRetry(callSid, ctx)]);
  const results = await Promise.allSettled(parts.map(([, run]) => run()));
  results.forEach((result, i) => {
    if (result.status === 'rejected') ctx.log.error({ err: result.reason }, `extend ring: could not ${parts[i]?.[0]}`);
  });
}

/**
 * redirectToVoicemail with a retry: an entry of its own in the deadline set (redirectKey) is set to come due one lease
 * later first, and removed once the caller is moved. Should the redirect fail (Twilio, the store) or this instance stop,
 * the entry falls due and the sweeper of any instance redirects the caller again (redirectAgain), instead of the caller
 * holding until their hold music ends.
 */
async function redirectOrRetry(callSid: string, ctx: RingContext): Promise<void> {
  const { store, clock } = ctx.deps;
  try {
    await store.setDeadline(redirectKey(callSid), clock.now() + DEADLINE_LEASE_MS);
  } catch (err) {
    ctx.log.warn({ err }, 'extend ring: could not arm the redirect\'s retry: redirecting without it');
  }
  await redirectToVoicemail(callSid, ctx);
  await store.removeDeadline(redirectKey(callSid));
}

/**
 * A redirect to voicemail may have failed (redirectOrRetry's entry fell due): a caller whose hunt is in voicemail and who
 * still holds in the queue is moved there. Only through the queue: a whole-call redirect of a caller who did reach
 * voicemail (the first redirect worked, removing the entry did not) would restart the greeting and cut their message.
 */
export async function redirectAgain(callSid: string, ctx: RingContext): Promise<void> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (hunt?.state !== 'voicemail' || !hunt.queueSid) return;
  const moved = await gatewayOf(ctx).dequeueCaller(hunt.queueSid, callSid, ctx.urls.build(VoicePath.Voicemail, { call: callSid }));
  if (moved) ctx.log.warn('extend ring: caller redirected to voicemail on a second try');
}

/**
 * Moves a queued caller to the voicemail stage; their Enqueue action then reports `redirected`. Through the queue
 * (a member update) once its SID is known: a caller whose hold stage has just answered `<Leave/>` (and who is on their
 * way to voicemail through the queue exit) is not in the queue any more, so they are not sent to voicemail twice —
 * a whole-call redirect would restart the greeting and cut their message. The queue SID is unknown only before the
 * first hold request, which Twilio makes as the caller is enqueued.
 */
export async function redirectToVoicemail(callSid: string, ctx: RingContext): Promise<void> {
  const url = ctx.urls.build(VoicePath.Voicemail, { call: callSid });
  const queueSid = (await ctx.deps.store.getHunt(callSid))?.queueSid;
  const gateway = gatewayOf(ctx);
  const moved = queueSid ? await gateway.dequeueCaller(queueSid, callSid, url) : await gateway.redirectCall(callSid, url);
  if (moved) ctx.log.info('extend ring: caller redirected to voicemail');
  else ctx.log.info('extend ring: caller already gone: no redirect to voicemail');
}

/**
 * The leg that accepted the caller (pressed 1) has ended. After a conversation the caller is no longer in the queue, and
 * nothing happens. But should that phone have dropped before the bridge (its answer to the key press lost, the line
 * cut), the caller would hold on, with no phone ringing and no deadline left, until their hold music ran out: a caller
 * still in the queue is taken to voicemail (through the queue: a caller who was put through cannot be moved).
 */
export async function acceptedLegEnded(hunt: Hunt, ctx: RingContext): Promise<void> {
  if (!hunt.queueSid) return;
  const moved = await gatewayOf(ctx).dequeueCaller(hunt.queueSid, hunt.callSid, ctx.urls.build(VoicePath.Voicemail, { call: hunt.callSid }));
  if (!moved) return;
  await transition(hunt.callSid, ['connected'], 'voicemail', ctx);
  ctx.log.warn({ legId: hunt.winner }, 'extend ring: the phone that accepted hung up before the caller was put through: caller sent to voicemail');
  await logCallEvent(ctx, hunt.callSid, {
    type: 'leg-failed', ...(hunt.winner ? legEventFields(hunt, hunt.winner) : {}), detail: 'hung up after pressing 1, before the caller was put through',
  });
}

/**
 * Moves the hunt from one of `from` to `to`; the moved hunt, or null when it was not in one of `from`
 * (someone else decided first) or is unknown.
 */
export function transition(callSid: string, from: HuntState[], to: HuntState, ctx: RingContext): Promise<Hunt | null> {
  return ctx.deps.store.transitionHunt(callSid, from, to);
}

/**
 * Max hold reached (the sweeper's entry, or the hold stage noticing it): a caller still hunting goes to voicemail, and
 * the hunt stops. True when this call moved it. The caller is not redirected here (see maxHoldDue).
 */
export async function deadlineReached(callSid: string, ctx: RingContext, options: Pick<StopOptions, 'keepDeadline'> = {}): Promise<boolean> {
  const hunt = await transition(callSid, ['hunting'], 'voicemail', ctx);
  if (!hunt) return false;
  ctx.log.info({ deadline: hunt.deadline }, 'extend ring: maximum hold reached: caller sent to voicemail');
  await logCallEvent(ctx, callSid, { type: 'deadline', detail: `held ${hunt.plan?.maxHoldMinutes ?? '?'} min` });
  stopHunt(callSid, ctx, options);
  return true;
}

/**
 * The sweeper's max-hold entry fell due: deadlineReached, then the caller, who is on hold, is redirected to voicemail.
 * The redirect is awaited: should it fail (Twilio, the store), the entry stays leased and comes due again, and then
 * the caller — in voicemail past the deadline, still holding — is redirected.
 */
export async function maxHoldDue(callSid: string, ctx: RingContext): Promise<void> {
  if (!(await deadlineReached(callSid, ctx, { keepDeadline: true }))) {
    const hunt = await ctx.deps.store.getHunt(callSid);
    if (hunt?.state !== 'voicemail' || hunt.deadline === undefined || ctx.deps.clock.now() < hunt.deadline) return;
  }
  await redirectToVoicemail(callSid, ctx);
}

/**
 * Twilio refused every leg of two rounds in a row (see legs.ts continueHunt): a hunt still hunting goes to voicemail,
 * logged as an error for whoever runs the app (wrong credentials, a caller ID Twilio does not accept, an outage).
 */
export async function nobodyReachable(callSid: string, ctx: RingContext): Promise<boolean> {
  const hunt = await transition(callSid, ['hunting'], 'voicemail', ctx);
  if (!hunt) return false;
  ctx.log.error('extend ring: Twilio refused every call of two rounds in a row: caller sent to voicemail');
  await logCallEvent(ctx, callSid, { type: 'unreachable', detail: 'Twilio refused every call, two rounds in a row' });
  stopHunt(callSid, ctx, { redirectToVoicemail: true });
  return true;
}

/**
 * The caller is being answered with voicemail (they pressed 1 on hold, or a fallback answers it): a hunt still hunting
 * goes to voicemail and its legs stop; no redirect, the caller's own answer takes them there. True when this call moved it.
 */
export async function callerToVoicemail(callSid: string, ctx: RingContext, why: string): Promise<boolean> {
  const hunt = await transition(callSid, ['hunting'], 'voicemail', ctx);
  if (!hunt) return false;
  ctx.log.info({ why }, 'extend ring: caller sent to voicemail');
  stopHunt(callSid, ctx);
  return true;
}

/**
 * The caller hung up before being bridged: the hunt is abandoned, every leg is ended, and the call is logged
 * as missed. `from`: ['hunting'], or also 'connected' when the caller is known to have left unbridged (a leg had
 * accepted but the bridge had not happened yet). `endedAt`: when the caller hung up, when learnt later (default now).
 * True when this call moved the hunt.
 */
export async function callerHungUp(callSid: string, from: HuntState[], ctx: RingContext, endedAt = ctx.deps.clock.now()): Promise<boolean> {
  const hunt = await transition(callSid, from, 'abandoned', ctx);
  if (!hunt) return false;
  ctx.log.info({ winner: hunt.winner }, 'extend ring: the caller hung up while on hold: missed call');
  await logHangUp(hunt, ctx, endedAt);
  stopHunt(callSid, ctx);
  return true;
}

/** The call log's record of a caller who hung up before being bridged (`endedAt`): the `abandoned` line, and the outcome missed. */
export async function logHangUp(hunt: Hunt, ctx: RingContext, endedAt: number): Promise<void> {
  const detail = hunt.winner ? 'the caller hung up after a phone pressed 1, before being put through' : 'the caller hung up while on hold';
  await logCallEvent(ctx, hunt.callSid, { type: 'abandoned', detail }, endedAt);
  await finishCallLog(ctx, hunt.callSid, 'missed', endedAt);
}
