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
 * Once handled it is released; a failure leaves it leased, to be handled again once the lease runs out (the sweeper
 * logs it). An entry this version does not know (one a newer version stored, during a rolling upgrade) fails the same
 * way: it is left for an instance that knows it, never dropped.
 */
export async function onDeadline(deps: AppDeps, key: string, leasedUntil: number): Promise<void> {
  await handle(dueEntryOf(key), deps);
  await deps.store.releaseDeadline(key, leasedUntil);
}

const TASKS: Record<DueEntry['kind'], string> = {
  'max-hold': 'extend ring: maximum hold',
  'next-round': 'extend ring: next round',
  'step-check': 'extend ring: step watchdog',
  redirect: 'extend ring: redirect to voicemail, again',
  finish: 'call log: settle a call whose Dial action never came',
  'recording-check': 'voicemail: look the recording up at Twilio',
  notify: 'notify: retry',
  unknown: 'an entry this version does not know',
};

/** What a failed entry's log line says about it: the task, and the call or the notification. */
export function deadlineLogContext(key: string): Record<string, unknown> {
  const entry = dueEntryOf(key);
  const about = entry.kind === 'notify' ? { retry: entry.retry } : entry.kind === 'unknown' ? {} : { callSid: entry.callSid };
  return { task: TASKS[entry.kind], ...about };
}

function handle(entry: DueEntry, deps: AppDeps): Promise<unknown> {
  if (entry.kind === 'notify') return deps.notifier?.retryDue(entry.retry) ?? Promise.resolve();
  if (entry.kind === 'unknown') {
    return Promise.reject(new Error(`left for an instance that knows it (one of a newer version): ${entry.key}`));
  }
  const { callSid } = entry;
  const ctx = backgroundContext(deps, callSid);
  switch (entry.kind) {
    case 'next-round': return startPausedRound(callSid, ctx);
    case 'step-check': return checkStep(callSid, ctx);
    case 'finish': return settleCall(callSid, ctx);
    case 'redirect': return redirectAgain(callSid, ctx);
    case 'recording-check': return checkRecording(callSid, entry.recordingSid, ctx);
    case 'max-hold': return maxHoldDue(callSid, ctx);
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
    contextOf: deadlineLogContext,
    ...options,
  });
}
