import { DeadlineSweeper } from '../../src/extend-ring/sweeper';
import { silentLogger } from '../../src/log';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { MemoryStore } from '../../src/store/memory';
import { StoreUnavailableError, type ExtendRingStore } from '../../src/store/store';
import { capturingLogger, playUntil, type Firing } from './sweeper-support';

const MINUTE = 60_000;
const INTERVAL = 250;

describe('deadline sweeper', () => {
  let clock: VirtualClock;
  let store: MemoryStore;
  let fired: Firing[];
  const sweepers: DeadlineSweeper[] = [];

  function sweeper(options: { store?: Pick<ExtendRingStore, 'claimDueDeadlines'>; onDue?: (callSid: string, leasedUntil: number) => Promise<void>;
    logger?: typeof silentLogger } = {}): DeadlineSweeper {
    const made = new DeadlineSweeper({
      store: options.store ?? store,
      clock,
      logger: options.logger ?? silentLogger,
      intervalMs: INTERVAL,
      // like the app's handler: done, so released
      onDue: options.onDue ?? (async (callSid, leasedUntil) => {
        fired.push({ callSid, sweeper: 'one', at: clock.now() });
        await store.releaseDeadline(callSid, leasedUntil);
      }),
    });
    sweepers.push(made);
    return made;
  }

  beforeEach(() => {
    clock = new VirtualClock();
    store = new MemoryStore(() => clock.now());
    fired = [];
  });
  afterEach(() => Promise.all(sweepers.splice(0).map((made) => made.stop())));

  it('a caller on hold reaches max hold once, no later than one sweep interval after the deadline', async () => {
    const deadline = clock.now() + 10 * MINUTE;
    await store.addDeadline('CA-holding', deadline);
    const sweeping = sweeper();
    sweeping.start();

    await playUntil(clock, [sweeping], deadline - 1);
    expect(fired).toEqual([]);

    await playUntil(clock, [sweeping], deadline + 30 * MINUTE);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.callSid).toBe('CA-holding');
    expect(fired[0]!.at).toBeGreaterThanOrEqual(deadline);
    expect(fired[0]!.at).toBeLessThanOrEqual(deadline + INTERVAL);
  });

  it('with its production settings (no interval given) the sweeper fires a deadline at most 1 s late (DESIGN: the redirect at most 1 s late)', async () => {
    const deadline = clock.now() + 10 * MINUTE + 123;
    await store.addDeadline('CA-holding', deadline);
    const production = new DeadlineSweeper({
      store, clock, logger: silentLogger,
      onDue: async (callSid) => void fired.push({ callSid, sweeper: 'production', at: clock.now() }),
    });
    sweepers.push(production);
    production.start();

    await playUntil(clock, [production], deadline + 1000);
    expect(fired.map((f) => f.callSid)).toEqual(['CA-holding']);
    expect(fired[0]!.at - deadline).toBeLessThanOrEqual(1000);
  });

  it('deadlines that fell due while no sweeper ran fire as soon as one starts', async () => {
    await store.addDeadline('CA-overdue', clock.now() - MINUTE);
    const sweeping = sweeper();

    sweeping.start();
    await playUntil(clock, [sweeping], clock.now());

    expect(fired.map((firing) => firing.callSid)).toEqual(['CA-overdue']);
  });

  it('a burst of hundreds of callers reaching max hold together all fire in the same tick', async () => {
    const deadline = clock.now() + MINUTE;
    const calls = Array.from({ length: 350 }, (_, i) => `CA${i}`);
    for (const callSid of calls) await store.addDeadline(callSid, deadline);
    const sweeping = sweeper();
    sweeping.start();

    await playUntil(clock, [sweeping], deadline + INTERVAL);

    expect(fired.map((firing) => firing.callSid).sort()).toEqual([...calls].sort());
    expect(Math.max(...fired.map((firing) => firing.at))).toBeLessThanOrEqual(deadline + INTERVAL);
  });

  it('a failure handling one caller is logged with its CallSid, the other callers still go to voicemail, and it is tried again 15 s later', async () => {
    const { logger, lines } = capturingLogger();
    const deadline = clock.now() + MINUTE;
    for (const callSid of ['CA-a', 'CA-broken', 'CA-b']) await store.addDeadline(callSid, deadline);
    let failures = 0;
    const sweeping = sweeper({
      logger,
      onDue: async (callSid, leasedUntil) => {
        if (callSid === 'CA-broken' && failures++ === 0) throw new Error('Twilio said no');
        fired.push({ callSid, sweeper: 'one', at: clock.now() });
        await store.releaseDeadline(callSid, leasedUntil);
      },
    });
    sweeping.start();

    await playUntil(clock, [sweeping], deadline + MINUTE);

    // again once the lease has run out, on the sweeper's next tick
    expect(fired.map((firing) => [firing.callSid, Math.round((firing.at - deadline) / 1000)])).toEqual([['CA-a', 0], ['CA-b', 0], ['CA-broken', 15]]);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 50, key: 'CA-broken', err: expect.objectContaining({ message: 'Twilio said no' }) }));
  });

  it('an entry whose handler keeps failing (Twilio refusing every request) is tried every 15 s, logged as an error once, then as a reminder every 20 tries, and its success is noted', async () => {
    const { logger, lines } = capturingLogger();
    const deadline = clock.now() + MINUTE;
    await store.addDeadline('CA-refused', deadline);
    let tries = 0;
    const sweeping = sweeper({
      logger,
      onDue: async (callSid, leasedUntil) => {
        if ((tries += 1) <= 25) throw new Error('Twilio answered 401');
        fired.push({ callSid, sweeper: 'one', at: clock.now() });
        await store.releaseDeadline(callSid, leasedUntil);
      },
    });
    sweeping.start();

    await playUntil(clock, [sweeping], deadline + 30 * MINUTE);

    // the 26th try: 25 leases of 15 s, each noticed on the sweeper's next 250 ms tick
    expect(fired.map((firing) => (firing.at - deadline) / 1000)).toEqual([25 * 15.25]);
    const failures = lines().filter((line) => line.key === 'CA-refused' && Number(line.level) >= 40);
    expect(failures.map((line) => [line.level, line.attempts])).toEqual([[50, 1], [50, 20]]);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 30, key: 'CA-refused', attempts: 26, msg: 'deadline sweeper: a due deadline was handled after failing before' }));
  });

  it('an entry its handler sets again for exactly 15 s later (a round pausing 15 s) is not removed when the handler releases its claim', async () => {
    const deadline = clock.now() + MINUTE;
    await store.addDeadline('CA-round/next-round', deadline);
    const sweeping = sweeper({
      onDue: async (key, leasedUntil) => {
        fired.push({ callSid: key, sweeper: 'one', at: clock.now() });
        if (fired.length === 1) await store.setDeadline(key, clock.now() + 15_000);
        await store.releaseDeadline(key, leasedUntil);
      },
    });
    sweeping.start();

    await playUntil(clock, [sweeping], deadline + MINUTE);
    expect(fired.map((firing) => Math.round((firing.at - deadline) / 1000))).toEqual([0, 15]);
  });

  it('a caller whose handler never finished (its instance died) is handed out again once the lease runs out', async () => {
    const deadline = clock.now() + MINUTE;
    await store.addDeadline('CA-orphaned', deadline);
    const dying = sweeper({ onDue: async (callSid) => void fired.push({ callSid, sweeper: 'dying', at: clock.now() }) });
    dying.start();
    await playUntil(clock, [dying], deadline);
    await dying.stop();
    const survivor = sweeper();
    survivor.start();
    await playUntil(clock, [survivor], deadline + MINUTE);

    expect(fired.map((firing) => [firing.sweeper, Math.round((firing.at - deadline) / 1000)])).toEqual([['dying', 0], ['one', 15]]);
  });

  it('while the store is unreachable the sweeper logs once and keeps trying; the deadline fires once it is back', async () => {
    const { logger, lines } = capturingLogger();
    const deadline = clock.now() + MINUTE;
    await store.addDeadline('CA-holding', deadline);
    let outage = true;
    const flaky: Pick<ExtendRingStore, 'claimDueDeadlines'> = {
      claimDueDeadlines: (nowMs, limit) =>
        (outage ? Promise.reject(new StoreUnavailableError('Redis is unavailable')) : store.claimDueDeadlines(nowMs, limit)),
    };
    const sweeping = sweeper({ store: flaky, logger });
    sweeping.start();

    await playUntil(clock, [sweeping], deadline + 10 * INTERVAL);
    expect(fired).toEqual([]);
    outage = false;
    await playUntil(clock, [sweeping], deadline + 11 * INTERVAL);

    expect(fired.map((firing) => firing.callSid)).toEqual(['CA-holding']);
    expect(lines().filter((line) => line.level === 40)).toHaveLength(1);
    expect(lines()).toContainEqual(expect.objectContaining({ level: 30, msg: expect.stringContaining('answers again') }));
  });

  it('stop() waits for the caller being handled, and nothing fires after it', async () => {
    const deadline = clock.now() + MINUTE;
    await store.addDeadline('CA-first', deadline);
    await store.addDeadline('CA-later', deadline + MINUTE);
    let release!: () => void;
    const handled: string[] = [];
    const sweeping = sweeper({
      onDue: (callSid, leasedUntil) => new Promise<void>((resolve) => {
        release = () => {
          handled.push(callSid);
          resolve(store.releaseDeadline(callSid, leasedUntil));
        };
      }),
    });
    sweeping.start();
    for (let timers = 0; !release && timers < 1000; timers += 1) {
      clock.runNext();
      await new Promise((resolve) => setImmediate(resolve));
    }

    let stopped = false;
    const stopping = sweeping.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(handled).toEqual(['CA-first']);
    clock.advanceBy(10 * MINUTE);
    expect(clock.pending).toBe(0);
    expect(await store.claimDueDeadlines(clock.now(), 10)).toEqual(['CA-later']);
  });
});
