import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../log';

/** Every preview slot of this instance is taken (the API answers 429). */
export class PreviewsBusyError extends Error {
  constructor(readonly limit: number) {
    super(`${limit} rule previews are already running`);
    this.name = 'PreviewsBusyError';
  }
}

/**
 * The same user already has a preview running (the API answers 429): one each, so nobody can take every slot.
 * `stopping`: that preview has already been answered with a timeout and is still stopping.
 */
export class PreviewRunningError extends Error {
  constructor(readonly stopping = false) {
    super(stopping ? 'your last rule preview took too long and is still stopping' : 'you already have a rule preview running');
    this.name = 'PreviewRunningError';
  }
}

/** The preview ran out of real time (the API answers 504); its work stops at the next chance and is cleaned up. */
export class PreviewTimedOutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the preview took longer than ${timeoutMs / 1000} s`);
    this.name = 'PreviewTimedOutError';
  }
}

/** Thrown by the preview's own work when it notices it has expired: it stops there (nobody waits for it any more). */
export class PreviewAbandonedError extends Error {
  constructor() {
    super('the rule preview was stopped after its caller had been answered with a timeout');
    this.name = 'PreviewAbandonedError';
  }
}

export interface PreviewGuardOptions {
  /** Previews running at once in this instance (default 4). */
  maxConcurrent?: number;
  /** Real time a preview may take before its caller gets PreviewTimedOutError (default 20 s). */
  timeoutMs?: number;
  /** The wall clock the timeout runs on. */
  clock: Clock;
  logger: Logger;
}

export const DEFAULT_MAX_CONCURRENT_PREVIEWS = 4;
/** An hour-long Extend Ring hold of a two-step rule plays in 4–7 s on a developer machine; this leaves room. */
export const DEFAULT_PREVIEW_TIMEOUT_MS = 20_000;

/**
 * Guards the instance's resources: at most `maxConcurrent` previews hold a slot, and a caller waits at most
 * `timeoutMs`. A slot is given back when the work has really finished (a timed-out preview keeps its slot until
 * it has stopped and closed its world), so the limit bounds what is running, not what is being waited for.
 */
export class PreviewGuard {
  private active = 0;
  /** Who has a preview running, and whether it has timed out (given back, like `active`, when the work has really finished). */
  private readonly owners = new Map<string, { expired: boolean }>();
  private waiters: Array<() => void> = [];
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: PreviewGuardOptions) {
    this.maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_PREVIEWS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PREVIEW_TIMEOUT_MS;
  }

  get running(): number {
    return this.active;
  }

  /** Resolves once no preview is running (timed-out ones included): for shutdown, and for tests. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Runs `work` in a slot, one at a time per `owner` (PreviewRunningError). `expired()` turns true once the caller has
   * been answered with PreviewTimedOutError.
   */
  async run<T>(work: (expired: () => boolean) => Promise<T>, owner?: string): Promise<T> {
    const running = owner === undefined ? undefined : this.owners.get(owner);
    if (running) throw new PreviewRunningError(running.expired);
    if (this.active >= this.maxConcurrent) throw new PreviewsBusyError(this.maxConcurrent);
    this.active++;
    const state = { expired: false };
    if (owner !== undefined) this.owners.set(owner, state);
    const done = Promise.resolve()
      .then(() => work(() => state.expired))
      .finally(() => {
        if (owner !== undefined) this.owners.delete(owner);
        this.release();
      });
    done.catch((err: unknown) => {
      if (state.expired && !(err instanceof PreviewAbandonedError)) this.options.logger.warn({ err }, 'a timed-out rule preview failed while stopping');
    });
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = this.options.clock.setTimeout(() => {
        state.expired = true;
        reject(new PreviewTimedOutError(this.timeoutMs));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([done, timeout]);
    } finally {
      if (timer) this.options.clock.clearTimeout(timer);
    }
  }

  private release(): void {
    this.active--;
    if (this.active > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
