import type { Config } from '../config';
import type { Logger } from '../log';
import { MemoryStore } from './memory';
import { RedisStore, type RedisStoreOptions } from './redis';
import type { Store } from './store';

/** Redis when REDIS_URL is set (keys under REDIS_PREFIX), otherwise the embedded in-process store. */
export function createStore(config: Config, logger: Logger, hooks: Pick<RedisStoreOptions, 'onIncompatibleSchema'> = {}): Store {
  if (!config.redisUrl) {
    logger.warn('REDIS_URL is not set: using the embedded in-process store (one instance, nothing survives a restart)');
    return new MemoryStore();
  }
  return new RedisStore({
    url: config.redisUrl, prefix: config.redisPrefix, logger: logger.child({ component: 'redis' }), tlsRejectUnauthorized: config.redisTlsRejectUnauthorized,
    ...hooks,
  });
}
