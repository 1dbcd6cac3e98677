import { DeadlineSweeper } from '../../src/extend-ring/sweeper';
import { silentLogger } from '../../src/log';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { RedisStore } from '../../src/store/redis';
import { describeRedis } from '../support/redis';
import { playUntil, type Firing } from './sweeper-support';

const MINUTE = 60_000;
const INTERVAL = 250;

describeRedis('deadline sweepers of several app instances sharing one Redis', (redis) => {
  let clock: VirtualClock;
  let prefix: string;
  let fired: Firing[];
  const stores: RedisStore[] = [];
  const sweepers: DeadlineSweeper[] = [];

  /** One app instance: its own connection to the shared Redis, and its own sweeper. */
  function instance(name: string): { store: RedisStore; sweeper: DeadlineSweeper } {
    const store = new RedisStore({ url: redis.url, prefix, logger: silentLogger, now: () => clock.now() });
    const sweeper = new DeadlineSweeper({
      store, clock, logger: silentLogger, intervalMs: INTERVAL,
      // like the app's handler: done, so released
      onDue: async (callSid, leasedUntil) => {
        fired.push({ callSid, sweeper: name, at: clock.now() });
        await store.releaseDeadline(callSid, leasedUntil);
      },
    });
    stores.push(store);
    sweepers.push(sweeper);
    return { store, sweeper };
  }

  beforeEach(() => {
    clock = new VirtualClock();
    prefix = redis.subPrefix();
    fired = [];
  });
  afterEach(async () => {
    await Promise.all(sweepers.splice(0).map((sweeper) => sweeper.stop()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('two instances sweeping together fire every caller\'s max hold exactly once, on time', async () => {
    const first = instance('first');
    const second = instance('second');
    const start = clock.now();
    const deadlines = Array.from({ length: 120 }, (_, i) => ({ callSid: `CA${i}`, due: start + MINUTE + (i % 12) * 5000 }));
    await Promise.all(deadlines.map(({ callSid, due }, i) => (i % 2 ? first : second).store.addDeadline(callSid, due)));
    first.sweeper.start();
    second.sweeper.start();

    await playUntil(clock, [first.sweeper, second.sweeper], start + 5 * MINUTE);

    expect(fired.map((firing) => firing.callSid).sort()).toEqual(deadlines.map(({ callSid }) => callSid).sort());
    for (const { callSid, due } of deadlines) {
      const firing = fired.find((f) => f.callSid === callSid)!;
      expect(firing.at).toBeGreaterThanOrEqual(due);
      expect(firing.at).toBeLessThanOrEqual(due + INTERVAL);
    }
  });

  it('a deadline set by an instance that has since died is still fired by another', async () => {
    const dead = instance('dead');
    const deadline = clock.now() + 10 * MINUTE;
    await dead.store.addDeadline('CA-orphan', deadline);
    await dead.store.close();
    const survivor = instance('survivor');
    survivor.sweeper.start();

    await playUntil(clock, [survivor.sweeper], deadline + MINUTE);

    expect(fired).toEqual([{ callSid: 'CA-orphan', sweeper: 'survivor', at: expect.any(Number) }]);
    expect(fired[0]!.at - deadline).toBeLessThanOrEqual(INTERVAL);
  });
});
