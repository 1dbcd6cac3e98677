import { HUNT_TTL_SECONDS, newHunt } from '../domain/hunt-plan';
import { selectRule } from '../domain/select';
import type { Hunt } from '../domain/types';
import { startCallLog } from './call-log';
import type { VoiceContext } from './context';

export interface LostHuntInput {
  callSid: string;
  /** The caller (From). */
  from: string;
  /** The business number called (To). */
  to: string;
}

/**
 * A caller whose hunt the store no longer has (Redis restarted without its data, or the hunt expired) while a webhook
 * of theirs needs one: the number's owner and rule are looked up as for a new call, and a hunt is started in voicemail
 * (greeting and settings from the rule), with its call log entry, so that the caller can still leave a message for the
 * right person. Null when nobody owns the number.
 */
export async function voicemailHuntFor(input: LostHuntInput, ctx: VoiceContext): Promise<Hunt | null> {
  const { store, clock } = ctx.deps;
  const found = await store.findOwnerWithRules(input.to);
  if (!found) return null;
  const now = clock.now();
  const rule = selectRule(found.rules, now, found.owner.numbers);
  const hunt: Hunt = { ...newHunt({ ...input, owner: found.owner, rule, now }), state: 'voicemail' };
  const [created] = await Promise.all([
    store.createHunt(hunt, HUNT_TTL_SECONDS),
    startCallLog(hunt, [], ctx),
  ]);
  if (!created) return store.getHunt(input.callSid);
  ctx.log.warn({ userId: hunt.userId, ruleId: hunt.plan?.ruleId }, 'the store no longer had this call: taking a message for the number\'s owner');
  return hunt;
}
