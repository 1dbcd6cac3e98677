import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { el } from '../support/twilio';
import { CALLER_SID, callerParams, firstLegPresses, incoming, startStageRig, type StageRig } from './stage-rig';

/**
 * A key the caller presses on hold in the moment after the hunt was decided elsewhere (a phone pressed 2, the REST
 * redirect to voicemail still on its way): the caller is not asked for something the app can no longer keep.
 */
describe.each(storeFactories())('Extend Ring: a key pressed on hold just after the hunt ended ($name store)', (factory) => {
  let rig: StageRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('pressing 2 after the office sent the caller to voicemail leaves the queue for voicemail, without asking for a number', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    await firstLegPresses(rig, '2');
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');

    expect(await rig.post(rig.app.baseUrl + VoicePath.ExtendRingHoldDigits, callerParams({ Digits: '2' }))).toEqual(el('Response', {}, el('Leave')));
  });
});
