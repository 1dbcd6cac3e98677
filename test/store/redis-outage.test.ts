import net from 'node:net';
import { createLogger, silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { StoreUnavailableError } from '../../src/store/store';
import { freePort } from '../support/ports';
import { describeRedis } from '../support/redis';
import { aUser } from './fixtures';

/** A TCP relay in front of the real Redis that can be taken down and brought back on the same port, or frozen. */
class RedisRelay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  /** While true, bytes in either direction are dropped: a Redis that hangs, or a network that drops packets. */
  frozen = false;
  /** Connections whose bytes are dropped from now on (a half-open connection: a failover behind one address). */
  private readonly blackHoled = new Set<net.Socket>();
  /** Chunks the app sent that were dropped (frozen, or on a black-holed connection). */
  dropped = 0;
  /** Connections whose replies from Redis are held back (slowDown), and those replies, in order, until release(). */
  private readonly slowed = new Set<net.Socket>();
  private held: Array<() => void> = [];

  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname || '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      // forwarded by hand, so that freeze() can make Redis look hung (connections open, nothing answered)
      client.on('data', (data: Buffer) => {
        if (this.frozen || this.blackHoled.has(client)) this.dropped += 1;
        else upstream.write(data);
      });
      upstream.on('data', (data: Buffer) => {
        if (this.frozen || this.blackHoled.has(client)) return;
        if (this.slowed.has(client)) this.held.push(() => client.write(data));
        else client.write(data);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /**
   * On the connections open now, Redis's replies are held back (the commands do reach Redis): a Redis busy for a moment,
   * e.g. forking for a snapshot. New connections work.
   */
  slowDown(): void {
    for (const socket of this.sockets) this.slowed.add(socket);
  }

  /** The held replies are sent, in order, and later ones go straight through again. */
  release(): void {
    const held = this.held;
    this.held = [];
    this.slowed.clear();
    for (const send of held) send();
  }

  /** The connections open now stop carrying anything, without closing; new ones work. */
  blackHoleExisting(): void {
    for (const socket of this.sockets) this.blackHoled.add(socket);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Retries until the check passes (Redis reconnects with capped backoff); jest's timeout bounds the wait. */
async function eventually(check: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('Redis store when Redis is down', () => {
  it('ping, reads and writes fail with StoreUnavailableError instead of hanging, and the store still closes', async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}`, prefix: 'test:down:', logger: silentLogger });

    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.getUser('user-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.createUser(aUser())).rejects.toBeInstanceOf(StoreUnavailableError);

    await store.close();
  });
});

/** A Redis store reaching the real Redis through a relay the test controls; both closed afterwards. */
async function throughRelay(
  redisUrl: string, prefix: string, run: (store: RedisStore, relay: RedisRelay) => Promise<void>, logger = silentLogger,
): Promise<void> {
  const relay = new RedisRelay(new URL(redisUrl));
  await relay.start();
  const store = new RedisStore({ url: `redis://127.0.0.1:${relay.port}`, prefix, logger });
  try {
    await store.createUser(aUser());
    await run(store, relay);
  } finally {
    relay.frozen = false;
    relay.release();
    await store.close();
    await relay.stop();
  }
}

describeRedis('Redis store across a Redis outage', (redis) => {
  it('fails with StoreUnavailableError while Redis is gone and answers again by itself when it returns', async () => {
    await throughRelay(redis.url, redis.subPrefix(), async (store, relay) => {
      await relay.stop();
      await expect(store.getUser('user-1')).rejects.toBeInstanceOf(StoreUnavailableError);

      await relay.start();
      await eventually(() => store.ping());
      expect(await store.getUser('user-1')).toEqual(aUser());
    });
  });
});

describeRedis('Redis store when Redis hangs', (redis) => {
  it('a command Redis never answers fails with StoreUnavailableError after the command timeout (webhooks must not outwait Twilio\'s 15 s)', async () => {
    await throughRelay(redis.url, redis.subPrefix(), async (store, relay) => {
      relay.frozen = true;
      await expect(store.getUser('user-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });
});

describeRedis('Redis store when Redis is slow for a moment', (redis) => {
  it('a command Redis answers too late fails, and once Redis answers again the next call is served, not failed for 2 s', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    await throughRelay(redis.url, redis.subPrefix(), async (store, relay) => {
      relay.slowDown();
      await expect(store.getUser('user-1')).rejects.toThrow(/timed out/);
      // Redis catches up: the late reply goes out, and so does the answer to anything sent since
      relay.release();
      // the app reads what Redis sent (a bounded wait: a few turns of its event loop, far less than the 2 s pause)
      for (let turn = 0; turn < 100 && !lines.some((line) => line.includes('Redis answers again')); turn += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await expect(store.getUser('user-1')).resolves.toEqual(aUser());
    }, logger);
  });

  it('when Redis still does not answer, calls go on failing at once, and the second timeout in a row replaces the connection', async () => {
    await throughRelay(redis.url, redis.subPrefix(), async (store, relay) => {
      relay.slowDown();
      await expect(store.getUser('user-1')).rejects.toThrow(/timed out/);
      await expect(store.getUser('user-1')).rejects.toThrow(/did not answer a moment ago/);
      // (bounded by the clock, not by jest's timeout) after the pause, the next call times out too: a new connection
      // is made, whose replies are not held back
      let answered: unknown;
      for (const giveUpAt = Date.now() + 12_000; answered === undefined && Date.now() < giveUpAt;) {
        answered = await store.getUser('user-1').catch(() => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)));
      }
      expect(answered).toEqual(aUser());
    });
  });
});

describeRedis('Redis store on a connection that went dead without closing', (redis) => {
  it('the command that timed out is followed at once by failures that send nothing, then by a new connection that answers', async () => {
    await throughRelay(redis.url, redis.subPrefix(), async (store, relay) => {
      relay.blackHoleExisting();
      await expect(store.getUser('user-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      const dropped = relay.dropped;
      expect(dropped).toBeGreaterThan(0);
      // a webhook reading the store again in turn is not held up another 2 s
      await expect(store.getUser('user-1')).rejects.toThrow(/did not answer/);
      expect(relay.dropped).toBe(dropped);

      // (bounded by the clock, not by jest's timeout, so that a failure here cannot leave the loop running)
      let answered: unknown;
      for (const giveUpAt = Date.now() + 12_000; answered === undefined && Date.now() < giveUpAt;) {
        answered = await store.getUser('user-1').catch(() => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)));
      }
      expect(answered).toEqual(aUser());
    });
  });
});

describeRedis('Redis store refusing our credentials', (redis) => {
  it('the failure is logged without the password (ioredis puts the AUTH command, password and all, on its error)', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const url = new URL(redis.url);
    url.username = 'no-such-user';
    url.password = 'the-secret-password-42';
    const store = new RedisStore({ url: url.toString(), prefix: redis.subPrefix(), logger });
    try {
      await expect(store.getUser('user-1')).rejects.toBeInstanceOf(StoreUnavailableError);
      await eventually(async () => expect(lines.join('')).toContain('Redis connection failed'));
      expect(lines.join('')).not.toContain('the-secret-password-42');
    } finally {
      await store.close();
    }
  });
});
