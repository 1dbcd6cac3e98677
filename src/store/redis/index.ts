export { RedisStore, type RedisStoreOptions } from './redis-store';
export { redisKeys, type RedisKeys } from './keys';
