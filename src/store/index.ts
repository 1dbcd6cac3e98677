import type { Config } from '../config';
import type { Logger } from '../log';
import { MemoryStore } from './memory';
import type { Store } from './store';

/** Redis when REDIS_URL is set, otherwise the embedded in-process store. */
export function createStore(config: Config, logger: Logger): Store {
  if (!config.redisUrl) {
    logger.warn('REDIS_URL is not set: using the embedded in-process store (one instance, nothing survives a restart)');
    return new MemoryStore();
  }
  // Replaced by the Redis store.
  throw new Error('Redis store not built yet');
}
