import type { Hunt } from '../domain/types';
import { callerToVoicemail } from '../extend-ring/outcomes';
import { MissingParamError, UnknownHuntError, type VoiceContext } from './context';
import { sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { enterVoicemail } from './voicemail';

/**
 * The safest useful TwiML for a caller when something went wrong: voicemail when the hunt can still be
 * read, else a short apology and hang-up. An Extend Ring hunt still hunting ends first (legs, deadline), so that
 * no phone keeps ringing for, and no max-hold redirect cuts off, a caller who is leaving a message. Never throws.
 */
export async function safeCallerTwiml(callSid: string | undefined, ctx: VoiceContext): Promise<VoiceResponse> {
  if (!callSid) return sayAndHangup(Speech.unavailable);
  try {
    const hunt = await ctx.deps.store.getHunt(callSid);
    if (hunt) {
      await stopExtendRingHunt(hunt, ctx);
      return await enterVoicemail(hunt, ctx);
    }
  } catch (err) {
    ctx.log.error({ err }, 'safe TwiML: hunt unreadable, apologising to the caller');
  }
  return sayAndHangup(Speech.unavailable);
}

async function stopExtendRingHunt(hunt: Hunt, ctx: VoiceContext): Promise<void> {
  if (hunt.plan?.mode !== 'extendRing' || hunt.state !== 'hunting') return;
  try {
    await callerToVoicemail(hunt.callSid, ctx, 'a fallback answers the caller with voicemail');
  } catch (err) {
    ctx.log.error({ err }, 'safe TwiML: could not end the Extend Ring hunt');
  }
}

/** Whether an error is an expected condition (logged at warn) rather than a fault (logged at error). */
export function isExpectedFailure(err: unknown): boolean {
  return err instanceof UnknownHuntError || err instanceof MissingParamError;
}
