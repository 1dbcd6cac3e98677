import type { Clock } from '../clock';

/** Where a call's TwiML goes next after a redirect (REST update, queue member update). */
export interface FetchSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly params?: Readonly<Record<string, string>>;
  /** Inline TwiML (REST `Twiml`), used instead of fetching `url`. */
  readonly twiml?: string;
}

/** Why a call's current activity stops. */
export type StopReason =
  | { kind: 'hangup'; by: HangupBy }
  | { kind: 'redirect'; to: FetchSpec; source: 'api' | 'queue-member' }
  /** Internal: the caller left its queue (dequeued, Leave); stops the wait-URL program only. */
  | { kind: 'leave-wait'; why: 'bridging' | 'leave' }
  /** Internal: a digit interrupted a Gather's prompt. */
  | { kind: 'barge-in' };

export type HangupBy =
  | 'caller' | 'callee' | 'app' | 'api' | 'timeout' | 'lost-race' | 'dial-ended' | 'time-limit' | 'error';

/** Thrown out of a wait when the scope it belongs to stops. */
export class Stopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`stopped: ${reason.kind}`);
    this.name = 'Stopped';
  }
}

export class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (err: unknown) => void;
  settled = false;

  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = (v) => { this.settled = true; res(v); };
      this.reject = (e) => { this.settled = true; rej(e); };
    });
  }
}

/**
 * A cancellation scope: every wait of a call's activity races its scope, so a hangup or a redirect
 * interrupts whatever is playing. Child scopes stop with their parent.
 */
export class Scope {
  private reason?: StopReason;
  private readonly listeners = new Set<(r: StopReason) => void>();
  private detach?: () => void;

  constructor(parent?: Scope) {
    if (parent) {
      if (parent.stopped) this.reason = parent.stopped;
      else this.detach = parent.onStop((r) => this.stop(r));
    }
  }

  get stopped(): StopReason | undefined {
    return this.reason;
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.dispose();
    for (const fn of [...this.listeners]) fn(reason);
    this.listeners.clear();
  }

  /** Stops listening to the parent (call when the activity this scope guards is over). */
  dispose(): void {
    this.detach?.();
    this.detach = undefined;
  }

  onStop(fn: (r: StopReason) => void): () => void {
    if (this.reason) {
      fn(this.reason);
      return () => undefined;
    }
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  throwIfStopped(): void {
    if (this.reason) throw new Stopped(this.reason);
  }

  /** Resolves with `p`, or rejects with Stopped as soon as the scope stops. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.reason) return Promise.reject(new Stopped(this.reason));
    return new Promise<T>((resolve, reject) => {
      const off = this.onStop((r) => reject(new Stopped(r)));
      p.then(
        (v) => { off(); resolve(v); },
        (e: unknown) => { off(); reject(e); },
      );
    });
  }

  /** Waits `ms` of virtual time; the timer is cleared if the scope stops first. */
  sleep(clock: Clock, ms: number): Promise<void> {
    if (this.reason) return Promise.reject(new Stopped(this.reason));
    return new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => { off(); resolve(); }, ms);
      const off = this.onStop((r) => { clock.clearTimeout(timer); reject(new Stopped(r)); });
    });
  }

  /** Resolves true when `p` settles first, false after `ms` of virtual time; rejects with Stopped. */
  async within(clock: Clock, p: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = clock.setTimeout(() => resolve(false), ms); });
    try {
      return await this.race(Promise.race([p.then(() => true), timeout]));
    } finally {
      if (timer) clock.clearTimeout(timer);
    }
  }
}
