import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../log';
import type { ExtendRingStore } from '../store/store';
import { FailureReminder } from './failure-reminder';

export const DEFAULT_SWEEP_INTERVAL_MS = 250;
/** Deadlines claimed per store round trip; a full batch is followed by another claim at once. */
export const SWEEP_BATCH_SIZE = 100;
/** A claimed entry whose handler has not released it (it failed, or its instance died) is due again this much later. */
export const DEADLINE_LEASE_MS = 15_000;
/**
 * Leased due times end in half a millisecond; the times the app sets are whole milliseconds. So an entry its handler
 * sets again during the lease (a round pausing exactly 15 s) never looks like the lease, and the release keeps it.
 */
const LEASE_MS = DEADLINE_LEASE_MS + 0.5;

export interface DeadlineSweeperOptions {
  store: Pick<ExtendRingStore, 'claimDueDeadlines'>;
  clock: Clock;
  logger: Logger;
  /**
   * Handles one due entry (see due-keys.ts); releases it (store.releaseDeadline with `leasedUntil`) once done, or
   * leaves it to come due again at `leasedUntil`. A rejection is logged through `failures`, never thrown.
   */
  onDue: (key: string, leasedUntil: number) => Promise<void>;
  /** What a failed entry's log line says about it besides its key (the call, the task). */
  contextOf?: (key: string) => Record<string, unknown>;
  /** How often due deadlines are claimed: a deadline is handled at most about this late (default 250 ms). */
  intervalMs?: number;
}

/**
 * Fires max-hold deadlines (DESIGN §6 Extend Ring 8), and the other entries kept in the same set (paused rounds, step
 * watchdogs, calls to settle). Every app instance runs one; the store hands each due entry to exactly one claimer, so
 * each fires once across instances, and entries stored by an instance that died are fired by the others. Ticks run on
 * the injected clock, one at a time: claim what is due, hand each to `onDue`, then schedule the next tick. A claim is
 * a lease: an entry whose handler fails, or whose instance dies before it is done, comes due again DEADLINE_LEASE_MS
 * later (every handler is idempotent: it acts on the hunt's state, and the store refuses a step twice).
 */
export class DeadlineSweeper {
  private readonly intervalMs: number;
  private running = false;
  private timer?: TimerHandle;
  private tick?: Promise<void>;
  private storeHealthy = true;
  private readonly failures: FailureReminder;
  /** Due entries handed out and not yet handled (a tick does not wait for them). */
  private readonly handling = new Set<Promise<void>>();

  constructor(private readonly options: DeadlineSweeperOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
    this.failures = new FailureReminder(options.logger);
  }

  /** Starts ticking; the first tick claims at once whatever fell due while no sweeper ran. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops ticking; resolves once a tick in progress and the entries it handed out have finished. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /**
   * Resolves when no tick is in progress and every entry handed out has been handled (so a virtual-time driver can let
   * the sweeper finish before moving on, and stop() leaves nothing running).
   */
  async idle(): Promise<void> {
    while (this.tick || this.handling.size > 0) await Promise.all([this.tick, ...this.handling]);
  }

  private schedule(delayMs: number): void {
    this.timer = this.options.clock.setTimeout(() => this.runTick(), delayMs);
  }

  private runTick(): void {
    this.timer = undefined;
    const tick: Promise<void> = this.sweep().finally(() => {
      if (this.tick === tick) this.tick = undefined;
      if (this.running) this.schedule(this.intervalMs);
    });
    this.tick = tick;
  }

  /** Claims and handles due deadlines, batch after batch while batches come back full. Never rejects. */
  private async sweep(): Promise<void> {
    for (;;) {
      const now = this.options.clock.now();
      const due = await this.claimDue(now);
      // handled in the background: a slow Twilio REST answer never holds up the next tick and the entries due in it
      for (const key of due) {
        const handled = this.fire(key, now + LEASE_MS).finally(() => this.handling.delete(handled));
        this.handling.add(handled);
      }
      if (due.length < SWEEP_BATCH_SIZE || !this.running) return;
    }
  }

  /** The deadlines due now; none when the store cannot be reached (the next tick tries again). */
  private async claimDue(now: number): Promise<string[]> {
    const { store, logger } = this.options;
    try {
      const due = await store.claimDueDeadlines(now, SWEEP_BATCH_SIZE, LEASE_MS);
      if (!this.storeHealthy) logger.info('deadline sweeper: the store answers again');
      this.storeHealthy = true;
      return due;
    } catch (error) {
      if (this.storeHealthy) logger.warn({ err: error }, 'deadline sweeper: claiming due deadlines failed; retrying every tick');
      else logger.debug({ err: error }, 'deadline sweeper: the store still fails');
      this.storeHealthy = false;
      return [];
    }
  }

  private async fire(key: string, leasedUntil: number): Promise<void> {
    try {
      await this.options.onDue(key, leasedUntil);
      this.failures.succeeded(key);
    } catch (error) {
      this.failures.failed(key, error, this.options.contextOf?.(key));
    }
  }
}
