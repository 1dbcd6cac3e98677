import type { Hunt, Leg, LegStatus } from '../domain/types';
import { CallStatus, FINAL_CALL_STATUSES } from '../twilio/constants';
import { gatewayOf, type RingContext } from './context';
import { finishLeg } from './leg-results';

/** Ending the legs of an Extend Ring hunt through REST (used by the outcomes, and by placing a leg too late). */

/** Legs Twilio has not reported ringing yet: still waiting to be dialled (Twilio starts one API call a second). */
const NOT_RINGING: ReadonlySet<LegStatus> = new Set<LegStatus>(['placing', 'queued']);

/** The call log's word for a leg canceled before it rang. */
const NEVER_RANG = 'called off before it rang';

/**
 * Ends every leg still live except `keep`: `canceled` while queued or ringing, `completed` once answered.
 * A leg still being placed has no SID yet: placeLeg ends it itself when it sees the hunt is over.
 */
export async function endLegs(callSid: string, ctx: RingContext, keep?: string): Promise<void> {
  const legs = await ctx.deps.store.listLegs(callSid);
  const live = legs.filter((leg) => leg.status !== 'done' && leg.sid !== undefined && leg.id !== keep);
  const hunt = live.length > 0 ? await ctx.deps.store.getHunt(callSid) : null;
  await Promise.all(live.map((leg) => endCall(leg, ctx, hunt ?? undefined)));
}

/**
 * Ends one leg through REST. "Already ended" is expected; any other refusal is logged, never thrown.
 * With `hunt`, a leg this ended is counted done and logged here, from Twilio's answer, rather than left to its status
 * callback, which may never come: a call canceled while Twilio still held it queued gets none (TWILIO.md), and Twilio
 * does not retry a lost one. Should the callback come, it finds the leg counted already. A leg not yet reported ringing
 * never rang; one whose answer is not final yet is left to its callback.
 */
export async function endCall(leg: Leg, ctx: RingContext, hunt?: Hunt): Promise<void> {
  if (!leg.sid) return;
  const status = leg.status === 'in-progress' ? CallStatus.Completed : CallStatus.Canceled;
  const fields = { legId: leg.id, legSid: leg.sid, status };
  let ended: string | false;
  try {
    ended = await gatewayOf(ctx).endCall(leg.sid, status);
  } catch (err) {
    ctx.log.warn({ err, ...fields }, 'extend ring: could not end a leg');
    return;
  }
  if (ended === false) {
    ctx.log.debug(fields, 'extend ring: leg had already ended');
    return;
  }
  ctx.log.info(fields, 'extend ring: leg ended');
  if (!hunt) return;
  const neverRang = NOT_RINGING.has(leg.status);
  if (neverRang) await finishLeg(hunt, leg.id, CallStatus.Canceled, ctx, { legSid: leg.sid, why: NEVER_RANG });
  else if (FINAL_CALL_STATUSES.includes(ended as CallStatus)) await finishLeg(hunt, leg.id, ended, ctx, { legSid: leg.sid });
}
