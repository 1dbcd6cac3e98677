import type { AppDeps } from '../deps';
import { VoiceUrls } from '../voice/urls';
import type { RingContext } from './context';
import { dueEntryOf, type DueEntry } from './due-keys';
import { placeStep } from './legs';
import { checkStep } from './watchdog';
import { maxHoldDue, redirectAgain } from './outcomes';
import { settleCall } from '../voice/status';
import { checkRecording } from '../voice/voicemail';
import { DeadlineSweeper } from './sweeper';

/** The context of work no webhook started (a due deadline): the app's dependencies and a logger for the call. */
export function backgroundContext(deps: AppDeps, callSid: string): RingContext {
  return { deps, urls: new VoiceUrls(deps.config.publicBaseUrl), log: deps.logger.child({ callSid }) };
}

/**
 * An entry of the deadline set fell due (the sweeper handed it to this instance alone; see due-keys.ts):
 * - a max-hold deadline: a caller still hunting is redirected to voicemail and every leg is ended;
 * - a paused round's start: a hunt still hunting places the step it is at (once: the store refuses a step twice);
 * - the others of due-keys.ts (a step's watchdog, a redirect to retry, a call to settle, a recording to look up, a
 *   notification's next attempt).
 * The work runs in the background (shutdown waits for it), so a slow Twilio REST answer never holds up the sweeper's
 * next tick and the deadlines due in it.
 */
export function onDeadline(deps: AppDeps, key: string, leasedUntil: number): Promise<void> {
  const [name, handle, context] = handlerOf(dueEntryOf(key), deps);
  deps.background.run(name, async () => {
    await handle();
    // done: not handed out again (a failure above leaves it leased, to be handled again once the lease runs out)
    await deps.store.releaseDeadline(key, leasedUntil);
  }, context);
  return Promise.resolve();
}

type Handler = [name: string, handle: () => Promise<unknown>, logContext: Record<string, unknown>];

function handlerOf(entry: DueEntry, deps: AppDeps): Handler {
  if (entry.kind === 'notify') return ['notify: retry', async () => deps.notifier?.retryDue(entry.retry), { retry: entry.retry }];
  const { callSid } = entry;
  const ctx = backgroundContext(deps, callSid);
  const of = (name: string, handle: () => Promise<unknown>): Handler => [name, handle, { callSid }];
  switch (entry.kind) {
    case 'next-round': return of('extend ring: next round', () => startPausedRound(callSid, ctx));
    case 'step-check': return of('extend ring: step watchdog', () => checkStep(callSid, ctx));
    case 'finish': return of('call log: settle a call whose Dial action never came', () => settleCall(callSid, ctx));
    case 'redirect': return of('extend ring: redirect to voicemail, again', () => redirectAgain(callSid, ctx));
    case 'recording-check': return of('voicemail: look the recording up at Twilio', () => checkRecording(callSid, entry.recordingSid, ctx));
    case 'max-hold': return of('extend ring: maximum hold', () => maxHoldDue(callSid, ctx));
  }
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
    onDue: (key, leasedUntil) => onDeadline(deps, key, leasedUntil),
    ...options,
  });
}
