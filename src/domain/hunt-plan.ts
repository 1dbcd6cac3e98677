import { copyJson } from './copy';
import type { Hunt, HuntPlan, Rule, User, VoicemailSettings } from './types';

/** Voicemail of an owner without a matching rule (and the defaults of a rule's voicemail). */
export const DEFAULT_VOICEMAIL: Readonly<VoicemailSettings> = Object.freeze({ maxLengthSeconds: 120, transcribe: false });

/** How long a hunt snapshot is kept: far longer than any call, short enough to clean up by itself. */
export const HUNT_TTL_SECONDS = 6 * 60 * 60;

/**
 * What a hunt needs from the rule, copied (without unset fields) so that later edits of the rule never reach a
 * call in progress.
 */
export function planFromRule(rule: Rule): HuntPlan {
  return copyJson<HuntPlan>({
    ruleId: rule.id,
    ruleName: rule.name,
    mode: rule.mode,
    steps: rule.steps,
    confirm: rule.confirm,
    callerId: rule.callerId,
    maxHoldMinutes: rule.maxHoldMinutes,
    holdMusicUrl: rule.holdMusicUrl,
    holdAnnouncement: rule.holdAnnouncement,
    detectVoicemail: rule.detectVoicemail,
    voicemail: rule.voicemail,
  });
}

export interface NewHunt {
  callSid: string;
  owner: Pick<User, 'id' | 'name'>;
  from: string;
  to: string;
  rule: Rule | null;
  /** Epoch ms of the incoming webhook. */
  now: number;
}

/** A fresh hunt snapshot, at step 0 of cycle 0. */
export function newHunt({ callSid, owner, from, to, rule, now }: NewHunt): Hunt {
  return {
    callSid,
    userId: owner.id,
    userName: owner.name,
    from,
    to,
    plan: rule ? planFromRule(rule) : null,
    state: rule ? 'hunting' : 'voicemail',
    step: 0,
    cycle: 0,
    createdAt: now,
  };
}

/** The voicemail settings a hunt uses (the rule's, or the defaults when no rule matched). */
export function voicemailOf(hunt: Hunt): VoicemailSettings {
  return hunt.plan?.voicemail ?? { ...DEFAULT_VOICEMAIL };
}
