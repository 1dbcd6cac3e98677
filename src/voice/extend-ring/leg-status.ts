import type { Hunt } from '../../domain/types';
import { gatewayOf, huntWork } from '../../extend-ring/context';
import { sidPatch } from '../../extend-ring/leg-ids';
import { continueHunt } from '../../extend-ring/legs';
import { finishLeg } from '../../extend-ring/leg-results';
import { acceptedLegEnded } from '../../extend-ring/outcomes';
import { eventTimeOf, legEventFields, pastLoggedRounds } from '../../extend-ring/leg-log';
import { CallStatus, FINAL_CALL_STATUSES } from '../../twilio/constants';
import { logCallEvent } from '../call-log';
import { loadHunt, type VoiceContext } from '../context';
import { emptyResponse, type VoiceResponse } from '../twiml';

/**
 * Extend Ring, a leg's status callback (DESIGN §6 Extend Ring 7). A final status marks the leg done, counted
 * once; the one that completes the step places the next (in the background). Repeated and reordered
 * callbacks are harmless: the store counts each leg once and a done leg never changes. A leg reported
 * ringing after the hunt ended is cancelled, so nothing keeps ringing.
 */

export interface LegStatusInput {
  callSid: string;
  legId: string;
  legSid?: string;
  callStatus: string;
  /** When the event fired, as Twilio's `Timestamp` says (RFC 2822, whole seconds). */
  timestamp?: string;
}

export async function onLegStatus(input: LegStatusInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const hunt = await loadHunt(input.callSid, ctx);
  // a late callback's line is stamped when its event happened, not when it arrived
  const at = eventTimeOf(input.timestamp, ctx.deps.clock.now(), hunt.createdAt);
  if (FINAL_CALL_STATUSES.includes(input.callStatus as CallStatus)) {
    const next = await finishLeg(hunt, input.legId, input.callStatus, ctx, { legSid: input.legSid, at });
    if (next) ctx.deps.background.run('extend ring: next step', () => continueHunt(hunt, next, huntWork(ctx, hunt.callSid)), { callSid: hunt.callSid });
    if (hunt.state === 'connected' && hunt.winner === input.legId) {
      ctx.deps.background.run('extend ring: the accepting phone ended: was the caller put through?',
        () => acceptedLegEnded(hunt, huntWork(ctx, hunt.callSid)), { callSid: hunt.callSid });
    }
    return emptyResponse();
  }
  if (input.callStatus === CallStatus.InProgress) {
    await ctx.deps.store.updateLeg(hunt.callSid, input.legId, { status: 'in-progress', ...sidPatch(input.legSid) });
  } else if (input.callStatus === CallStatus.Ringing) {
    await legRinging(input, hunt, at, ctx);
  }
  return emptyResponse();
}

async function legRinging(input: LegStatusInput, hunt: Hunt, at: number, ctx: VoiceContext): Promise<void> {
  const { store } = ctx.deps;
  const leg = (await store.listLegs(input.callSid)).find((l) => l.id === input.legId);
  if (!leg || leg.status === 'done' || leg.status === 'in-progress') return;
  if (hunt.state !== 'hunting' && input.legSid) {
    const legSid = input.legSid;
    ctx.log.info({ legId: input.legId }, 'extend ring: leg rings after the hunt ended: cancelling it');
    ctx.deps.background.run('extend ring: cancel a late leg', () => gatewayOf(ctx).endCall(legSid, CallStatus.Canceled),
      { callSid: input.callSid, legSid });
    return;
  }
  if (leg.status === 'ringing') return;
  await store.updateLeg(input.callSid, input.legId, { status: 'ringing', ...sidPatch(input.legSid) });
  if (pastLoggedRounds(leg.id)) return;
  await logCallEvent(ctx, input.callSid, { type: 'leg-ringing', ...legEventFields(hunt, input.legId, input.legSid) }, at);
}
