/** Expired entries are swept at most this often (reads check expiry themselves). */
const SWEEP_INTERVAL_MS = 60 * 1000;

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * A map (for the embedded store) whose entries are forgotten once their time to live has passed, measured on an
 * injected clock: reads never see an expired entry, and writes sweep the expired ones now and then.
 */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Expiring<T>>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  /** The live value (the stored object itself, not a copy), or undefined when absent or expired. */
  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, ttlMs: number): void {
    this.sweepIfDue();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Every live value. */
  values(): T[] {
    const now = this.now();
    return [...this.entries.values()].filter((entry) => entry.expiresAt > now).map((entry) => entry.value);
  }

  private sweepIfDue(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}
