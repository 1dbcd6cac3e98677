import { Redis } from 'ioredis';
import { RedisStore } from '../../src/store/redis';
import { VoicePath } from '../../src/voice/urls';
import { redisTestUrl } from '../support/redis';
import { storeFactories } from '../support/stores';
import { el } from '../support/twilio';
import { CALLER, john, JOHNS_NUMBER, OFFICE } from './rig';
import { CALLER_SID, callerParams, incoming, placedLegs, startStageRig, type StageRig } from './stage-rig';

const HOUR = 60 * 60_000;

/**
 * Twilio signs a webhook without a timestamp, so a captured /voice/incoming stays validly signed. Once the call has
 * ended and its hunt is forgotten (6 hours on), sending it again must not ring the owner's phones: no Twilio call
 * lasts that long (4 hours at most), so a call logged that long ago is over.
 */
describe.each(storeFactories())('an incoming webhook sent again hours after its call ($name store)', (factory) => {
  let rig: StageRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  /** The store forgets the hunt as its 6-hour expiry does: the memory store on its clock, Redis by deleting its keys. */
  async function huntExpires(): Promise<void> {
    rig.clock.advanceBy(7 * HOUR);
    if (!(rig.store instanceof RedisStore)) return;
    const client = new Redis(redisTestUrl, { maxRetriesPerRequest: 1 });
    try {
      await client.del(rig.store.keys.hunt(CALLER_SID), rig.store.keys.huntState(CALLER_SID));
    } finally {
      await client.quit();
    }
  }

  it('is hung up: nobody is called, no deadline is set, and the call log keeps the call as it ended', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    await rig.post(rig.app.baseUrl + VoicePath.ExtendRingQueueExit, callerParams({ QueueResult: 'hangup', QueueSid: 'QU00000000000000000000000000000009' }));
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '30' }));
    await rig.settle();
    const logged = await rig.store.getCall(CALLER_SID);
    expect(logged?.outcome).toBe('missed');
    await huntExpires();
    expect(await rig.store.getHunt(CALLER_SID)).toBeNull();

    expect(await incoming(rig)).toEqual(el('Response', {}, el('Hangup')));
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE]);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 24 * HOUR, 10)).not.toContain(CALLER_SID);
    expect((await rig.store.getHunt(CALLER_SID))?.state).not.toBe('hunting');
    expect(await rig.store.getCall(CALLER_SID)).toEqual(logged);
  });

  it('a call logged moments ago whose hunt was not stored (its first webhook failed half-way) still starts its hunt', async () => {
    rig = await startStageRig(factory);
    const startedAt = new Date(rig.clock.now()).toISOString();
    await rig.store.createCall({ callSid: CALLER_SID, userId: john.id, from: CALLER, to: JOHNS_NUMBER, startedAt, events: [] });
    rig.clock.advanceBy(2_000);
    const twiml = await incoming(rig);
    expect(twiml.children.map((c) => c.name)).toEqual(['Enqueue']);
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE]);
  });
});
