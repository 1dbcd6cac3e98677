import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { describeRedis } from '../support/redis';
import { storeContract, type Expiring, type TestClock } from './contract';

describeRedis('Redis store', (redis) => {
  const made: RedisStore[] = [];

  /** Redis expires keys on its own clock: the test reads the expiry set on the key instead of waiting. */
  async function expectKeyExpiry(store: Store, _clock: TestClock, item: Expiring, seconds: number): Promise<void> {
    const keys = (store as RedisStore).keys;
    const expiring = 'hunt' in item ? [keys.hunt(item.hunt), keys.huntState(item.hunt)] : [keys.call(item.call)];
    for (const key of expiring) {
      const ttl = await redis.client().pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(seconds * 1000);
    }
  }

  storeContract('redis', {
    async make(clock) {
      const store = new RedisStore({ url: redis.url, prefix: redis.subPrefix(), logger: silentLogger, now: clock.now });
      made.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(made.splice(0).map((store) => store.close()));
    },
    expectExpiry: expectKeyExpiry,
    async twin(store) {
      const twin = new RedisStore({ url: redis.url, prefix: (store as RedisStore).keys.prefix, logger: silentLogger });
      made.push(twin);
      return twin;
    },
  });
});
