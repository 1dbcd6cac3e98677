import type { Redis } from 'ioredis';
import { silentLogger } from '../log';
import { RedisStore } from '../store/redis';
import { CallSids, callRecordOf, holdingHunt, storeHoldingHunt } from './fixtures';

/**
 * Part 4: Redis memory per Extend Ring hunt while N callers are on hold at once. Each hunt is stored through the
 * store as /voice/incoming and placeStep leave it: snapshot of a 2-step rule, step 0's two legs placed and
 * ringing, a max-hold deadline. Measured two ways: INFO used_memory before/after (everything, but noisy on a
 * shared Redis) and MEMORY USAGE of a sample of hunts' keys plus their share of the deadline set.
 * The call-log entry each call also gets (kept 30 days, not part of the hold) is measured separately.
 */

export interface MemoryResult {
  hunts: number;
  usedMemoryDeltaBytes: number;
  /** INFO used_memory delta / hunts. */
  perHuntInfoBytes: number;
  /** MEMORY USAGE (hunt + hunt-state keys) averaged over the sample, plus deadlines set / hunts. */
  perHuntSampleBytes: number;
  sampleSize: number;
  /** Call-log entry (call:{CallSid} hash and its index entries) per call, INFO delta. */
  perCallLogInfoBytes: number;
}

const BATCH = 500;
const SAMPLE = 200;

/** INFO used_memory, in bytes. */
export async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

/** MEMORY USAGE of each key (the key, its value and its keyspace entry), summed. */
export async function memoryUsage(client: Redis, keys: readonly string[]): Promise<number> {
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
  const replies = (await pipeline.exec()) ?? [];
  return replies.reduce((sum, [error, bytes]) => {
    if (error) throw error;
    return sum + Number(bytes);
  }, 0);
}

async function inBatches(count: number, task: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => task(start + k)));
  }
}

export async function runMemory(
  options: { hunts: number; redis: { url: string; prefix: string }; client: Redis },
  progress: (line: string) => void,
): Promise<MemoryResult> {
  const { hunts, client } = options;
  const store = new RedisStore({ url: options.redis.url, prefix: `${options.redis.prefix}mem:`, logger: silentLogger });
  try {
    await store.ping();
    const sids = new CallSids();
    const now = Date.now();
    const held = Array.from({ length: hunts }, () => holdingHunt(sids.next(), now, now + 10 * 60_000));
    progress(`redis memory: holding ${hunts} hunts …`);
    const before = await usedMemory(client);
    await inBatches(hunts, (i) => storeHoldingHunt(store, held[i]!, (leg) => `CA${(i * 2 + leg).toString(16).padStart(32, 'f')}`));
    const afterHunts = await usedMemory(client);

    const step = Math.max(1, Math.floor(hunts / SAMPLE));
    const sample = held.filter((_, i) => i % step === 0);
    const sampleBytes = await memoryUsage(client, sample.flatMap((h) => [store.keys.hunt(h.callSid), store.keys.huntState(h.callSid)]));
    const deadlinesBytes = await memoryUsage(client, [store.keys.deadlines]);

    progress(`redis memory: call-log entries of the ${hunts} calls …`);
    await inBatches(hunts, async (i) => {
      const hunt = held[i]!;
      await store.createCall(callRecordOf(hunt));
      await store.appendCallEvent(hunt.callSid, { at: now, type: 'step', step: 0, cycle: 0, detail: 'Office, john' });
    });
    const afterCalls = await usedMemory(client);
    return {
      hunts,
      usedMemoryDeltaBytes: afterHunts - before,
      perHuntInfoBytes: (afterHunts - before) / hunts,
      perHuntSampleBytes: sampleBytes / sample.length + deadlinesBytes / hunts,
      sampleSize: sample.length,
      perCallLogInfoBytes: (afterCalls - afterHunts) / hunts,
    };
  } finally {
    await store.close();
  }
}
