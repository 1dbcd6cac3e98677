import { VirtualClock } from '../../src/simulator/virtual-clock';
import type { Store } from '../../src/store/store';
import { startApp, type RunningApp } from '../support/app';
import { storeFactories } from '../support/stores';
import { capturingLogger, playUntil } from './sweeper-support';

const MINUTE = 60_000;
const CALL = 'CA0000000000000000000000000000abcd';

/**
 * During a rolling upgrade an instance of the older version shares the deadline set with newer ones: an entry of a
 * kind it does not know must reach an instance that knows it, not be dropped by the first that claims it.
 */
describe.each(storeFactories())('a deadline entry of a kind this version does not know ($name store)', (factory) => {
  let app: RunningApp;
  let clock: VirtualClock;
  let store: Store;
  let logLines: () => Array<Record<string, unknown>>;

  beforeEach(async () => {
    clock = new VirtualClock();
    store = await factory.make(() => clock.now());
    const { logger, lines } = capturingLogger();
    logLines = lines;
    app = await startApp({ store, clock, logger, closeStore: false, sweeper: { intervalMs: 250 } });
  });
  afterEach(() => app.close());
  afterAll(() => factory.cleanup());

  it('is left in the set for an instance that knows it (a newer one), and the operator is told which entry', async () => {
    const key = `${CALL}/some-future-kind`;
    const due = clock.now() + MINUTE;
    await store.setDeadline(key, due);

    await playUntil(clock, [app.sweeper!], due + 10_000);

    // claimed by this instance (leased), not released: once the lease runs out, any instance can claim it again
    expect(await store.claimDueDeadlines(clock.now() + MINUTE, 10)).toEqual([key]);
    const errors = logLines().filter((line) => Number(line.level) >= 50);
    expect(errors).toEqual([expect.objectContaining({ key, attempts: 1, err: expect.objectContaining({ message: expect.stringContaining('newer version') }) })]);
  });

  it('a max-hold deadline of a call the store no longer has is still simply released', async () => {
    const due = clock.now() + MINUTE;
    await store.addDeadline(CALL, due);

    await playUntil(clock, [app.sweeper!], due + 10_000);

    expect(await store.claimDueDeadlines(clock.now() + MINUTE, 10)).toEqual([]);
    expect(logLines().filter((line) => Number(line.level) >= 40)).toEqual([]);
  });
});
