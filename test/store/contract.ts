import type { Store } from '../../src/store/store';
import { rulesContract, usersContract } from './contract-directory';
import { deadlinesContract } from './contract-deadlines';
import { claimsContract, huntStatesContract, stepsContract } from './contract-extend-ring';
import { callLogContract, callbacksContract, copiesContract, huntsContract, voicemailsContract } from './contract-records';

/** A hand-driven clock (epoch ms). */
export class TestClock {
  constructor(private current = Date.UTC(2025, 0, 1, 10)) {}
  readonly now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

export type Expiring = { hunt: string } | { call: string };

export interface ContractFactory {
  /** A new, empty store on the given clock. */
  make(clock: TestClock): Promise<Store>;
  /** Closes the stores made and removes their data. */
  cleanup(): Promise<void>;
  /**
   * Shows that an item just written is forgotten `seconds` after it was written: the memory store by advancing
   * its clock, Redis by the expiry set on the key (no test sleeps).
   */
  expectExpiry(store: Store, clock: TestClock, item: Expiring, seconds: number): Promise<void>;
  /** A second handle on the same data, as another app instance would have (the memory store: itself). */
  twin(store: Store): Promise<Store>;
}

/** The behaviour every Store must have (src/store/store.ts). Both stores run this same suite. */
export function storeContract(name: string, factory: ContractFactory): void {
  describe(`${name} store contract`, () => {
    let clock: TestClock;
    let store: Store;

    beforeEach(async () => {
      clock = new TestClock();
      store = await factory.make(clock);
    });
    afterAll(() => factory.cleanup());

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    usersContract(() => store);
    rulesContract(() => store);
    huntsContract(() => ({ store, clock, factory }));
    voicemailsContract(() => store);
    callbacksContract(() => store);
    callLogContract(() => ({ store, clock, factory }));
    copiesContract(() => store);
    huntStatesContract(() => ({ store, clock, factory }));
    claimsContract(() => ({ store, clock, factory }));
    stepsContract(() => ({ store, clock, factory }));
    deadlinesContract(() => ({ store, clock, factory }));
  });
}
