import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { testEnvironment } from '../../src/config';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { freePort } from '../support/ports';
import { warnSkipped } from '../support/skip-warning';
import { anExtendRingHunt } from './fixtures';

/**
 * One slow command (another client's script, a fork stall) holds a healthy Redis up past the command timeout. It runs
 * here on a Redis of the test's own (redis-server on a free port), since it stops every client of that Redis meanwhile.
 */
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && !testEnvironment().ci) warnSkipped('the slow-Redis tests: redis-server is not installed');
const describeWithRedisServer = hasRedisServer || testEnvironment().ci ? describe : describe.skip;

/** Busy for 2.5 s inside Redis (a script that watches the clock), longer than the 2 s command timeout. */
const SLOW_SCRIPT = "local t = redis.call('TIME'); local s = t[1] * 1000000 + t[2]; "
  + "repeat t = redis.call('TIME') until (t[1] * 1000000 + t[2]) - s > 2500000; return 1";

describeWithRedisServer('Redis store when one slow command holds Redis up', () => {
  let server: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    const probe = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    await probe.ping();
    probe.disconnect();
  });
  afterAll(() => {
    server.kill('SIGKILL');
  });

  it('a hunt created while another command times out is created once: its call is told it created it', async () => {
    const store = new RedisStore({ url, prefix: 'slow:', logger: silentLogger });
    const other = new Redis(url);
    try {
      await store.ping();
      const slow = other.eval(SLOW_SCRIPT, 0);
      const timedOut = store.ping().then(() => 'answered', () => 'failed');
      // issued after the ping, answered only once the script ends (after the ping timed out)
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const created = store.createHunt(anExtendRingHunt({ callSid: 'CA-slow' }), 3600).catch(() => 'failed');
      await slow;
      expect(await timedOut).toBe('failed');
      expect(await created).toBe(true);
      expect((await store.getHunt('CA-slow'))?.callSid).toBe('CA-slow');
    } finally {
      other.disconnect();
      await store.close();
    }
  });
});
