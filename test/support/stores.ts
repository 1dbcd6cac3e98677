import { Redis } from 'ioredis';
import { testEnvironment } from '../../src/config';
import { silentLogger } from '../../src/log';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { deleteKeys, redisIsReachable, redisMissingMessage, redisTestUrl, uniquePrefix } from './redis';
import { warnSkipped } from './skip-warning';

export interface StoreFactory {
  readonly name: 'memory' | 'redis';
  /** A new, empty store. `now` (epoch ms) drives expiry in the memory store and call-log index scores in Redis. */
  make(now?: () => number): Promise<Store>;
  /** Closes every store made and removes what they wrote. Call it in afterAll (or afterEach). */
  cleanup(): Promise<void>;
}

export function memoryStoreFactory(): StoreFactory {
  return {
    name: 'memory',
    make: async (now) => new MemoryStore(now),
    cleanup: async () => undefined,
  };
}

/** Each store gets its own key prefix under one `test:<random>:` prefix, deleted by cleanup(). */
export function redisStoreFactory(): StoreFactory {
  const prefix = uniquePrefix();
  const made: RedisStore[] = [];
  return {
    name: 'redis',
    async make(now) {
      const store = new RedisStore({ url: redisTestUrl, prefix: `${prefix}${made.length + 1}:`, logger: silentLogger, now });
      made.push(store);
      await store.ping();
      return store;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((store) => store.close()));
      const client = new Redis(redisTestUrl, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeys(client, prefix);
      } finally {
        await client.quit();
      }
    },
  };
}

/**
 * The stores a suite runs the same tests against: memory always; Redis when it answers. Without Redis the redis
 * entry is left out with a warning on a developer machine, and under CI it is kept but every make() fails.
 */
export function storeFactories(): StoreFactory[] {
  if (redisIsReachable()) return [memoryStoreFactory(), redisStoreFactory()];
  if (testEnvironment().ci) {
    return [memoryStoreFactory(), {
      name: 'redis',
      make: () => Promise.reject(new Error(redisMissingMessage())),
      cleanup: async () => undefined,
    }];
  }
  warnSkipped(`the Redis store variant: no Redis answers at ${redisTestUrl} (start one, or set REDIS_URL)`);
  return [memoryStoreFactory()];
}
