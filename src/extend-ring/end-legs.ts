import type { Leg } from '../domain/types';
import { CallStatus } from '../twilio/constants';
import { gatewayOf, type RingContext } from './context';

/** Ending the legs of an Extend Ring hunt through REST (used by the outcomes, and by placing a leg too late). */

/**
 * Ends every leg still live except `keep`: `canceled` while queued or ringing, `completed` once answered.
 * A leg still being placed has no SID yet: placeLeg ends it itself when it sees the hunt is over.
 */
export async function endLegs(callSid: string, ctx: RingContext, keep?: string): Promise<void> {
  const legs = await ctx.deps.store.listLegs(callSid);
  const live = legs.filter((leg) => leg.status !== 'done' && leg.sid !== undefined && leg.id !== keep);
  await Promise.all(live.map((leg) => endCall(leg, ctx)));
}

/** Ends one leg through REST. "Already ended" is expected; any other refusal is logged, never thrown. */
export async function endCall(leg: Leg, ctx: RingContext): Promise<void> {
  if (!leg.sid) return;
  const status = leg.status === 'in-progress' ? CallStatus.Completed : CallStatus.Canceled;
  const fields = { legId: leg.id, legSid: leg.sid, status };
  try {
    const ended = await gatewayOf(ctx).endCall(leg.sid, status);
    if (ended) ctx.log.info(fields, 'extend ring: leg ended');
    else ctx.log.debug(fields, 'extend ring: leg had already ended');
  } catch (err) {
    ctx.log.warn({ err, ...fields }, 'extend ring: could not end a leg');
  }
}
