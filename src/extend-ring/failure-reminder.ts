import type { Logger } from '../log';

/** An entry whose handler keeps failing is logged as an error on its first failure and every this many after. */
const REMIND_EVERY = 20;
/** Failing entries counted at most (a reminder may come early after the counts are dropped). */
const MAX_TRACKED_FAILURES = 10_000;

/**
 * How a due deadline's failures are logged. A failed entry is tried again every lease (15 s) for as long as it fails
 * (Twilio refusing every request, say): an error line the first time and every REMIND_EVERY tries, not four a
 * minute, and an info line once it succeeds after failing. Counts are this instance's tries.
 */
export class FailureReminder {
  private readonly failures = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  failed(key: string, error: unknown, context: Record<string, unknown> = {}): void {
    const attempts = (this.failures.get(key) ?? 0) + 1;
    // an entry another instance handled, or that ended otherwise, is never cleared here: the count stays bounded
    if (this.failures.size >= MAX_TRACKED_FAILURES) this.failures.clear();
    this.failures.set(key, attempts);
    const level = attempts === 1 || attempts % REMIND_EVERY === 0 ? 'error' : 'debug';
    this.logger[level]({ ...context, err: error, key, attempts }, 'deadline sweeper: handling a due deadline failed; it is tried again in 15 s');
  }

  succeeded(key: string): void {
    const failedBefore = this.failures.get(key);
    if (failedBefore === undefined) return;
    this.failures.delete(key);
    this.logger.info({ key, attempts: failedBefore + 1 }, 'deadline sweeper: a due deadline was handled after failing before');
  }
}
