import { onDeadline } from '../../src/extend-ring/deadline';
import { finishKey } from '../../src/extend-ring/due-keys';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { storeFactories } from '../support/stores';
import { attr, el, find, signedPost, type TwimlNode } from '../support/twilio';
import { CELL, HOLD_MUSIC, HOME, john, JOHNS_NUMBER, OFFICE, ringRule } from './rig';
import {
  answeredAsTimePasses, CALLER_SID, callerParams, firstLegPresses, incoming, legParams, placedLegs, startStageRig, type PlacedLeg, type StageRig,
} from './stage-rig';

const MENU = 'To leave a voicemail, press 1. To leave a number for a call back, press 2.';
const GREETING = 'John cannot take your call. Please leave a message.';

/** Exact TwiML of the caller's Extend Ring stages, each request signed, each URL taken from the previous answer. */
describe.each(storeFactories())('Extend Ring caller stages ($name store)', (factory) => {
  let rig: StageRig;
  const url = (path: string): string => rig.app.baseUrl + path;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  const enqueue = (): TwimlNode => el('Response', {}, el('Enqueue', {
    waitUrl: url(VoicePath.ExtendRingHold), waitUrlMethod: 'POST', action: url(VoicePath.ExtendRingQueueExit), method: 'POST',
  }, `hunt-${CALLER_SID}`));

  it('the caller is put on hold in a queue of their own, and the office is called from John\'s number for 20 s', async () => {
    rig = await startStageRig(factory);
    expect(await incoming(rig)).toEqual(enqueue());
    const [office, ...others] = placedLegs(rig);
    expect(others).toEqual([]);
    expect(office).toMatchObject({ to: OFFICE, from: JOHNS_NUMBER, timeout: '20' });
    expect(office?.whisperUrl).toBe(`${url(VoicePath.ExtendRingWhisper)}?call=${CALLER_SID}&leg=0.0.0`);
    expect(office?.statusUrl).toBe(`${url(VoicePath.ExtendRingLegStatus)}?call=${CALLER_SID}&leg=0.0.0`);
    const hunt = await rig.store.getHunt(CALLER_SID);
    expect(hunt).toMatchObject({ state: 'hunting', step: 0, cycle: 0, deadline: rig.clock.now() + 3 * 60_000 });
  });

  it('the caller is answered before any phone is placed: a slow Twilio REST API never holds up the incoming webhook', async () => {
    rig = await startStageRig(factory);
    const gateway = rig.app.deps.twilio!;
    const placeCall = gateway.placeCall.bind(gateway);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    gateway.placeCall = async (request) => {
      await gate;
      return placeCall(request);
    };
    // with the REST API stalled, the Enqueue answer must come (waiting for it would hang this test)
    expect(await rig.post(VoicePath.Incoming, callerParams({ CallStatus: 'ringing' }))).toEqual(enqueue());
    expect(placedLegs(rig)).toEqual([]);
    open();
    await rig.settle();
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE]);
  });

  it('a repeated incoming webhook gets the same answer, calls nobody again and does not push back the maximum hold', async () => {
    rig = await startStageRig(factory);
    const start = rig.clock.now();
    const due = start + 3 * 60_000;
    await incoming(rig);
    rig.clock.advanceBy(20_000);
    expect(await incoming(rig)).toEqual(enqueue());
    expect(placedLegs(rig)).toHaveLength(1);
    // the step's watchdog: the office's 20 s, and 30 s for its final status callback to arrive
    expect(await rig.store.claimDueDeadlines(start + 50_000 - 1, 10)).toEqual([]);
    expect(await rig.store.claimDueDeadlines(start + 50_000, 10)).toEqual([`${CALLER_SID}/step-check`]);
    expect(await rig.store.claimDueDeadlines(due - 1, 10)).toEqual([]);
    expect(await rig.store.claimDueDeadlines(due, 10)).toEqual([CALLER_SID]);
  });

  it('without Twilio REST credentials the caller goes straight to voicemail, and the call log says why', async () => {
    rig = await startStageRig(factory, { twilio: false });
    const twiml = await incoming(rig);
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(find(twiml, 'Say').text).toBe(GREETING);
    expect(rig.rest()).toEqual([]);
    const events = (await rig.store.getCall(CALLER_SID))?.events ?? [];
    expect(events.map((e) => e.type)).toEqual(['incoming', 'rule', 'voicemail']);
    expect(events[2]?.detail).toEqual(expect.stringMatching(/TWILIO_ACCOUNT_SID.*TWILIO_AUTH_TOKEN/));
    await incoming(rig);
    expect((await rig.store.getCall(CALLER_SID))?.events.map((e) => e.type)).toEqual(['incoming', 'rule', 'voicemail']);
  });

  it('on hold the caller hears the announcement, the menu and the hold music, listening for one key', async () => {
    rig = await startStageRig(factory, { rule: ringRule({ holdAnnouncement: 'Thanks for calling Acme.' }) });
    await incoming(rig);
    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {},
      el('Gather', { numDigits: '1', timeout: '1', action: url(VoicePath.ExtendRingHoldDigits) },
        el('Say', {}, 'Thanks for calling Acme.'), el('Say', {}, MENU), el('Play', {}, HOLD_MUSIC))));
  });

  it('the hold stage records the queue Twilio names, and ignores a value that is not a queue SID', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    await rig.post(url(VoicePath.ExtendRingHold), callerParams({ QueueSid: 'not-a-queue' }));
    expect((await rig.store.getHunt(CALLER_SID))?.queueSid).toBeUndefined();
    await rig.post(url(VoicePath.ExtendRingHold), holdParams());
    expect((await rig.store.getHunt(CALLER_SID))?.queueSid).toBe('QU00000000000000000000000000000001');
  });

  it('a rule without hold music gets the default hold music', async () => {
    rig = await startStageRig(factory, { rule: ringRule({ holdMusicUrl: undefined }) });
    await incoming(rig);
    const hold = await rig.post(url(VoicePath.ExtendRingHold), holdParams());
    expect(find(hold, 'Play').text).toBe(rig.app.config.defaultHoldMusicUrl);
  });

  it('a caller whose hunt the store no longer has (Redis restarted without its data) leaves the queue and leaves John a message, instead of holding forever', async () => {
    rig = await startStageRig(factory);
    const lost = { CallSid: 'CA00000000000000000000000000000999' };
    expect(await rig.post(url(VoicePath.ExtendRingHold), { ...holdParams(), ...lost })).toEqual(el('Response', {}, el('Leave')));
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), { ...exitParams('leave'), ...lost });
    expect(find(exit, 'Say').text).toBe(GREETING);
    const record = find(exit, 'Record');
    await rig.post(attr(record, 'recordingStatusCallback'), {
      ...lost, RecordingSid: 'RE00000000000000000000000000000999', RecordingStatus: 'completed',
      RecordingUrl: 'https://api.twilio.com/recordings/RE00000000000000000000000000000999', RecordingDuration: '12',
    });
    expect(await rig.store.listVoicemails({ userId: john.id })).toMatchObject([{ id: 'RE00000000000000000000000000000999', callSid: lost.CallSid, durationSeconds: 12 }]);
    const log = await rig.store.getCall(lost.CallSid);
    expect(log?.events.map((e) => e.type)).toEqual(['incoming', 'rule', 'voicemail', 'voicemail-recorded']);
    // no phone is called for it
    expect(placedLegs(rig)).toEqual([]);
  });

  it('a caller whose hunt is gone, on a number nobody owns any more, is told so and hung up', async () => {
    rig = await startStageRig(factory);
    const lost = { CallSid: 'CA00000000000000000000000000000999', To: '+15550009999' };
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), { ...exitParams('leave'), ...lost });
    expect(exit).toEqual(el('Response', {}, el('Say', {}, 'Sorry, we cannot take your call right now. Please try again later. Goodbye.'), el('Hangup')));
  });

  it('after an hour and a minute on hold (past any maximum hold) the caller leaves the queue, even while the store cannot be read', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    failOnce(rig.store, 'getHunt');
    expect(await rig.post(url(VoicePath.ExtendRingHold), { ...holdParams(), QueueTime: '3660' })).toEqual(el('Response', {}, el('Leave')));
  });

  it('past the maximum hold the hold stage itself takes the caller out of the queue to voicemail, and the office stops', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    rig.clock.advanceBy(3 * 60_000);
    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {}, el('Leave')));
    await rig.settle();
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(find(exit, 'Say').text).toBe(GREETING);
    expect(find(exit, 'Record')).toBeDefined();
    const office = placedLegs(rig)[0];
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${office?.sid}.json`)).map((r) => r.params.Status)).toEqual(['canceled']);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
    // Twilio had not dialled the office yet: a call canceled while queued gets no status callback, yet John's call log
    // still says how the office's call ended
    const officeEnds = (await rig.store.getCall(CALLER_SID))?.events.filter((e) => e.legSid === office?.sid && e.type !== 'leg-ringing');
    expect(officeEnds?.map((e) => e.type)).toEqual(['leg-canceled']);
  });

  it.each(['5', '*', '#'])('pressing %s on hold changes nothing: the caller holds on and the phones ring on', async (digits) => {
    rig = await startStageRig(factory);
    await incoming(rig);
    expect(await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: digits }))).toEqual(el('Response'));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
    expect(rig.rest((r) => r.method === 'POST' && !r.path.endsWith('/Calls.json'))).toEqual([]);
    expect((await rig.store.getCall(CALLER_SID))?.events.map((e) => e.type)).not.toContain('voicemail');
  });

  /** The call comes in, the office is placed, answers and presses 1: the hunt is John's, the caller not yet put through. */
  async function officeAccepts(): Promise<PlacedLeg> {
    rig = await startStageRig(factory);
    await incoming(rig);
    return firstLegPresses(rig, '1');
  }

  it('the caller hangs up after the office pressed 1 but before the bridge: a missed call, and the office is hung up', async () => {
    const office = await officeAccepts();
    await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('hangup'));
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '30' }));
    await rig.settle();
    expect((await rig.store.getCall(CALLER_SID))?.outcome).toBe('missed');
    expect(rig.rest((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${office.sid}.json`)).map((r) => r.params.Status)).toEqual(['completed']);
  });

  it('the caller hangs up after the office pressed 1 but before the bridge, as the store fails both the call log line and the outcome: still a missed call, once the call is settled', async () => {
    await officeAccepts();
    failOnce(rig.store, 'appendCallEvent');
    failOnce(rig.store, 'finishCall');
    await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('hangup'));
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '30' }));
    await rig.settle();
    // the call's end waited for the queue exit, which did come: its finish entry settles the call 15 s later
    rig.clock.advanceBy(15_000);
    expect(await rig.store.claimDueDeadlines(rig.clock.now(), 10, 15_000)).toContain(finishKey(CALLER_SID));
    await onDeadline(rig.app.deps, finishKey(CALLER_SID), rig.clock.now() + 15_000);
    await rig.settle();
    const log = await rig.store.getCall(CALLER_SID);
    expect(log?.outcome).toBe('missed');
    expect(log?.events.filter((e) => e.type === 'abandoned').map((e) => e.detail)).toEqual(['the caller hung up after a phone pressed 1, before being put through']);
  });

  it('the caller hangs up after the office pressed 1 but before the bridge, and the queue exit comes after the caller\'s status callback: still a missed call', async () => {
    await officeAccepts();
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '30' }));
    await rig.settle();
    await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('hangup'));
    await rig.settle();
    expect((await rig.store.getCall(CALLER_SID))?.outcome).toBe('missed');
  });

  it('the office pressed 1 and dropped before the bridge: should Twilio run the queue exit of the app\'s dequeue before the app has noted it, the caller still gets voicemail', async () => {
    await officeAccepts();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('connected');
    // the app takes the caller out of the queue to voicemail (acceptedLegEnded); Twilio requests the queue exit right away
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('redirected'));
    expect(exit.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(find(exit, 'Say').text).toBe(GREETING);
  });

  it('the office pressed 1 but is no longer on the line at Twilio (its final callback lost): the next hold round takes the caller to voicemail', async () => {
    const office = await officeAccepts();
    // while the office is on the line, a hold round is music only (the bridge is on its way)
    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {}, el('Play', {}, HOLD_MUSIC)));

    // the office's line ends at Twilio, and its final status callback never reaches the app
    expect(await rig.app.deps.twilio!.endCall(office.sid, 'canceled')).not.toBe(false);
    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {}, el('Leave')));
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(find(exit, 'Say').text).toBe(GREETING);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
  });

  it('the office pressed 1 and Twilio does not say whether it is still on the line: the hold round is music all the same, not left waiting', async () => {
    await officeAccepts();
    const gateway = rig.app.deps.twilio!;
    const callStatus = gateway.callStatus.bind(gateway);
    let answer!: () => void;
    const stalled = new Promise<void>((resolve) => { answer = resolve; });
    let asked = 0;
    // Twilio's REST API answers only after the hold round was answered (awaiting it would hang this test)
    gateway.callStatus = async (sid) => {
      asked += 1;
      await stalled;
      return callStatus(sid);
    };
    const start = rig.clock.now();
    // Twilio gives up on a webhook after 15 s
    const round = await answeredAsTimePasses(rig, rig.post(url(VoicePath.ExtendRingHold), holdParams()), 15_000);
    expect(round).toEqual(el('Response', {}, el('Play', {}, HOLD_MUSIC)));
    expect(asked).toBe(1);
    // the app gave Twilio time on its own clock (virtual here), not the machine's
    expect(rig.clock.now()).toBeGreaterThan(start);
    answer();
  });

  it('pressing 1 on hold leaves the queue for voicemail', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    expect(await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '1' }))).toEqual(el('Response', {}, el('Leave')));
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(exit.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it('pressing 2 on hold: the number is asked for, read back digit by digit, confirmed, and the caller is thanked', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const ask = await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '2' }));
    expect(ask).toEqual(el('Response', {},
      el('Gather', { numDigits: '15', finishOnKey: '#', timeout: '10', action: url(VoicePath.ExtendRingCallbackNumber) },
        el('Say', {}, 'Please enter the number we should call you back on, followed by the pound key.')),
      el('Say', {}, 'We did not get a number. Please continue to hold.')));

    const tooShort = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '123' }));
    expect(tooShort.children[0]).toEqual(el('Say', {}, 'Sorry, that does not look like a phone number.'));

    const readBack = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '5551234567' }));
    const confirm = attr(find(readBack, 'Gather'), 'action');
    expect(readBack).toEqual(el('Response', {}, el('Gather', { numDigits: '1', timeout: '6', action: confirm },
      el('Say', {}, 'You entered 5 5 5 1 2 3 4 5 6 7. Press 1 to confirm, or press 2 to enter it again.')),
    el('Say', {}, 'Your number was not saved. Please continue to hold.')));
    expect(await rig.post(confirm, callerParams({ Digits: '9' }))).toEqual(readBack);
    expect(find(await rig.post(confirm, callerParams({ Digits: '2' })), 'Gather').attributes.numDigits).toBe('15');
    expect(await rig.store.listCallbacks()).toEqual([]);

    expect(await rig.post(confirm, callerParams({ Digits: '1' }))).toEqual(el('Response', {}, el('Leave')));
    expect(await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'))).toEqual(el('Response', {},
      el('Say', {}, 'Thank you. We will call you back as soon as we can. Goodbye.'), el('Hangup')));
    expect((await rig.store.listCallbacks()).map((c) => [c.number, c.userId, c.callSid])).toEqual([['5551234567', 'usr_john', CALLER_SID]]);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('callback');
  });

  it('a callback number keyed in with its country code 1 is read back with every digit the caller pressed', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const ask = await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '2' }));
    const readBack = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '15551234567' }));
    expect(find(find(readBack, 'Gather'), 'Say').text).toBe('You entered 1 5 5 5 1 2 3 4 5 6 7. Press 1 to confirm, or press 2 to enter it again.');
  });

  it('when the office presses 1 just as the caller confirms a callback number, the call is John\'s and no callback is listed', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE]);
    const [office] = placedLegs(rig) as [PlacedLeg];
    const ask = await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '2' }));
    const readBack = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '5551234567' }));
    // the office's key press lands while the confirmation is being handled, after it read the hunt
    const { store } = rig;
    const transitionHunt = store.transitionHunt.bind(store);
    store.transitionHunt = async (...args) => {
      store.transitionHunt = transitionHunt;
      expect(await store.claimHunt(CALLER_SID, '0.0.0', 'connected', office.sid)).toBe('claimed');
      return transitionHunt(...args);
    };
    await rig.post(attr(find(readBack, 'Gather'), 'action'), callerParams({ Digits: '1' }));

    expect(await rig.store.listCallbacks()).toEqual([]);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('connected');
    expect((await rig.store.getCall(CALLER_SID))?.events.map((e) => e.type)).not.toContain('callback');
  });

  it('when the callback number cannot be stored, the caller holds on with music and the phones keep ringing', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const ask = await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '2' }));
    const readBack = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '5551234567' }));
    failOnce(rig.store, 'saveCallback');

    expect(await rig.post(attr(find(readBack, 'Gather'), 'action'), callerParams({ Digits: '1' })))
      .toEqual(el('Response', {}, el('Play', {}, rig.app.config.defaultHoldMusicUrl)));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${placedLegs(rig)[0]?.sid}.json`))).toEqual([]);
    expect(find(await rig.post(url(VoicePath.ExtendRingHold), holdParams()), 'Gather')).toBeDefined();
  });

  /** Step 1 placed; the caller presses 2 and keys in a number: the office leg, and the URL confirming the number. */
  async function callbackReadBack(): Promise<{ office: PlacedLeg; confirm: string }> {
    await incoming(rig);
    const [office] = placedLegs(rig);
    if (!office) throw new Error('the office was not called');
    const ask = await rig.post(url(VoicePath.ExtendRingHoldDigits), callerParams({ Digits: '2' }));
    const readBack = await rig.post(attr(find(ask, 'Gather'), 'action'), callerParams({ Digits: '5551234567' }));
    return { office, confirm: attr(find(readBack, 'Gather'), 'action') };
  }

  it('when the office rang out while a callback number failed to be stored, the step watchdog moves the hunt on to cell and home', async () => {
    rig = await startStageRig(factory);
    const { office, confirm } = await callbackReadBack();
    const { store } = rig;
    // the office's no-answer is counted while the hunt is in 'callback': it cannot move the hunt on
    failOnce(store, 'saveCallback', () => rig.post(office.statusUrl, legParams(office.sid, office.to, { CallStatus: 'no-answer' })));
    await rig.post(confirm, callerParams({ Digits: '1' }));
    await rig.settle();
    expect((await store.getHunt(CALLER_SID))?.state).toBe('hunting');
    expect(placedLegs(rig)).toHaveLength(1);

    // the office's 20 s and 30 s more: the watchdog falls due
    rig.clock.advanceBy(50_000);
    expect(await store.claimDueDeadlines(rig.clock.now(), 10, 15_000)).toEqual([`${CALLER_SID}/step-check`]);
    await onDeadline(rig.app.deps, `${CALLER_SID}/step-check`, rig.clock.now() + 15_000);
    await rig.settle();
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE, CELL, HOME]);
  });

  it.each([
    ['the step watchdog', 50_000, `${CALLER_SID}/step-check`],
    ['the maximum hold', 180_000, CALLER_SID],
  ])('%s falling due while a callback number fails to be stored is not lost: it comes due again once the hunt is back', async (_what, at, key) => {
    rig = await startStageRig(factory);
    const { office, confirm } = await callbackReadBack();
    const { store } = rig;
    const sweep = async (): Promise<string[]> => {
      const due = await store.claimDueDeadlines(rig.clock.now(), 10, 15_000);
      for (const entry of due) await onDeadline(rig.app.deps, entry, rig.clock.now() + 15_000);
      await rig.settle();
      return due;
    };
    // while the hunt is in 'callback': the office rings out, and the entry falls due and is handled (it does nothing)
    let handledMeanwhile: string[] = [];
    failOnce(store, 'saveCallback', async () => {
      await rig.post(office.statusUrl, legParams(office.sid, office.to, { CallStatus: 'no-answer' }));
      rig.clock.advanceBy(at);
      handledMeanwhile = await sweep();
    });
    await rig.post(confirm, callerParams({ Digits: '1' }));
    await rig.settle();
    expect(handledMeanwhile).toContain(key);
    expect((await store.getHunt(CALLER_SID))?.state).toBe('hunting');

    rig.clock.advanceBy(30_000);
    expect(await sweep()).toContain(key);
    if (key === CALLER_SID) expect((await store.getHunt(CALLER_SID))?.state).toBe('voicemail');
    else expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE, CELL, HOME]);
  });

  it('when the store fails for good as a callback number is stored, the caller is not thanked for it: voicemail instead', async () => {
    rig = await startStageRig(factory);
    const { confirm } = await callbackReadBack();
    // the number is not stored, and the hunt cannot be moved back to hunting either: it stays in 'callback'
    failOnce(rig.store, 'saveCallback', async () => failOnce(rig.store, 'transitionHunt'));
    await rig.post(confirm, callerParams({ Digits: '1' }));
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('callback');

    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {}, el('Leave')));
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(JSON.stringify(exit)).not.toContain('call you back');
    expect(find(exit, 'Say').text).toBe(GREETING);
    expect(find(exit, 'Record')).toBeDefined();
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
    expect(await rig.store.listCallbacks()).toEqual([]);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3_600_000, 10)).toEqual([]);
  });

  it('a confirmed callback number that was stored: the caller is thanked even when the queue exit cannot read it back', async () => {
    rig = await startStageRig(factory);
    const { confirm } = await callbackReadBack();
    expect(await rig.post(confirm, callerParams({ Digits: '1' }))).toEqual(el('Response', {}, el('Leave')));
    failOnce(rig.store, 'getCallback');
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(find(exit, 'Say').text).toBe('Thank you. We will call you back as soon as we can. Goodbye.');
    expect(await rig.store.listCallbacks()).toHaveLength(1);
  });

  it('the maximum hold a sweeper is still handling as a callback number fails to be stored is not lost once it lets it go', async () => {
    rig = await startStageRig(factory);
    const { confirm } = await callbackReadBack();
    const { store } = rig;
    // the sweeper's handler has found the hunt in 'callback' (nothing to do) and is about to let its entry go
    const release = store.releaseDeadline.bind(store);
    let reached!: () => void;
    let letGo!: () => void;
    const atRelease = new Promise<void>((resolve) => { reached = resolve; });
    const gate = new Promise<void>((resolve) => { letGo = resolve; });
    store.releaseDeadline = async (key, leasedUntil) => {
      if (key === CALLER_SID) {
        reached();
        await gate;
      }
      return release(key, leasedUntil);
    };
    let handled!: Promise<void>;
    failOnce(store, 'saveCallback', async () => {
      rig.clock.advanceBy(180_000);
      expect(await store.claimDueDeadlines(rig.clock.now(), 10, 15_000)).toContain(CALLER_SID);
      handled = onDeadline(rig.app.deps, CALLER_SID, rig.clock.now() + 15_000);
      await atRelease;
    });
    await rig.post(confirm, callerParams({ Digits: '1' }));
    expect((await store.getHunt(CALLER_SID))?.state).toBe('hunting');
    letGo();
    await handled;
    await rig.settle();

    expect(await store.deadlineOf(CALLER_SID)).toBeDefined();
    const due = await store.claimDueDeadlines(rig.clock.now() + 15_000, 10, 15_000);
    expect(due).toContain(CALLER_SID);
    for (const entry of due) await onDeadline(rig.app.deps, entry, rig.clock.now() + 30_000);
    await rig.settle();
    expect((await store.getHunt(CALLER_SID))?.state).toBe('voicemail');
  });

  it('a caller who hangs up on hold abandons the hunt: a missed call, and their queue is deleted', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const queueSid = rig.em.queues()[0]?.sid ?? 'QU00000000000000000000000000000000';
    expect(await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('hangup', queueSid))).toEqual(el('Response', {}, el('Hangup')));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('abandoned');
    expect((await rig.store.getCall(CALLER_SID))?.outcome).toBe('missed');
    expect(rig.rest((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([expect.stringContaining(`/Queues/${queueSid}.json`)]);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3600_000, 10)).toEqual([]);
  });

  it('when only the number\'s status callback says the caller is gone, the hunt is abandoned all the same, and their queue deleted', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    await rig.post(url(VoicePath.ExtendRingHold), holdParams());
    const queueSid = holdParams().QueueSid;
    expect(await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '40' }))).toEqual(el('Response'));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('abandoned');
    expect((await rig.store.getCall(CALLER_SID))?.outcome).toBe('missed');
    const office = placedLegs(rig)[0];
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${office?.sid}.json`)).map((r) => r.params.Status)).toEqual(['canceled']);
    expect(rig.rest((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([expect.stringContaining(`/Queues/${queueSid}.json`)]);
  });

  it('when the office presses 1 and hangs up before it takes the caller, the caller goes to voicemail and the call log says so', async () => {
    const office = await officeAccepts();
    await rig.post(office.statusUrl, legParams(office.sid, office.to, { CallStatus: 'completed' }));

    expect(await rig.post(url(VoicePath.ExtendRingHold), holdParams())).toEqual(el('Response', {}, el('Leave')));
    const exit = await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams('leave'));
    expect(find(exit, 'Say').text).toBe(GREETING);
    const record = find(exit, 'Record');
    await rig.post(attr(record, 'action'), callerParams({ RecordingSid: 'RE00000000000000000000000000000001', RecordingDuration: '40', RecordingUrl: 'https://x/RE00000000000000000000000000000001' }));
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '70' }));
    expect((await rig.store.getCall(CALLER_SID))?.outcome).toBe('voicemail');
  });

  it('when Twilio falls back (the incoming answer lost or late), the caller gets voicemail, the phones stop and nobody can take the call', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig);
    if (!office) throw new Error('the office was not called');
    const fallback = await rig.post(VoicePath.Fallback, callerParams({ ErrorCode: '11205', ErrorUrl: url(VoicePath.Incoming) }));
    expect(find(fallback, 'Say').text).toBe(GREETING);
    expect(find(fallback, 'Record')).toBeDefined();
    await rig.settle();

    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${office.sid}.json`)).map((r) => r.params.Status)).toEqual(['canceled']);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3600_000, 10)).toEqual([]);
    // John answering the office phone is not put through to a caller who is recording a message
    const whisper = await rig.post(office.whisperUrl, legParams(office.sid, office.to));
    expect(whisper).toEqual(el('Response', {}, el('Say', {}, 'The caller is leaving a voicemail.'), el('Hangup')));
    expect((await rig.store.getCall(CALLER_SID))?.events.map((e) => e.type)).not.toContain('connected');
  });

  it.each([['redirected', el('Response')], ['bridged', el('Response', {}, el('Hangup'))]])(
    'a queue exit with QueueResult=%s is answered harmlessly', async (result, expected) => {
      rig = await startStageRig(factory);
      await incoming(rig);
      expect(await rig.post(url(VoicePath.ExtendRingQueueExit), exitParams(result))).toEqual(expected);
    });

  it('a forged hold request is refused with 403 and changes nothing', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const res = await signedPost(rig.app, VoicePath.ExtendRingHoldDigits, callerParams({ Digits: '1' }), { token: 'forged-token-0123456789' });
    expect(res.status).toBe(403);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
  });
});

function holdParams() {
  return callerParams({ QueueSid: 'QU00000000000000000000000000000001', QueuePosition: '1', QueueTime: '0', CurrentQueueSize: '1' });
}

function exitParams(queueResult: string, queueSid = 'QU00000000000000000000000000000009') {
  return callerParams({ QueueResult: queueResult, QueueSid: queueSid, QueueTime: '12' });
}
