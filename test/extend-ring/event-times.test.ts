import type { CallEvent } from '../../src/domain/types';
import { eventTimeOf } from '../../src/extend-ring/leg-log';
import { storeFactories } from '../support/stores';
import { apiLegs, startRig, type RingRig } from './rig';

/**
 * Twilio's status callbacks come late and out of order (TWILIO.md); each carries the time its event fired (`Timestamp`,
 * whole seconds). John's call log says when a phone rang and when it stopped, not when Twilio's report of it arrived.
 */
describe.each(storeFactories())('Extend Ring call log times under late status callbacks ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('with every status callback held back up to 5 s, each phone\'s "ringing" and "no answer" lines are stamped within the second it happened', async () => {
    rig = await startRig({ factory, emulator: { statusCallbackChaos: { reorder: true } } });
    const call = await rig.placeCall({ hangUpAfter: 100 });
    await rig.run(600);

    const events: CallEvent[] = (await rig.store.getCall(call.sid))?.events ?? [];
    const legs = apiLegs(rig.em).filter((leg) => leg.status === 'no-answer');
    expect(legs.length).toBeGreaterThanOrEqual(4);
    const late = (line: CallEvent | undefined, happened: number | undefined): number => (line?.at ?? NaN) - (happened ?? NaN);
    for (const leg of legs) {
      const ringing = late(events.find((e) => e.legSid === leg.sid && e.type === 'leg-ringing'), leg.startedAt);
      const stopped = late(events.find((e) => e.legSid === leg.sid && e.type === 'leg-no-answer'), leg.endedAt);
      expect([leg.target, ringing >= 0 && ringing < 1000, stopped >= 0 && stopped < 1000]).toEqual([leg.target, true, true]);
    }
    // and brought back no further than that: no phone's line comes before the step that called it
    for (const line of events.filter((e) => e.type === 'leg-ringing' || e.type === 'leg-no-answer')) {
      const step = events.find((e) => e.type === 'step' && e.step === line.step && e.cycle === line.cycle);
      expect(line.at).toBeGreaterThanOrEqual(step?.at ?? Infinity);
    }
  });
});

describe('when a leg event happened, from Twilio\'s Timestamp (RFC 2822, whole seconds)', () => {
  const start = Date.parse('2026-11-27T10:00:00.000Z');
  const arrival = Date.parse('2026-11-27T10:00:24.300Z');

  it('a callback that arrives 4 s late is stamped at the end of the second its event fired', () => {
    expect(eventTimeOf('Fri, 27 Nov 2026 10:00:20 +0000', arrival, start)).toBe(Date.parse('2026-11-27T10:00:20.999Z'));
  });

  it('a callback that arrives within the second its event fired keeps its arrival', () => {
    expect(eventTimeOf('Fri, 27 Nov 2026 10:00:24 GMT', arrival, start)).toBe(arrival);
  });

  it.each([
    ['no Timestamp', undefined],
    ['an unreadable one', 'yesterday'],
    ['one from a clock in the future', 'Fri, 27 Nov 2026 10:01:00 +0000'],
    ['one over five minutes old (a clock set wrong)', 'Fri, 27 Nov 2026 09:50:00 +0000'],
  ])('%s: the arrival stands', (_what, timestamp) => {
    expect(eventTimeOf(timestamp, arrival, start)).toBe(arrival);
  });

  it('never before the call started', () => {
    expect(eventTimeOf('Fri, 27 Nov 2026 09:59:58 +0000', arrival, start)).toBe(start);
  });
});
