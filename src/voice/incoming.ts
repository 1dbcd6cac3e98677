import { HUNT_TTL_SECONDS, newHunt } from '../domain/hunt-plan';
import { selectRule } from '../domain/select';
import type { CallRecord, Hunt, Mode } from '../domain/types';
import type { VoiceContext } from './context';
import { extendRingMode } from './extend-ring';
import * as followMe from './follow-me';
import { sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { enterVoicemail } from './voicemail';

/**
 * How each mode answers /voice/incoming, from the stored hunt snapshot. `first` is false for a repeated
 * incoming webhook of the same CallSid: the TwiML must be the same, side effects must not happen again.
 */
export interface ModeHandler {
  /** Mode-specific fields of a new hunt (e.g. a deadline, a queue name), set before it is stored. */
  prepareHunt?(hunt: Hunt, ctx: VoiceContext): Hunt;
  answer(hunt: Hunt, ctx: VoiceContext, options: { log: boolean }): Promise<VoiceResponse>;
}

export const modes: Record<Mode, ModeHandler> = {
  followMe: { answer: followMe.onIncoming },
  extendRing: extendRingMode,
};

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
  const ownerId = await store.findOwnerOfNumber(input.to);
  // the owner and their rules are read together: one round trip fewer on the hottest webhook
  const [owner, rules] = ownerId ? await Promise.all([store.getUser(ownerId), store.listRules({ userId: ownerId })]) : [null, []];
  if (!owner) {
    ctx.log.info({ to: input.to }, 'incoming call to a number nobody owns');
    return sayAndHangup(Speech.unknownNumber);
  }
  const now = clock.now();
  const rule = selectRule(rules, now);
  let hunt = newHunt({ callSid: input.callSid, owner, from: input.from, to: input.to, rule, now });
  const handler = hunt.plan ? modes[hunt.plan.mode] : undefined;
  hunt = handler?.prepareHunt?.(hunt, ctx) ?? hunt;
  // the call log entry is created once per CallSid too, so both can be written at the same time
  const [first] = await Promise.all([store.createHunt(hunt, HUNT_TTL_SECONDS), startCallLog(hunt, ctx)]);
  if (first) {
    ctx.log.info({ userId: hunt.userId, ruleId: hunt.plan?.ruleId, mode: hunt.plan?.mode }, 'incoming call: hunt started');
  } else {
    const existing = await store.getHunt(input.callSid);
    if (!existing) throw new Error(`hunt ${input.callSid} exists but cannot be read`);
    ctx.log.info('repeated incoming webhook: answering from the existing hunt');
    hunt = existing;
  }
  return answer(hunt, ctx, { log: first });
}

/** The TwiML of a hunt at /voice/incoming (first or repeated request alike). */
function answer(hunt: Hunt, ctx: VoiceContext, options: { log: boolean }): Promise<VoiceResponse> {
  if (!hunt.plan) return enterVoicemail(hunt, ctx, options);
  return modes[hunt.plan.mode].answer(hunt, ctx, options);
}

async function startCallLog(hunt: Hunt, ctx: VoiceContext): Promise<void> {
  const plan = hunt.plan;
  const at = hunt.createdAt;
  const record: CallRecord = {
    callSid: hunt.callSid,
    userId: hunt.userId,
    from: hunt.from,
    to: hunt.to,
    ...(plan ? { ruleId: plan.ruleId, ruleName: plan.ruleName, mode: plan.mode } : {}),
    startedAt: new Date(at).toISOString(),
    events: [
      { at, type: 'incoming', detail: hunt.from },
      { at, type: 'rule', detail: plan ? plan.ruleName ?? plan.ruleId : 'no matching rule' },
    ],
  };
  try {
    await ctx.deps.store.createCall(record);
  } catch (err) {
    ctx.log.warn({ err }, 'call log: could not start the entry');
  }
}
