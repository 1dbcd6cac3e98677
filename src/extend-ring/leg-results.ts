import type { FinishLegResult } from '../store/store';
import type { Hunt, HuntState } from '../domain/types';
import { CallStatus } from '../twilio/constants';
import { logCallEvent, NO_KEY_PRESSED } from '../voice/call-log';
import type { RingContext } from './context';
import { legEventFields, pastLoggedRounds, resultEventOf } from './leg-log';

/** How a leg of an Extend Ring hunt is counted done and told in the call log (its status callback, or the app ending it). */

export type Next = NonNullable<FinishLegResult['next']>;

/** How finishLeg's call-log line names and tells the leg's end. */
export interface LegEndLog {
  /** The leg's CallSid, when known. */
  legSid?: string;
  /** Replaces the result in the line's detail (e.g. Twilio's refusal). */
  why?: string;
  /** When the leg ended (default: now), e.g. from its status callback's Timestamp (leg-log.ts eventTimeOf). */
  at?: number;
}

/**
 * A leg that ended `completed` once the hunt was over, and was not the one that took the caller: it had answered (its
 * whisper playing, or a late key press told "already answered") and was hung up, because of where the caller went.
 */
const HUNG_UP: Partial<Record<HuntState, string>> = {
  connected: 'hung up: another phone took the call',
  voicemail: 'hung up: the caller went to voicemail',
  callback: 'hung up: the caller left a callback number',
  abandoned: 'hung up: the caller had hung up',
  ended: 'hung up: the call was over',
};

/**
 * A leg's final result, counted once (repeats and late callbacks change nothing), and logged: a leg that
 * ends `completed` while `hunt` (as read before) was still hunting was answered without being accepted.
 * Returns where the hunt moves next when this result was the one that moved it, without placing it.
 */
export async function finishLeg(
  hunt: Hunt, legId: string, result: string, ctx: RingContext, logged: LegEndLog = {},
): Promise<Next | undefined> {
  const { legSid, why, at } = logged;
  const { counted, next } = await ctx.deps.store.finishLeg(hunt.callSid, legId, result);
  if (!counted) {
    ctx.log.debug({ legId, result }, 'extend ring: leg result already counted');
    return undefined;
  }
  // ended `completed` while hunting: answered but not accepted (a person, or a box that picked up)
  const declined = result === CallStatus.Completed && hunt.state === 'hunting';
  const dropped = result === CallStatus.Completed && !declined && hunt.winner !== legId ? HUNG_UP[hunt.state] : undefined;
  const type = declined ? 'leg-declined' : dropped ? 'leg-ended' : resultEventOf(result);
  const detail = declined ? NO_KEY_PRESSED : dropped ?? why ?? result;
  const { destination } = legEventFields(hunt, legId);
  // as the call log has it: which phone, and why it did not take the caller
  ctx.log.info({ legId, ...(destination ? { destination } : {}), result, ...(detail !== result ? { detail } : {}), next }, 'extend ring: leg done');
  // nobody picked up: not logged past LOGGED_ROUNDS
  const routine = !declined && !dropped && pastLoggedRounds(legId);
  if (type && !routine) await logCallEvent(ctx, hunt.callSid, { type, ...legEventFields(hunt, legId, legSid), detail }, at);
  return next;
}
