import type { Hunt } from '../../domain/types';
import { gatewayOf } from '../../extend-ring/context';
import { callerHungUp, logHangUp, stopHunt, transition } from '../../extend-ring/outcomes';
import { CallStatus, QueueResult } from '../../twilio/constants';
import { finishCallLog } from '../call-log';
import { loadHunt, type VoiceContext } from '../context';
import { emptyResponse, hangupResponse, type VoiceResponse } from '../twiml';
import { enterVoicemail } from '../voicemail';
import { callbackIdOf, callbackThanks } from './callback';

/**
 * Extend Ring, the queue exit (the Enqueue action, DESIGN §6 Extend Ring 9, 10): the caller left their queue.
 * `leave` (our own `<Leave/>`) routes them by the hunt's state; `hangup` abandons the hunt; `bridged` comes
 * when the conversation is over; `redirected` follows our REST redirect to voicemail. Twilio most likely ignores
 * that answer and runs the redirect (TWILIO.md, uncertain): the answer is the same voicemail, so the caller gets it
 * under either reading.
 * Once the caller is out for good, the per-call queue is deleted (queues persist in a Twilio account).
 */

export interface QueueExitInput {
  callSid: string;
  queueResult: string;
  queueSid?: string;
}

/** Results after which the caller is no longer in the queue and will not come back to it. */
const LEFT_FOR_GOOD: ReadonlySet<string> = new Set([
  QueueResult.Bridged, QueueResult.Leave, QueueResult.Redirected, QueueResult.RedirectedFromBridged,
  QueueResult.Hangup, QueueResult.Error, QueueResult.SystemError, QueueResult.QueueFull,
]);

export async function onQueueExit(input: QueueExitInput, ctx: VoiceContext): Promise<VoiceResponse> {
  if (input.queueSid && LEFT_FOR_GOOD.has(input.queueResult)) deleteQueue(input.queueSid, input.callSid, ctx);
  switch (input.queueResult) {
    case QueueResult.Bridged:
      await finishCallLog(ctx, input.callSid, 'connected');
      return hangupResponse();
    case QueueResult.Hangup:
      await callerHungUp(input.callSid, ['hunting', 'connected'], ctx);
      return hangupResponse();
    case QueueResult.Redirected:
      return afterRedirect(input.callSid, ctx);
    case QueueResult.RedirectedFromBridged:
    case QueueResult.BridgingInProcess:
      return emptyResponse();
    case QueueResult.Leave:
      return afterLeave(await loadHunt(input.callSid, ctx), ctx);
    default:
      ctx.log.warn({ queueResult: input.queueResult }, 'extend ring: the caller lost their place on hold: voicemail');
      return toVoicemail(await loadHunt(input.callSid, ctx), ctx);
  }
}

/** The caller left on our `<Leave/>`: voicemail, the callback thanks, or hang-up, by what ended the hunt. */
async function afterLeave(hunt: Hunt, ctx: VoiceContext): Promise<VoiceResponse> {
  switch (hunt.state) {
    case 'voicemail':
      return enterVoicemail(hunt, ctx);
    case 'callback':
      // thanked only for a number John will see: the store may have failed between the hunt's move and the number
      // (a read that fails says nothing of that: the number was most likely stored)
      if (await ctx.deps.store.getCallback(callbackIdOf(hunt.callSid)).catch(() => true)) return callbackThanks();
      ctx.log.error('extend ring: the callback number the caller confirmed was never stored: voicemail instead');
      return toVoicemail(hunt, ctx, 'callback');
    case 'abandoned':
    case 'ended':
      return hangupResponse();
    default:
      return toVoicemail(hunt, ctx);
  }
}

/**
 * Our redirects send the caller to voicemail: the same TwiML as the voicemail stage, should Twilio run it. A hunt
 * still `connected` is one whose accepting phone dropped before the bridge: Twilio may request this exit before the
 * app, which takes the caller out of the queue first (acceptedLegEnded), has moved the hunt to voicemail.
 */
async function afterRedirect(callSid: string, ctx: VoiceContext): Promise<VoiceResponse> {
  const hunt = await loadHunt(callSid, ctx);
  return hunt.state === 'voicemail' || hunt.state === 'connected' ? enterVoicemail(hunt, ctx) : emptyResponse();
}

/**
 * A caller out of the queue while hunting, or whose accepting leg vanished before the bridge (or whose callback number
 * was not stored): voicemail, legs ended.
 */
async function toVoicemail(hunt: Hunt, ctx: VoiceContext, ...also: Array<'callback'>): Promise<VoiceResponse> {
  const moved = await transition(hunt.callSid, ['hunting', 'connected', ...also], 'voicemail', ctx);
  if (moved) stopHunt(hunt.callSid, ctx);
  return enterVoicemail(hunt, ctx);
}

function deleteQueue(queueSid: string, callSid: string, ctx: VoiceContext): void {
  ctx.deps.background.run('extend ring: delete the queue', async () => {
    const deleted = await gatewayOf(ctx).deleteQueue(queueSid);
    ctx.log.debug({ queueSid, deleted }, deleted ? 'extend ring: queue deleted' : 'extend ring: queue already gone');
  }, { callSid, queueSid });
}

/**
 * The inbound call is over (the number's status callback, /voice/status): an Extend Ring hunt still hunting was
 * abandoned. The second path besides the Enqueue action's `hangup`, for when that request never arrived.
 */
export async function onCallerCompleted(callSid: string, ctx: VoiceContext): Promise<void> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (hunt?.plan?.mode !== 'extendRing' || hunt.state !== 'hunting') return;
  await callerHungUp(callSid, ['hunting'], ctx);
  // the queue exit would have deleted the queue: it did not come
  if (hunt.queueSid) deleteQueue(hunt.queueSid, callSid, ctx);
}

/**
 * The caller's call ended while their hunt was `connected` (a phone had pressed 1), and the queue exit that says whether
 * they were put through (`bridged`) or hung up first (`hangup`) never came: Twilio does not retry it. A phone put through
 * hangs up with the caller (its `<Dial><Queue>` ends, and nothing follows it); one whose caller was gone before the
 * bridge waits on the empty queue until its Dial times out (30 s, the default). So, 15 s after the caller's end
 * (status.ts ACTION_GRACE_MS), an accepting phone Twilio still has in progress means the caller hung up before being put
 * through: the call was missed. A hunt already `abandoned` had that hang-up recorded (callerHungUp) while the store failed
 * to log it: missed too. True when this settled the call; false when the caller was put through, or it cannot tell.
 */
export async function settleUnbridged(callSid: string, endedAt: number, ctx: VoiceContext): Promise<boolean> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (hunt?.state === 'abandoned') {
    ctx.log.warn('extend ring: the caller hung up before being put through, which the call log had lost: logged now');
    await logHangUp(hunt, ctx, endedAt);
    return true;
  }
  if (hunt?.state !== 'connected' || !ctx.deps.twilio) return false;
  const winner = (await ctx.deps.store.listLegs(callSid)).find((leg) => leg.id === hunt.winner);
  if (winner?.sid === undefined) return false;
  let status: string | undefined;
  try {
    status = await ctx.deps.twilio.callStatus(winner.sid);
  } catch (err) {
    ctx.log.warn({ err, legSid: winner.sid }, 'extend ring: could not look up the phone that accepted: the call log keeps it connected');
    return false;
  }
  if (status !== CallStatus.InProgress) return false;
  ctx.log.warn({ legId: winner.id, legSid: winner.sid }, 'extend ring: the queue exit never came, and the phone that accepted still waits for the caller: never put through');
  return callerHungUp(callSid, ['connected'], ctx, endedAt);
}
