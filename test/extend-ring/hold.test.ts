import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { el } from '../support/twilio';
import {
  apiLegs, CALLER, CELL, HOME, johnsCallbacks, JOHNS_NUMBER, requestsTo, ringingRounds, sinceStart, spoken, startRig, type RingRig,
} from './rig';

describe.each(storeFactories())('Extend Ring: what the caller can do on hold ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('when the caller hangs up on hold, every phone stops, the deadline is gone and John sees a missed call', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await rig.run(600);

    expect(sinceStart(call, call.endedAt ?? Infinity)).toBe(30);
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(31);
    expect(apiLegs(rig.em).filter((leg) => sinceStart(call, leg.startedAt) > 30)).toEqual([]);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3600_000, 10)).toEqual([]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('missed');
    expect(log?.events.map((e) => e.type)).toContain('abandoned');
    expect(rig.em.queues()).toEqual([]);
  });

  it('a phone answering after the caller hung up hears so and is not connected', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await rig.run(600);
    const cell = apiLegs(rig.em).find((leg) => leg.target === CELL);
    const whisperUrl = requestsTo(rig.em.webhooks, VoicePath.ExtendRingLegStatus)
      .find((ex) => ex.callSid === cell?.sid)?.url.replace(VoicePath.ExtendRingLegStatus, VoicePath.ExtendRingWhisper);
    expect(whisperUrl).toBeDefined();
    const leg = { CallSid: cell?.sid ?? '', From: JOHNS_NUMBER, To: CELL, CallStatus: 'in-progress', Direction: 'outbound-api' };

    expect(await rig.post(whisperUrl ?? '', leg)).toEqual(el('Response', {}, el('Say', {}, 'The caller has hung up.'), el('Hangup')));
    const digitsUrl = (whisperUrl ?? '').replace(VoicePath.ExtendRingWhisper, VoicePath.ExtendRingWhisperDigits);
    expect(await rig.post(digitsUrl, { ...leg, Digits: '1' }))
      .toEqual(el('Response', {}, el('Say', {}, 'The caller has hung up.'), el('Hangup')));
    expect((await rig.store.getHunt(call.sid))?.state).toBe('abandoned');
  });

  it('when the caller presses 1 on hold, they leave a voicemail at once and the phones stop', async () => {
    rig = await startRig({ factory });
    rig.em.callee(HOME, { kind: 'answer', after: 2, press: '1', label: 'Home' });
    const call = await rig.placeCall({ holdDigits: [{ at: 3, digits: '1' }] });
    await rig.run(600);

    const exit = requestsTo(call.requests, VoicePath.ExtendRingQueueExit);
    expect(exit.map((ex) => [ex.params.QueueResult, sinceStart(call, ex.at)])).toEqual([['leave', 3]]);
    expect(spoken(exit)[0]).toBe('John cannot take your call. Please leave a message.');
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(4);
    expect(apiLegs(rig.em).filter((leg) => leg.target === HOME)).toEqual([]);
    expect(await rig.store.listVoicemails({ userId: 'usr_john' })).toHaveLength(1);
  });

  it('when the caller presses 2, keys in a number and confirms it, it is read back, listed for John, and the hunt ends', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall({
      holdDigits: [{ at: 3, digits: '2' }, { at: 6, digits: '5551234567#' }, { at: 9, digits: '1' }],
    });
    await rig.run(600);

    const said = spoken(call.requests);
    expect(said).toContain('Please enter the number we should call you back on, followed by the pound key.');
    expect(said).toContain('You entered 5 5 5 1 2 3 4 5 6 7. Press 1 to confirm, or press 2 to enter it again.');
    expect(said).toContain('Thank you. We will call you back as soon as we can. Goodbye.');
    expect(sinceStart(call, call.endedAt ?? Infinity)).toBeLessThan(15);
    expect(await johnsCallbacks(rig.app)).toEqual([
      expect.objectContaining({ number: '5551234567', from: CALLER, to: JOHNS_NUMBER }),
    ]);
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(10);
    expect((await rig.store.getHunt(call.sid))?.state).toBe('callback');
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('callback');
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3600_000, 10)).toEqual([]);
  });

  it('a caller who keys in a number but never confirms it is told it was not saved, and holds on while the phones ring', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall({ holdDigits: [{ at: 3, digits: '2' }, { at: 6, digits: '5551234567#' }] });
    await rig.run(600);

    const said = spoken(call.requests);
    const readBack = said.indexOf('You entered 5 5 5 1 2 3 4 5 6 7. Press 1 to confirm, or press 2 to enter it again.');
    expect(readBack).toBeGreaterThanOrEqual(0);
    expect(said[readBack + 1]).toBe('Your number was not saved. Please continue to hold.');
    expect(await johnsCallbacks(rig.app)).toEqual([]);
    expect(ringingRounds(rig.em).length).toBeGreaterThan(3);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
  });

  it('a caller who mistypes the callback number presses 2 and enters it again', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall({
      holdDigits: [
        { at: 3, digits: '2' }, { at: 6, digits: '5559999999#' }, { at: 9, digits: '2' },
        { at: 12, digits: '5551234567#' }, { at: 15, digits: '1' },
      ],
    });
    await rig.run(600);

    expect((await johnsCallbacks(rig.app)).map((c) => c.number)).toEqual(['5551234567']);
    expect(spoken(call.requests)).toContain('You entered 5 5 5 9 9 9 9 9 9 9. Press 1 to confirm, or press 2 to enter it again.');
  });
});
