import { HUNT_TTL_SECONDS, newHunt } from '../domain/hunt-plan';
import { selectRule } from '../domain/select';
import type { CallEvent, Hunt, Mode } from '../domain/types';
import { startCallLog } from './call-log';
import type { VoiceContext } from './context';
import { extendRingMode } from './extend-ring';
import * as followMe from './follow-me';
import { hangupResponse, sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { voicemailTwiml } from './voicemail';

/**
 * How each mode answers /voice/incoming, from the stored hunt snapshot. `log` is false for a repeated incoming
 * webhook of the same CallSid: the TwiML must be the same, side effects must not happen again.
 */
export interface ModeHandler {
  /** Mode-specific fields of a new hunt (e.g. a deadline, a queue name), set before it is stored. */
  prepareHunt?(hunt: Hunt, ctx: VoiceContext): Hunt;
  /**
   * Store writes that go with the hunt's creation, at the same time (e.g. Extend Ring's max-hold deadline). They run
   * for a repeated incoming webhook too, so they must leave what the first one wrote unchanged.
   */
  recordWithHunt?(hunt: Hunt, ctx: VoiceContext): Promise<void>;
  /**
   * The call-log events of the first answer (e.g. Follow Me's step 0). They are written into the call log entry as
   * it is created, after 'incoming' and 'rule' and stamped with the hunt's start, so answer() never logs them.
   */
  incomingEvents?(hunt: Hunt): Array<Omit<CallEvent, 'at'>>;
  answer(hunt: Hunt, ctx: VoiceContext, options: { log: boolean }): Promise<VoiceResponse>;
}

export const modes: Record<Mode, ModeHandler> = {
  followMe: { incomingEvents: followMe.incomingEvents, answer: followMe.onIncoming },
  extendRing: extendRingMode,
};

/** A hunt without a plan (the owner has no matching rule): straight to voicemail. */
const voicemailOnly: ModeHandler = {
  incomingEvents: () => [{ type: 'voicemail' }],
  answer: async (hunt, ctx) => voicemailTwiml(hunt, ctx),
};

const handlerOf = (hunt: Hunt): ModeHandler => (hunt.plan ? modes[hunt.plan.mode] : voicemailOnly);

export interface IncomingInput {
  callSid: string;
  from: string;
  to: string;
}

/**
 * A call arrives at a business number: pick the owner's rule, snapshot the hunt (keyed by CallSid, so a
 * repeated webhook answers from the same snapshot), start the call log, and answer per the rule's mode.
 */
export async function onIncoming(input: IncomingInput, ctx: VoiceContext): Promise<VoiceResponse> {
  const { store, clock } = ctx.deps;
  const found = await store.findOwnerWithRules(input.to);
  if (!found) {
    ctx.log.info({ to: input.to }, 'incoming call to a number nobody owns');
    return sayAndHangup(Speech.unknownNumber);
  }
  const now = clock.now();
  const rule = selectRule(found.rules, now, found.owner.numbers);
  const fresh = newHunt({ callSid: input.callSid, owner: found.owner, from: input.from, to: input.to, rule, now });
  const handler = handlerOf(fresh);
  const hunt = handler.prepareHunt?.(fresh, ctx) ?? fresh;
  // the call log entry is created once per CallSid too, so they can all be written at the same time
  const [first, logged] = await Promise.all([
    store.createHunt(hunt, HUNT_TTL_SECONDS), startCallLog(hunt, handler.incomingEvents?.(hunt) ?? [], ctx), handler.recordWithHunt?.(hunt, ctx),
  ]);
  if (first && logged === false && await isReplayOfAnEndedCall(input.callSid, ctx)) return hangupResponse();
  if (first) {
    ctx.log.info({ userId: hunt.userId, ruleId: hunt.plan?.ruleId, mode: hunt.plan?.mode }, 'incoming call: hunt started');
    return handler.answer(hunt, ctx, { log: true });
  }
  const existing = await store.getHunt(input.callSid);
  if (!existing) throw new Error(`hunt ${input.callSid} exists but cannot be read`);
  ctx.log.info('repeated incoming webhook: answering from the existing hunt');
  return handlerOf(existing).answer(existing, ctx, { log: false });
}

/**
 * A new hunt for a call logged longer ago than a hunt lives: no Twilio call lasts that long (4 hours at most), so this
 * is a signed webhook captured and sent again, not Twilio. The hunt just stored is ended (its deadline removed) and
 * nothing is placed: an Extend Ring replay would otherwise ring the owner's phones. A call logged more recently (a
 * webhook retried after its hunt could not be stored) goes on as a new call.
 */
async function isReplayOfAnEndedCall(callSid: string, ctx: VoiceContext): Promise<boolean> {
  const { store, clock } = ctx.deps;
  const logged = await store.getCall(callSid);
  const ageMs = logged ? clock.now() - Date.parse(logged.startedAt) : Number.NaN;
  if (!(ageMs >= HUNT_TTL_SECONDS * 1000)) return false;
  ctx.log.warn({ loggedMinutesAgo: Math.round(ageMs / 60_000) }, 'incoming webhook for a call that ended hours ago: a replay, hung up');
  await Promise.all([store.transitionHunt(callSid, ['hunting', 'voicemail'], 'ended'), store.removeDeadline(callSid)]);
  return true;
}
