import type { AppDeps } from '../deps';
import type { Hunt } from '../domain/types';
import type { Logger } from '../log';
import type { VoiceUrls } from './urls';

/** What every stage gets: the app's dependencies, the URL builder and a logger bound to the call's CallSid. */
export interface VoiceContext {
  readonly deps: AppDeps;
  readonly urls: VoiceUrls;
  readonly log: Logger;
}

/** A webhook arrived without a parameter its stage needs (or with a malformed one). */
export class MissingParamError extends Error {
  constructor(readonly param: string) {
    super(`missing or malformed parameter ${param}`);
    this.name = 'MissingParamError';
  }
}

/** No hunt snapshot for this CallSid: never created (unknown number) or expired. */
export class UnknownHuntError extends Error {
  constructor(readonly callSid: string) {
    super(`no hunt for call ${callSid}`);
    this.name = 'UnknownHuntError';
  }
}

/** The hunt snapshot of a call; throws UnknownHuntError when there is none. */
export async function loadHunt(callSid: string, ctx: VoiceContext): Promise<Hunt> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (!hunt) throw new UnknownHuntError(callSid);
  return hunt;
}

/** Now, as the ISO text the call log and voicemails use. */
export function nowIso(ctx: VoiceContext): string {
  return new Date(ctx.deps.clock.now()).toISOString();
}
