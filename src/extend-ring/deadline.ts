import type { AppDeps } from '../deps';
import { VoiceUrls } from '../voice/urls';
import type { RingContext } from './context';
import { deadlineReached } from './outcomes';

/** The context of work no webhook started (a due deadline): the app's dependencies and a logger for the call. */
export function backgroundContext(deps: AppDeps, callSid: string): RingContext {
  return { deps, urls: new VoiceUrls(deps.config.publicBaseUrl), log: deps.logger.child({ callSid }) };
}

/**
 * A max-hold deadline fell due (the sweeper handed it to this instance alone): a caller still hunting is
 * redirected to voicemail and every leg is ended. Tracked in the background, so shutdown waits for it.
 */
export function onDeadline(deps: AppDeps, callSid: string): Promise<void> {
  return new Promise((resolve) => {
    deps.background.run('extend ring: maximum hold', async () => {
      try {
        await deadlineReached(callSid, backgroundContext(deps, callSid), { redirect: true });
      } finally {
        resolve();
      }
    }, { callSid });
  });
}
