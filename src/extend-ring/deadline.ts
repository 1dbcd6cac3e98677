import type { AppDeps } from '../deps';
import { VoiceUrls } from '../voice/urls';
import type { RingContext } from './context';
import { dueEntryOf } from './due-keys';
import { checkStep, placeStep } from './legs';
import { deadlineReached } from './outcomes';
import { settleCall } from '../voice/status';
import { DeadlineSweeper } from './sweeper';

/** The context of work no webhook started (a due deadline): the app's dependencies and a logger for the call. */
export function backgroundContext(deps: AppDeps, callSid: string): RingContext {
  return { deps, urls: new VoiceUrls(deps.config.publicBaseUrl), log: deps.logger.child({ callSid }) };
}

/**
 * An entry of the deadline set fell due (the sweeper handed it to this instance alone; see due-keys.ts):
 * - a max-hold deadline: a caller still hunting is redirected to voicemail and every leg is ended;
 * - a paused round's start: a hunt still hunting places the step it is at (once: the store refuses a step twice).
 * The work runs in the background (shutdown waits for it), so a slow Twilio REST answer never holds up the sweeper's
 * next tick and the deadlines due in it.
 */
export function onDeadline(deps: AppDeps, key: string): Promise<void> {
  const { kind, callSid } = dueEntryOf(key);
  const ctx = backgroundContext(deps, callSid);
  if (kind === 'next-round') deps.background.run('extend ring: next round', () => startPausedRound(callSid, ctx), { callSid });
  else if (kind === 'step-check') deps.background.run('extend ring: step watchdog', () => checkStep(callSid, ctx), { callSid });
  else if (kind === 'finish') deps.background.run('call log: settle a call whose Dial action never came', () => settleCall(callSid, ctx), { callSid });
  else deps.background.run('extend ring: maximum hold', () => deadlineReached(callSid, ctx, { redirect: true }), { callSid });
  return Promise.resolve();
}

async function startPausedRound(callSid: string, ctx: RingContext): Promise<void> {
  const hunt = await ctx.deps.store.getHunt(callSid);
  if (hunt?.state !== 'hunting') return;
  await placeStep(hunt, { step: hunt.step, cycle: hunt.cycle }, ctx);
}

/** The instance's deadline sweeper: due entries are handled by onDeadline. Start it after listen, stop it before closing the store. */
export function createDeadlineSweeper(deps: AppDeps, options: { intervalMs?: number } = {}): DeadlineSweeper {
  return new DeadlineSweeper({
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'deadline-sweeper' }),
    onDue: (callSid) => onDeadline(deps, callSid),
    ...options,
  });
}
