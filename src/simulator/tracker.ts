/** Counts work in flight (HTTP both ways) so virtual time only moves on when the system is idle. */
export class InflightTracker {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const forget = () => this.pending.delete(p);
    p.then(forget, forget);
    return p;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves once nothing is in flight, including work started while waiting. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** Lets already-queued callbacks, I/O completions and promise chains run. */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
