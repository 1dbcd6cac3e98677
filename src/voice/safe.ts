import { MissingParamError, UnknownHuntError, type VoiceContext } from './context';
import { sayAndHangup, Speech, type VoiceResponse } from './twiml';
import { enterVoicemail } from './voicemail';

/**
 * The safest useful TwiML for a caller when something went wrong: voicemail when the hunt can still be
 * read, else a short apology and hang-up. Never throws.
 */
export async function safeCallerTwiml(callSid: string | undefined, ctx: VoiceContext): Promise<VoiceResponse> {
  if (!callSid) return sayAndHangup(Speech.unavailable);
  try {
    const hunt = await ctx.deps.store.getHunt(callSid);
    if (hunt) return await enterVoicemail(hunt, ctx);
  } catch (err) {
    ctx.log.error({ err }, 'safe TwiML: hunt unreadable, apologising to the caller');
  }
  return sayAndHangup(Speech.unavailable);
}

/** Whether an error is an expected condition (logged at warn) rather than a fault (logged at error). */
export function isExpectedFailure(err: unknown): boolean {
  return err instanceof UnknownHuntError || err instanceof MissingParamError;
}
