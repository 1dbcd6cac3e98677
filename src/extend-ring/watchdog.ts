import type { Hunt, Leg } from '../domain/types';
import { CallStatus, FINAL_CALL_STATUSES } from '../twilio/constants';
import { gatewayOf, type RingContext } from './context';
import { nextRoundKey, stepCheckKey } from './due-keys';
import { continueHunt, legDone, placeStep, STEP_CHECK_SLACK_MS } from './legs';
import { callerHungUp } from './outcomes';

/**
 * The step watchdog (an entry of the deadline set armed with each step, STEP_CHECK_SLACK_MS after its ring time): what
 * Twilio's lost callbacks or a dead instance left undone is looked up at Twilio and done.
 */

/**
 * The step watchdog fell due: every leg of the hunt's current step still not done is looked up through REST. One that
 * Twilio reports over is counted as its status callback would have been (which may move the hunt on); one Twilio does
 * not know is counted as failed. While a leg is live (answered, waiting for Twilio's pacing) or cannot be looked up,
 * the watchdog looks again later. A step with no leg left open that the hunt has not moved on from is moved on from.
 */
export async function checkStep(callSid: string, ctx: RingContext): Promise<void> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (hunt?.state !== 'hunting') return;
  const legs = (await ctx.deps.store.listLegs(callSid)).filter((leg) => leg.cycle === hunt.cycle && leg.step === hunt.step);
  if (legs.length === 0) {
    // a paused round has its own entry: the watchdog looks again once it is due
    const roundAt = await ctx.deps.store.deadlineOf(nextRoundKey(callSid));
    if (roundAt !== undefined) {
      await ctx.deps.store.setDeadline(stepCheckKey(callSid), Math.max(roundAt, ctx.deps.clock.now()) + STEP_CHECK_SLACK_MS);
      return;
    }
    // never recorded: the instance placing it died (or its store write failed) before it could — or the caller was
    // never answered (the store failed as the call came in, its writes landing later): phones ring only for a caller
    // Twilio still has on the line
    const callerOver = await finalStatusOf(callSid, ctx);
    if (callerOver !== undefined) {
      ctx.log.warn({ step: hunt.step, result: callerOver }, 'extend ring: the step was never placed, and the caller is gone: hunt abandoned');
      if (await callerHungUp(callSid, ['hunting'], ctx) && hunt.queueSid) {
        // nothing else will: the queue exit and the caller's status callback that delete it were lost
        await gatewayOf(ctx).deleteQueue(hunt.queueSid);
      }
      return;
    }
    ctx.log.warn({ step: hunt.step, cycle: hunt.cycle }, 'extend ring: the step was never placed: placing it');
    await placeStep(hunt, { step: hunt.step, cycle: hunt.cycle }, ctx);
    return;
  }
  await checkLegs(hunt, legs.filter((leg) => leg.status !== 'done'), ctx);
  // only while the hunt is still at this step: a step placed meanwhile (by this check or a callback) armed its own
  const current = await ctx.deps.store.getHunt(callSid);
  if (current?.state !== 'hunting' || current.step !== hunt.step || current.cycle !== hunt.cycle) return;
  await ctx.deps.store.setDeadline(stepCheckKey(callSid), ctx.deps.clock.now() + STEP_CHECK_SLACK_MS);
}

/** checkStep for the step's legs still open: each is settled from Twilio (or as never placed) where it can be. */
async function checkLegs(hunt: Hunt, open: readonly Leg[], ctx: RingContext): Promise<void> {
  if (open.length === 0) {
    // every leg is done, yet the hunt did not move on: its last result came while it was not hunting (a callback
    // number that could not be stored sends it back to hunting)
    const next = await ctx.deps.store.advanceIdleStep(hunt.callSid);
    if (next) {
      ctx.log.warn(next, 'extend ring: the step was over but the hunt had not moved on: moving on');
      await continueHunt(hunt, next, ctx);
    }
    return;
  }
  for (const leg of open) {
    // a leg still being placed this long after its step began never will be: the instance placing it died, or the
    // store failed as Twilio's refusal was counted
    const result = leg.sid === undefined ? CallStatus.Failed : await finalStatusOf(leg.sid, ctx);
    if (result === undefined) continue;
    ctx.log.warn({ legId: leg.id, legSid: leg.sid, result }, leg.sid === undefined
      ? 'extend ring: a leg was never placed: counted as failed'
      : 'extend ring: a leg ended without its final status callback');
    await legDone(hunt, leg.id, result, ctx, leg.sid);
  }
}

/** A leg's final status as Twilio has it now; failed when Twilio does not know the call; undefined while it is live or unknown to us. */
export async function finalStatusOf(legSid: string, ctx: RingContext): Promise<string | undefined> {
  try {
    const status = await gatewayOf(ctx).callStatus(legSid);
    if (status === undefined) return CallStatus.Failed;
    return (FINAL_CALL_STATUSES as readonly string[]).includes(status) ? status : undefined;
  } catch (err) {
    ctx.log.warn({ err, legSid }, 'extend ring: could not look up a leg at Twilio: taking it as live for now');
    return undefined;
  }
}

