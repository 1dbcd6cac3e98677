import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { StoreUnavailableError } from '../../src/store/store';
import { describeRedis } from '../support/redis';
import { aUser } from './fixtures';

/**
 * The schema version kept under REDIS_PREFIX: a version of the app older than the data it finds (a rollback, an old
 * instance left running after an upgrade that changed the data) must not read and write what it would misread.
 */
describeRedis('Redis schema version', (redis) => {
  const made: RedisStore[] = [];
  const open = (prefix: string, onIncompatibleSchema?: (error: Error) => void): RedisStore => {
    const store = new RedisStore({ url: redis.url, prefix, logger: silentLogger, ...(onIncompatibleSchema ? { onIncompatibleSchema } : {}) });
    made.push(store);
    return store;
  };
  afterAll(() => Promise.all(made.map((store) => store.close())));

  /** Reads the schema key once the store's connection check has run (bounded). */
  async function schemaOf(prefix: string): Promise<string | null> {
    for (let i = 0; i < 100; i += 1) {
      const value = await redis.client().get(`${prefix}schema`);
      if (value !== null) return value;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return null;
  }

  it('an empty prefix is marked with schema 1 when the app connects, and the store serves', async () => {
    const prefix = redis.subPrefix();
    const store = open(prefix);
    await store.createUser(aUser());
    expect(await schemaOf(prefix)).toBe('1');
    expect(await store.getUser(aUser().id)).toMatchObject({ id: aUser().id });
  });

  it('data kept before there was a schema number (all of schema 1) is marked 1 and read as before', async () => {
    const prefix = redis.subPrefix();
    const first = open(prefix);
    await first.createUser(aUser());
    await redis.client().del(`${prefix}schema`);
    const later = open(prefix);
    expect(await later.getUser(aUser().id)).toMatchObject({ id: aUser().id });
    expect(await schemaOf(prefix)).toBe('1');
  });

  it('data of a newer schema: every store call fails, nothing is written, and the app is told (the server stops)', async () => {
    const prefix = redis.subPrefix();
    await redis.client().set(`${prefix}schema`, '2');
    const told: Error[] = [];
    const store = open(prefix, (error) => told.push(error));
    for (let i = 0; i < 100 && told.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(told).toHaveLength(1);
    expect(told[0]!.message).toMatch(/schema version "2".*REDIS_PREFIX/);
    await expect(store.createUser(aUser())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.listUsers()).rejects.toThrow(/newer version/);
    expect(await redis.client().exists(`${prefix}{dir}:users`)).toBe(0);
    expect(await redis.client().get(`${prefix}schema`)).toBe('2');
  });
});
