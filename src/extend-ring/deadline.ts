import type { AppDeps } from '../deps';
import { VoiceUrls } from '../voice/urls';
import type { RingContext } from './context';
import { deadlineReached } from './outcomes';
import { DeadlineSweeper } from './sweeper';

/** The context of work no webhook started (a due deadline): the app's dependencies and a logger for the call. */
export function backgroundContext(deps: AppDeps, callSid: string): RingContext {
  return { deps, urls: new VoiceUrls(deps.config.publicBaseUrl), log: deps.logger.child({ callSid }) };
}

/**
 * A max-hold deadline fell due (the sweeper handed it to this instance alone): a caller still hunting is
 * redirected to voicemail and every leg is ended. The work runs in the background (shutdown waits for it),
 * so a slow Twilio REST answer never holds up the sweeper's next tick and the deadlines due in it.
 */
export function onDeadline(deps: AppDeps, callSid: string): Promise<void> {
  deps.background.run('extend ring: maximum hold', () => deadlineReached(callSid, backgroundContext(deps, callSid), { redirect: true }), { callSid });
  return Promise.resolve();
}

/** The instance's deadline sweeper: due callers go to voicemail (onDeadline). Start it after listen, stop it before closing the store. */
export function createDeadlineSweeper(deps: AppDeps, options: { intervalMs?: number } = {}): DeadlineSweeper {
  return new DeadlineSweeper({
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'deadline-sweeper' }),
    onDue: (callSid) => onDeadline(deps, callSid),
    ...options,
  });
}
