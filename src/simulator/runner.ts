import type { Core } from './core';
import { turns } from './tracker';

/** A run stops by itself after this much virtual time unless told otherwise. */
export const DEFAULT_MAX_RUN_SECONDS = 4 * 3600;

export class EmulatorStalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorStalledError';
  }
}

/**
 * Plays virtual time: wait until the system is quiet (no HTTP in flight either way, the app's own
 * quiesce() resolved, pending promise chains run), then fire the next due timer; until every call has
 * ended and every callback was delivered, or `maxSeconds` of virtual time have passed.
 */
export async function playUntilDone(core: Core, quiesce: (() => Promise<void>) | undefined, maxSeconds = DEFAULT_MAX_RUN_SECONDS): Promise<void> {
  const limit = core.clock.now() + maxSeconds * 1000;
  for (;;) {
    await settle(core, quiesce);
    rethrowInternal(core);
    if (!hasLiveWork(core)) return;
    const due = core.clock.nextDueAt();
    if (due === undefined) throw new EmulatorStalledError(`nothing scheduled, yet calls are live: ${liveCalls(core)}`);
    if (due > limit) {
      core.clock.advanceTo(limit);
      return;
    }
    core.clock.runNext();
  }
}

/** Plays exactly `seconds` of virtual time, firing every timer due (the app's included), calls or not. */
export async function playFor(core: Core, quiesce: (() => Promise<void>) | undefined, seconds: number): Promise<void> {
  const target = core.clock.now() + seconds * 1000;
  for (;;) {
    await settle(core, quiesce);
    rethrowInternal(core);
    const due = core.clock.nextDueAt();
    if (due === undefined || due > target) break;
    core.clock.runNext();
  }
  core.clock.advanceTo(target);
}

/** Waits until nothing is in flight and quiesce() resolves without waiting. */
export async function settle(core: Core, quiesce: (() => Promise<void>) | undefined): Promise<void> {
  for (;;) {
    await turns(3);
    if (core.tracker.size > 0) {
      await core.tracker.idle();
      continue;
    }
    if (!quiesce) return;
    let quick = false;
    await Promise.race([quiesce().then(() => { quick = true; }), turns(1)]);
    if (!quick) {
      await quiesce();
      continue;
    }
    await turns(2);
    if (core.tracker.size === 0) return;
  }
}

function hasLiveWork(core: Core): boolean {
  if (core.hasPendingDeliveries) return true;
  for (const call of core.calls.values()) if (!call.ended) return true;
  return false;
}

function liveCalls(core: Core): string {
  return [...core.calls.values()].filter((c) => !c.ended).map((c) => `${c.who} ${c.sid} (${c.status})`).join(', ');
}

function rethrowInternal(core: Core): void {
  const err = core.internalErrors.shift();
  if (err !== undefined) throw err;
}
