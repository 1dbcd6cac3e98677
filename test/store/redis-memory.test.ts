import { memoryUsage, usedMemory } from '../../src/bench/memory';
import { HUNT_TTL_SECONDS } from '../../src/domain/hunt-plan';
import type { Hunt } from '../../src/domain/types';
import { stepCheckKey } from '../../src/extend-ring/due-keys';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { describeRedis } from '../support/redis';
import { aHunt, legsOf } from './fixtures';

const HUNTS = 10_000;
const BATCH = 500;
const BUDGET_BYTES_PER_HUNT = 2048;

/** A realistic Extend Ring hunt: one step ringing the office phone and John's app, both placed and ringing. */
function holdingCall(i: number): Hunt {
  const callSid = `CA${i.toString(16).padStart(32, '0')}`;
  const hunt = aHunt({ callSid, queueName: `hold-${callSid}`, deadline: 1735690200000 + i });
  hunt.plan!.steps = [{
    destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }, { type: 'client', to: 'john' }],
    ringSeconds: 40,
  }];
  hunt.plan!.voicemail.greeting = 'John can\'t take your call right now. Please leave a message after the tone.';
  return hunt;
}

async function holdCall(store: RedisStore, i: number): Promise<void> {
  const hunt = holdingCall(i);
  await store.createHunt(hunt, HUNT_TTL_SECONDS);
  await store.startStep(hunt.callSid, 0, 0, legsOf(hunt, 0, 0));
  await Promise.all([0, 1].map((leg) =>
    store.updateLeg(hunt.callSid, `0.0.${leg}`, { sid: `CA${(i * 2 + leg).toString(16).padStart(32, 'f')}`, status: 'ringing' })));
  await store.addDeadline(hunt.callSid, hunt.deadline!);
  await store.setDeadline(stepCheckKey(hunt.callSid), hunt.createdAt + 50_000);
}

describeRedis('Redis memory per hunt', (redis) => {
  let store: RedisStore;
  beforeAll(() => {
    store = new RedisStore({ url: redis.url, prefix: redis.subPrefix(), logger: silentLogger });
  });
  afterAll(() => store.close());

  it(`${HUNTS} calls on hold (hunt, one step of two ringing legs, max-hold deadline, step watchdog) take at most 2 KB each`, async () => {
    const client = redis.client();
    const before = await usedMemory(client);
    for (let start = 0; start < HUNTS; start += BATCH) {
      await Promise.all(Array.from({ length: BATCH }, (_, k) => holdCall(store, start + k)));
    }
    const infoDelta = ((await usedMemory(client)) - before) / HUNTS;

    const keys = Array.from({ length: HUNTS }, (_, i) => holdingCall(i).callSid)
      .flatMap((callSid) => [store.keys.hunt(callSid), store.keys.huntState(callSid)]);
    const perHunt = (await memoryUsage(client, [...keys, store.keys.deadlines])) / HUNTS;
    process.stdout.write(`Redis memory per hunt: MEMORY USAGE ${perHunt.toFixed(0)} B, INFO used_memory delta ${infoDelta.toFixed(0)} B\n`);

    expect(await client.zcard(store.keys.deadlines)).toBe(2 * HUNTS);
    expect(await store.listLegs(holdingCall(HUNTS - 1).callSid)).toHaveLength(2);
    // MEMORY USAGE counts exactly these keys. The INFO delta is the whole server's, so it also counts whatever the
    // suites running alongside write or delete meanwhile: printed, and judged by `npm run bench` on a quiet Redis.
    expect(perHunt).toBeLessThanOrEqual(BUDGET_BYTES_PER_HUNT);
  }, 120_000);
});
