import { MemoryStore } from '../../src/store/memory';
import type { Store } from '../../src/store/store';
import { storeContract, type Expiring, type TestClock } from './contract';
import { anExtendRingHunt, aVoicemail, legsOf } from './fixtures';

async function expectForgottenAfter(store: Store, clock: TestClock, item: Expiring, seconds: number): Promise<void> {
  const read = (): Promise<unknown> => ('hunt' in item ? store.getHunt(item.hunt) : store.getCall(item.call));
  clock.advance(seconds * 1000 - 1);
  expect(await read()).not.toBeNull();
  clock.advance(1);
  expect(await read()).toBeNull();
}

storeContract('memory', {
  make: async (clock) => new MemoryStore(clock.now),
  cleanup: async () => undefined,
  expectExpiry: expectForgottenAfter,
  twin: async (store) => store,
});

describe('memory store expiry', () => {
  it('a CallSid whose hunt has expired can be claimed again', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.createHunt({ callSid: 'CA1', userId: 'u', userName: 'U', from: '+1', to: '+2', plan: null,
      state: 'voicemail', step: 0, cycle: 0, createdAt: 0 }, 10);
    now = 10_000;
    expect(await store.createHunt({ callSid: 'CA1', userId: 'u', userName: 'U', from: '+1', to: '+2', plan: null,
      state: 'hunting', step: 0, cycle: 0, createdAt: 10_000 }, 10)).toBe(true);
    expect((await store.getHunt('CA1'))?.state).toBe('hunting');
  });

  it('a deleted voicemail stays refused for a week (Twilio may repeat its recording callback), then its mark is forgotten', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    const voicemail = aVoicemail();
    await store.saveVoicemail(voicemail);
    await store.deleteVoicemail(voicemail.id);

    now = 7 * 24 * 60 * 60 * 1000 - 1;
    expect(await store.saveVoicemail(voicemail)).toBe(false);
    expect(await store.getVoicemail(voicemail.id)).toBeNull();
    now += 1;
    expect(await store.saveVoicemail(voicemail)).toBe(true);
  });

  it('expired call log entries leave the list', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.createCall({ callSid: 'CA1', userId: 'u', from: '+1', to: '+2', startedAt: 'x', events: [] });
    now = 30 * 24 * 60 * 60 * 1000;
    expect(await store.listCalls()).toEqual([]);
  });
});

describe('memory store Extend Ring expiry', () => {
  it('a hunt\'s legs are forgotten with it, and a claim then finds the caller gone', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    const hunt = anExtendRingHunt();
    await store.createHunt(hunt, 10);
    await store.startStep(hunt.callSid, 0, 0, legsOf(hunt, 0, 0));

    now = 10_000;

    expect(await store.listLegs(hunt.callSid)).toEqual([]);
    expect(await store.claimHunt(hunt.callSid, '0.0.0', 'connected')).toBe('gone');
    expect(await store.finishLeg(hunt.callSid, '0.0.0', 'no-answer')).toEqual({ counted: false });
  });
});
