import type { Logger } from './log';

/**
 * Work a webhook starts but does not wait for (placing legs, ending legs, notifications).
 * Tracked so that shutdown can finish it and the emulator can wait until the app is idle.
 * A task's failure is logged, never thrown into the request that started it.
 */
export class Background {
  private readonly pending = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private stopping = false;

  constructor(private readonly logger: Logger) {}

  /** The task starts on the next turn of the event loop: the webhook that started it answers first. */
  run(name: string, task: () => Promise<unknown>, context: Record<string, unknown> = {}): void {
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ ...context, err, task: name }, 'background task failed'),
      )
      .finally(() => {
        this.pending.delete(p);
        if (this.pending.size === 0) this.flushWaiters();
      });
    this.pending.add(p);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The instance is shutting down: work that can be left to another instance (the next step) is not started. */
  get closing(): boolean {
    return this.stopping;
  }

  /** Marks the shutdown (see closing); pending tasks still run to their end. */
  close(): void {
    this.stopping = true;
  }

  /** Resolves once no task is pending (tasks started by tasks included). */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
