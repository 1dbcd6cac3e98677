import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import {
  apiLegs, CELL, HOME, OFFICE, requestsTo, ringingRounds, sinceStart, spoken, startRig, type RingRig,
} from './rig';

const DEADLINE_S = 180;

describe.each(storeFactories())('Extend Ring: the caller holds while John\'s phones ring ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('when nobody answers, the office and then cell and home ring in turn until 3:00, when the caller is sent to voicemail', async () => {
    rig = await startRig({ factory, emulator: { playSeconds: 45 } });
    const call = await rig.placeCall();
    await rig.run(600);

    const rounds = ringingRounds(rig.em);
    expect(rounds.slice(0, 5)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE], [CELL, HOME].sort(), [OFFICE]]);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    const sentAt = sinceStart(call, voicemail[0]?.at ?? Infinity);
    expect(sentAt).toBeGreaterThanOrEqual(DEADLINE_S);
    expect(sentAt).toBeLessThanOrEqual(DEADLINE_S + 1);
    expect(spoken(call.requests)).toContain('John cannot take your call. Please leave a message.');
    expect(rig.em.recordings()).toHaveLength(1);

    for (const leg of apiLegs(rig.em)) {
      expect(sinceStart(call, leg.startedAt)).toBeLessThanOrEqual(DEADLINE_S + 1);
      expect(leg.endedAt).toBeDefined();
      expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(DEADLINE_S + 1);
    }
    expect(rig.em.errors).toEqual([]);
  });
});
