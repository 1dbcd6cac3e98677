import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { apiLegs, OFFICE, sinceStart, startRig, type RingRig } from './rig';

/**
 * The queue exit (the Enqueue action) is what tells whether a caller whose phone pressed 1 was put through (`bridged`)
 * or hung up first (`hangup`). Twilio does not retry it: when it is lost, John's call log must still say what happened.
 */
describe.each(storeFactories())('Extend Ring call log when the queue exit is lost ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  /** The office answers at 5 s and presses 1 at 7 s; the caller hangs up `hangUpAfter` s in; the queue exit is lost. */
  async function play(hangUpAfter: number) {
    rig = await startRig({ factory, lossy: true });
    rig.proxy?.loseOnce('before', (path) => path.startsWith(VoicePath.ExtendRingQueueExit));
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', pressAfter: 2, talkSeconds: 30, label: 'Office' });
    const call = await rig.placeCall({ hangUpAfter });
    await rig.run(600);
    // the calls are over, but the app's clock goes on: what settles the call without its queue exit falls due
    for (let s = 0; s < 30; s++) {
      rig.clock.advanceBy(1000);
      await rig.app.sweeper?.idle();
      await rig.app.deps.background.idle();
    }
    return call;
  }

  it('the caller hangs up as the office presses 1, before being put through: the call is missed, not connected', async () => {
    const call = await play(7);
    const office = apiLegs(rig.em)[0]!;
    expect([office.digits, office.bridged]).toEqual(['1', false]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('missed');
    expect(log?.events.filter((e) => e.type === 'abandoned').map((e) => [sinceStart(call, e.at), e.detail]))
      .toEqual([[7, 'the caller hung up after a phone pressed 1, before being put through']]);
    // the office, waiting for a caller who is gone, is hung up rather than left waiting for its Dial to time out
    expect(sinceStart(call, office.endedAt ?? Infinity)).toBeLessThan(37);
  });

  it('the caller is put through to the office and hangs up a second later: the call is connected', async () => {
    const call = await play(8);
    expect(apiLegs(rig.em)[0]?.bridged).toBe(true);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('connected');
    expect(log?.events.map((e) => e.type)).not.toContain('abandoned');
  });
});
