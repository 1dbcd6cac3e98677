import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testEnvironment } from '../../src/config';
import { warnSkipped } from './skip-warning';

/**
 * The Redis every Redis-backed suite uses (REDIS_URL, or redis://127.0.0.1:6379).
 * Without an answering Redis a suite is skipped with a warning on a developer machine, and fails under CI.
 */
export const redisTestUrl: string = testEnvironment().redisUrl;

/** What a Redis-backed suite gets: its own key prefix (deleted after the suite) and a raw client for inspection. */
export interface RedisTestContext {
  readonly url: string;
  /** `test:<random>:`, unique to this suite. */
  readonly prefix: string;
  /** A fresh prefix under the suite's prefix, for one test that needs an empty keyspace. */
  subPrefix(): string;
  /** A plain client (opened on first use, closed after the suite) for looking at keys. */
  client(): Redis;
}

let reachable: boolean | undefined;

/** Asks Redis for PING in a child process, once per test file (jest's describe cannot wait for a promise). */
export function redisIsReachable(): boolean {
  reachable ??= probe(redisTestUrl);
  return reachable;
}

const PROBE = `
const { Redis } = require('ioredis');
const redis = new Redis(process.argv[1], { lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000,
  maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
redis.on('error', () => {});
redis.connect().then(() => redis.ping()).then(() => process.exit(0), () => process.exit(1));
`;

function probe(url: string): boolean {
  const result = spawnSync(process.execPath, ['-e', PROBE, url], { cwd: process.cwd(), timeout: 5000, stdio: 'ignore' });
  return result.status === 0;
}

export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under the prefix (SCAN + DEL, never KEYS). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The message a suite fails with under CI when Redis does not answer. */
export function redisMissingMessage(): string {
  return `Redis is required under CI: nothing answers at ${redisTestUrl}`;
}

/**
 * describe() for a suite that needs Redis. Reachable: runs `fn` with a context whose keys are removed after the
 * suite. Unreachable: under CI one failing test; elsewhere the suite is skipped with a warning.
 */
export function describeRedis(name: string, fn: (redis: RedisTestContext) => void): void {
  const context = createContext();
  if (redisIsReachable()) {
    describe(name, () => {
      afterAll(() => context.dispose());
      fn(context);
    });
    return;
  }
  if (testEnvironment().ci) {
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error(redisMissingMessage());
      });
    });
    return;
  }
  warnSkipped(`"${name}": no Redis answers at ${redisTestUrl} (start one, or set REDIS_URL)`);
  describe.skip(name, () => fn(context));
}

function createContext(): RedisTestContext & { dispose(): Promise<void> } {
  const prefix = uniquePrefix();
  let client: Redis | undefined;
  let counter = 0;
  return {
    url: redisTestUrl,
    prefix,
    subPrefix: () => `${prefix}${++counter}:`,
    client: () => (client ??= new Redis(redisTestUrl, { maxRetriesPerRequest: 1 })),
    async dispose() {
      const cleaner = client ?? new Redis(redisTestUrl, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeys(cleaner, prefix);
      } finally {
        await cleaner.quit();
        client = undefined;
      }
    },
  };
}
