import { systemClock } from '../clock';
import { HUNT_TTL_SECONDS } from '../domain/hunt-plan';
import { DEFAULT_SWEEP_INTERVAL_MS, DeadlineSweeper } from '../extend-ring/sweeper';
import { silentLogger } from '../log';
import { MemoryStore } from '../store/memory';
import { RedisStore } from '../store/redis';
import type { Store } from '../store/store';
import { CallSids, holdingHunt } from './fixtures';
import { percentile } from './stats';

/**
 * Part 3: how late max-hold deadlines fire on the real clock. N Extend Ring hunts are stored with deadlines
 * spread evenly over `spreadMs`, starting `leadMs` from now; one DeadlineSweeper (production interval) claims
 * them and its onDue records clock.now() − due, then releases the entry. Measures claiming only, not the voicemail
 * redirect that follows.
 */

export interface LatenessOptions {
  hunts: number;
  spreadMs: number;
  leadMs: number;
  redis?: { url: string; prefix: string };
}

export interface LatenessRow {
  store: 'memory' | 'redis';
  hunts: number;
  spreadS: number;
  sweepIntervalMs: number;
  fired: number;
  /** Deadlines handed to onDue more than once (must be 0). */
  duplicates: number;
  /** Deadlines stored only after they were due (the machine could not keep up with the set-up): their lateness is inflated. */
  storedLate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const CONCURRENCY = 100;
const GRACE_MS = 10_000;

/** Runs `task` over `items` in order, at most CONCURRENCY at once. */
async function inBatches<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += CONCURRENCY) {
    await Promise.all(items.slice(start, start + CONCURRENCY).map(task));
  }
}

async function measure(store: Store, kind: LatenessRow['store'], options: LatenessOptions): Promise<LatenessRow> {
  const clock = systemClock;
  const sids = new CallSids();
  const t0 = clock.now() + options.leadMs;
  const due = new Map<string, number>();
  for (let i = 0; i < options.hunts; i++) due.set(sids.next(), t0 + Math.floor((i * options.spreadMs) / options.hunts));

  const lateness: number[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const sweeper = new DeadlineSweeper({
    store, clock, logger: silentLogger,
    onDue: async (callSid, leasedUntil) => {
      if (seen.has(callSid)) duplicates += 1;
      seen.add(callSid);
      lateness.push(clock.now() - (due.get(callSid) ?? Number.NaN));
      // handled, as the app's handler does: a release, one more store round trip
      await store.releaseDeadline(callSid, leasedUntil);
    },
  });
  sweeper.start();
  let storedLate = 0;
  try {
    await inBatches([...due], async ([callSid, dueMs]) => {
      await store.createHunt(holdingHunt(callSid, clock.now(), dueMs), HUNT_TTL_SECONDS);
      await store.addDeadline(callSid, dueMs);
      if (clock.now() > dueMs) storedLate += 1;
    });
    const giveUpAt = t0 + options.spreadMs + GRACE_MS;
    while (seen.size < options.hunts && clock.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await sweeper.stop();
  }
  lateness.sort((a, b) => a - b);
  return {
    store: kind, hunts: options.hunts, spreadS: options.spreadMs / 1000, sweepIntervalMs: DEFAULT_SWEEP_INTERVAL_MS,
    fired: seen.size, duplicates, storedLate,
    p50Ms: percentile(lateness, 50), p99Ms: percentile(lateness, 99), maxMs: lateness[lateness.length - 1] ?? Number.NaN,
  };
}

/** Memory store always; Redis when reachable (its keys under `${prefix}late:`). */
export async function runLateness(options: LatenessOptions, progress: (line: string) => void): Promise<LatenessRow[]> {
  const rows: LatenessRow[] = [];
  progress(`deadline lateness: ${options.hunts} hunts over ${options.spreadMs / 1000} s (memory) …`);
  rows.push(await measure(new MemoryStore(), 'memory', options));
  if (options.redis) {
    progress(`deadline lateness: ${options.hunts} hunts over ${options.spreadMs / 1000} s (redis) …`);
    const store = new RedisStore({ url: options.redis.url, prefix: `${options.redis.prefix}late:`, logger: silentLogger });
    try {
      rows.push(await measure(store, 'redis', options));
    } finally {
      await store.close();
    }
  }
  return rows;
}
