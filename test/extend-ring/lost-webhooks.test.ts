import { legIdOf } from '../../src/extend-ring/leg-ids';
import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { storeFactories } from '../support/stores';
import { apiLegs, CELL, HOME, OFFICE, requestsTo, ringingRounds, ringRule, sinceStart, spoken, startRig, type RingRig } from './rig';

const GREETING = 'John cannot take your call. Please leave a message.';

/** The next call of `method` made from within the function `caller` fails, as a Redis command that times out. */
function failOnceWithin(store: Store, method: 'getHunt', caller: string): void {
  const original = store[method].bind(store);
  let failed = false;
  store[method] = async (...args: Parameters<Store['getHunt']>) => {
    if (!failed && new Error().stack?.includes(caller)) {
      failed = true;
      throw new Error('Command timed out');
    }
    return original(...args);
  };
}

/** The store fails to write these legs' call SIDs (`times` writes at most), as Redis commands do when they time out. */
function failSidWrites(store: Store, legIds: readonly string[], times = Infinity): void {
  const updateLeg = store.updateLeg.bind(store);
  let left = times;
  store.updateLeg = async (callSid, legId, patch) => {
    if (patch.sid && legIds.includes(legId) && left-- > 0) throw new Error('Command timed out');
    return updateLeg(callSid, legId, patch);
  };
}

/**
 * Twilio does not retry a webhook: a request lost on the way (a 502 from a load balancer during a deploy) or one the
 * app could not act on (a store failure) is gone. The caller must still end up where the rule says, the phones must
 * still ring in turn, and none may ring for a caller who is leaving a message.
 */
describe.each(storeFactories())('Extend Ring with a lost webhook ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('the office\'s no-answer callback never arrives: Twilio is asked about the office once the step should be over, and cell and home ring', async () => {
    rig = await startRig({ factory, lossy: true });
    rig.proxy?.loseOnce('before', (path, body) => path.startsWith(VoicePath.ExtendRingLegStatus) && body.includes('CallStatus=no-answer'));
    const call = await rig.placeCall();
    await rig.run(600);

    expect(ringingRounds(rig.em).slice(0, 2)).toEqual([[OFFICE], [CELL, HOME].sort()]);
    // the office is placed at 0 s and rings 20 s; its status is looked up 30 s later, and the next step placed then
    const secondRound = apiLegs(rig.em).slice(1, 3).map((leg) => sinceStart(call, leg.startedAt));
    for (const at of secondRound) expect(at).toBeGreaterThanOrEqual(50);
    for (const at of secondRound) expect(at).toBeLessThanOrEqual(51);
    const office = apiLegs(rig.em)[0]!;
    expect(rig.em.restRequests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Calls/${office.sid}.json`))).toHaveLength(1);
  });

  it('home presses 1 while the cell still rings, and the cell\'s canceled callback is lost: the call log still says the cell stopped ringing, once', async () => {
    rig = await startRig({ factory, lossy: true });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 30 });
    rig.proxy?.loseOnce('before', (path, body) => path.startsWith(VoicePath.ExtendRingLegStatus) && body.includes('CallStatus=canceled'));
    const call = await rig.placeCall();
    await rig.run(600);

    const cell = apiLegs(rig.em).find((leg) => leg.target === CELL)!;
    expect(cell.status).toBe('canceled');
    const events = (await rig.store.getCall(call.sid))?.events ?? [];
    expect(events.filter((e) => e.legSid === cell.sid).map((e) => e.type)).toEqual(['leg-ringing', 'leg-canceled']);
  });

  it('the message\'s recording callback is lost: two minutes after the Record action the message is looked up at Twilio and kept, once', async () => {
    rig = await startRig({ factory, lossy: true, rule: ringRule({ maxHoldMinutes: 1 }), emulator: { playSeconds: 30 } });
    rig.proxy?.loseOnce('before', (path) => path.startsWith(VoicePath.RecordingStatus));
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    expect(await rig.store.listVoicemails({ userId: 'usr_john' })).toEqual([]);

    await rig.em.advance(130);
    const [recording] = rig.em.recordings();
    const voicemails = await rig.store.listVoicemails({ userId: 'usr_john' });
    expect(voicemails.map((v) => [v.id, v.callSid, v.durationSeconds])).toEqual([[recording!.sid, call.sid, 20]]);
    expect(voicemails[0]?.recordingUrl).toMatch(new RegExp(`/Recordings/${recording!.sid}$`));
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 24 * 3_600_000, 10)).toEqual([]);
  });

  it('the store fails while the recording callback stores the message: the check two minutes later keeps it', async () => {
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 1 }), emulator: { playSeconds: 30 } });
    failOnce(rig.store, 'saveVoicemail');
    await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);
    await rig.em.advance(130);
    expect((await rig.store.listVoicemails({ userId: 'usr_john' })).map((v) => v.durationSeconds)).toEqual([20]);
  });

  it('the office presses 1 and its answer is lost (a 502): Twilio asks the fallback URL, and the office is put through', async () => {
    rig = await startRig({ factory, lossy: true, rule: ringRule({ maxHoldMinutes: 1 }), emulator: { playSeconds: 300 } });
    rig.proxy?.loseOnce('after', (path, body) => path.startsWith(VoicePath.ExtendRingWhisperDigits) && body.includes('Digits=1'));
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', talkSeconds: 30, label: 'Office' });
    const call = await rig.placeCall();
    await rig.run(900);

    const office = apiLegs(rig.em)[0]!;
    expect(office.bridged).toBe(true);
    expect(call.outcome).toMatchObject({ kind: 'connected', legSid: office.sid });
    expect(rig.em.errors.filter((e) => e.kind === 'application-error')).toEqual([]);
  });

  it('the office presses 1, and its answer and the fallback\'s are both lost (Twilio hangs the office up): the caller does not hold on with no phone ringing until the hold music ends', async () => {
    // a five-minute hold track, and one minute of maximum hold
    rig = await startRig({ factory, lossy: true, rule: ringRule({ maxHoldMinutes: 1 }), emulator: { playSeconds: 300 } });
    rig.proxy?.loseOnce('after', (path, body) => (path.startsWith(VoicePath.ExtendRingWhisperDigits) || path.startsWith(VoicePath.Fallback)) && body.includes('Digits=1'), 2);
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', label: 'Office' });
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(900);

    const office = apiLegs(rig.em)[0]!;
    expect(office.digits).toBe('1');
    expect(office.bridged).toBe(false);
    const officeGone = sinceStart(call, office.endedAt ?? Infinity);
    // nobody is on the line for the caller any more: they leave the hold queue for voicemail at once
    const leftHold = rig.em.timeline.find((e) => e.callSid === call.sid && e.event === 'left-queue')?.at ?? Infinity;
    expect(sinceStart(call, leftHold)).toBeLessThanOrEqual(officeGone + 1);
    expect(requestsTo(call.requests, VoicePath.Voicemail)).toHaveLength(1);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('voicemail');
    expect(log?.events.some((e) => e.type === 'leg-failed' && /before the caller was put through/.test(e.detail ?? ''))).toBe(true);
    expect(log?.events.find((e) => /before the caller was put through/.test(e.detail ?? ''))).toMatchObject({ destination: `Office (${OFFICE})`, step: 0 });
    // the hunt says where the caller went, as the call log does
    expect(await rig.store.getHunt(call.sid)).toMatchObject({ state: 'voicemail', winner: '0.0.0' });
  });

  it('after a conversation, the accepting phone hanging up moves nobody: the call is logged connected', async () => {
    rig = await startRig({ factory });
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', talkSeconds: 30, label: 'Office' });
    const call = await rig.placeCall();
    await rig.run(600);
    expect(call.outcome).toMatchObject({ kind: 'connected' });
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('connected');
    expect(requestsTo(call.requests, VoicePath.Voicemail)).toHaveLength(0);
    expect((await rig.store.getHunt(call.sid))?.state).toBe('connected');
  });

  it('an instance shutting down does not place the next step itself: the step watchdog has a running instance place it', async () => {
    rig = await startRig({ factory });
    const call = await rig.placeCall();
    await rig.em.advance(5);
    // SIGTERM: the shutdown waits for pending work, and must not chain new REST requests into it
    rig.app.deps.background.close();
    await rig.run(600);

    expect(ringingRounds(rig.em).slice(0, 2)).toEqual([[OFFICE], [CELL, HOME].sort()]);
    // the office rang out at 20 s; its step's watchdog falls due 30 s later, and the next step is placed then
    const secondRound = apiLegs(rig.em).slice(1, 3).map((leg) => sinceStart(call, leg.startedAt));
    for (const at of secondRound) expect(at).toBeGreaterThanOrEqual(50);
    for (const at of secondRound) expect(at).toBeLessThanOrEqual(51);
  });

  it('the store fails once while counting the office\'s no-answer (Twilio got its 200): cell and home still ring', async () => {
    rig = await startRig({ factory });
    failOnce(rig.store, 'finishLeg');
    await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).slice(0, 2)).toEqual([[OFFICE], [CELL, HOME].sort()]);
  });

  it('the store fails to arm the step watchdog once: the step\'s phones are called all the same', async () => {
    rig = await startRig({ factory });
    failOnce(rig.store, 'setDeadline');
    await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).slice(0, 3)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE]]);
  });

  it('step 1 is never recorded (the store fails as it would be, like an instance dying then): the office still rings, once the step should have rung out', async () => {
    rig = await startRig({ factory });
    failOnce(rig.store, 'startStep');
    const call = await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).slice(0, 3)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE]]);
    // step 1 rings 20 s; the watchdog written with the hunt looks 30 s after that
    const first = apiLegs(rig.em)[0]!;
    expect(sinceStart(call, first.startedAt)).toBeGreaterThanOrEqual(50);
    expect(sinceStart(call, first.startedAt)).toBeLessThanOrEqual(51);
  });

  it('step 1 is never recorded and the caller hangs up, both reports of that lost: the watchdog finds the caller gone at Twilio and rings nobody', async () => {
    rig = await startRig({ factory, lossy: true });
    failOnce(rig.store, 'startStep');
    rig.proxy?.loseOnce('before', (path) => path.startsWith(VoicePath.ExtendRingQueueExit) || path.startsWith(VoicePath.Status), 2);
    const call = await rig.placeCall({ hangUpAfter: 10 });
    await rig.run(600);
    // the call is over, but the app's clock goes on: the watchdog written with the hunt falls due at 50 s
    for (let s = 0; s < 60; s++) {
      rig.clock.advanceBy(1000);
      await rig.app.sweeper?.idle();
      await rig.app.deps.background.idle();
    }
    expect(apiLegs(rig.em)).toEqual([]);
    expect((await rig.store.getHunt(call.sid))?.state).toBe('abandoned');
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('missed');
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3_600_000, 10)).toEqual([]);
    // the queue exit and the status callback that would delete the caller's queue were both lost
    expect(rig.em.queues()).toEqual([]);
  });

  it('Twilio refuses the office and the store fails while counting that: the office counts as failed once the step should be over, and cell and home ring', async () => {
    rig = await startRig({ factory });
    rig.em.injectRestFault({ method: 'POST', pathMatch: /\/Calls\.json$/, status: 500, times: 1 });
    failOnce(rig.store, 'finishLeg');
    const call = await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).slice(0, 2)).toEqual([[CELL, HOME].sort(), [OFFICE]]);
    for (const leg of apiLegs(rig.em).slice(0, 2)) {
      expect(sinceStart(call, leg.startedAt)).toBeGreaterThanOrEqual(50);
      expect(sinceStart(call, leg.startedAt)).toBeLessThanOrEqual(51);
    }
    const events = (await rig.store.getCall(call.sid))?.events ?? [];
    expect(events.filter((e) => e.type === 'leg-failed').map((e) => e.destination)).toContain(`Office (${OFFICE})`);
  });

  it('the store fails to keep the cell\'s call SID as Twilio places it: when home presses 1, the cell stops ringing all the same', async () => {
    const both = { destinations: [{ type: 'number' as const, to: CELL, label: 'Cell' }, { type: 'number' as const, to: HOME, label: 'Home' }], ringSeconds: 20 };
    rig = await startRig({ factory, rule: ringRule({ steps: [both] }) });
    failSidWrites(rig.store, [legIdOf({ cycle: 0, step: 0, index: 0 })], 1);
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 30 });
    const call = await rig.placeCall();
    await rig.run(600);

    const cell = apiLegs(rig.em).find((leg) => leg.target === CELL)!;
    expect(cell.status).toBe('canceled');
    // home pressed 1 after its whisper; the cell would otherwise ring its 20 s out
    expect(sinceStart(call, cell.endedAt ?? Infinity)).toBeLessThan(20);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
  });

  it('the store fails to keep the office\'s call SID in two rounds in a row: Twilio did place those calls, so the hunt goes on to the maximum hold', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 20 };
    // 45 s of music a round: 3:00 falls mid-round, so the maximum hold (not the hold stage) moves the caller
    rig = await startRig({ factory, rule: ringRule({ steps: [office] }), emulator: { playSeconds: 45 } });
    failSidWrites(rig.store, [legIdOf({ cycle: 0, step: 0, index: 0 }), legIdOf({ cycle: 1, step: 0, index: 0 })]);
    const call = await rig.placeCall({ message: { seconds: 10 } });
    await rig.run(600);

    expect(ringingRounds(rig.em).length).toBeGreaterThanOrEqual(8);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail).map((r) => sinceStart(call, r.at));
    expect(voicemail).toHaveLength(1);
    expect(voicemail[0]).toBeGreaterThanOrEqual(180);
    expect(voicemail[0]).toBeLessThanOrEqual(181);
  });

  it('the step watchdog cannot be written as the call arrives: the phones ring all the same (it is a safety net)', async () => {
    rig = await startRig({ factory });
    const addDeadline = rig.store.addDeadline.bind(rig.store);
    rig.store.addDeadline = async (key, dueMs) => {
      if (key.endsWith('/step-check')) {
        rig.store.addDeadline = addDeadline;
        throw new Error('Command timed out');
      }
      return addDeadline(key, dueMs);
    };
    await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).slice(0, 2)).toEqual([[OFFICE], [CELL, HOME].sort()]);
  });

  it.each([
    ['the store fails as the hunt is moved to voicemail', 'transition'],
    ['Twilio answers 500 to the redirect', 'rest'],
    ['the store fails as the redirect looks up the queue', 'store'],
  ])('%s at the maximum hold: the caller is redirected 15 s later, not when the hold music runs out', async (_name, fault) => {
    rig = await startRig({ factory, emulator: { playSeconds: 120 } });
    if (fault === 'rest') rig.em.injectRestFault({ method: 'POST', pathMatch: /\/Members\//, status: 500, times: 1 });
    else if (fault === 'transition') rig.clock.setTimeout(() => failOnce(rig.store, 'transitionHunt'), 179_900);
    // the redirect's own read, not another webhook's landing in the same instant (the office's no-answer at 3:00)
    else failOnceWithin(rig.store, 'getHunt', 'redirectToVoicemail');
    const call = await rig.placeCall();
    await rig.run(600);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail).map((r) => sinceStart(call, r.at));
    expect(voicemail).toHaveLength(1);
    expect(voicemail[0]).toBeGreaterThanOrEqual(195);
    expect(voicemail[0]).toBeLessThanOrEqual(196);
    expect(rig.em.recordings()).toHaveLength(1);
  });

  it('the office presses 2 and Twilio answers 500 to the redirect: the caller is in voicemail 15 s later, not when the hold music runs out', async () => {
    rig = await startRig({ factory, emulator: { playSeconds: 120 } });
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '2' });
    rig.em.injectRestFault({ method: 'POST', pathMatch: /\/Members\//, status: 500, times: 1 });
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);

    const pressed = requestsTo(rig.em.webhooks, VoicePath.ExtendRingWhisperDigits).map((r) => sinceStart(call, r.at));
    expect(pressed).toHaveLength(1);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail).map((r) => sinceStart(call, r.at));
    expect(voicemail).toHaveLength(1);
    expect(voicemail[0]).toBeGreaterThanOrEqual(pressed[0]! + 15);
    expect(voicemail[0]).toBeLessThanOrEqual(pressed[0]! + 16);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
  });

  it('with every callback delivered the app never has to look a leg up', async () => {
    rig = await startRig({ factory });
    await rig.placeCall();
    await rig.run(600);
    expect(ringingRounds(rig.em).length).toBeGreaterThan(3);
    expect(rig.em.restRequests.filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('the answer to /voice/incoming is lost after the hunt started: the caller gets voicemail through the fallback URL, whole, and no phone rings on', async () => {
    rig = await startRig({
      factory, lossy: true,
      rule: ringRule({ maxHoldMinutes: 1, voicemail: { greeting: GREETING, maxLengthSeconds: 120, transcribe: false } }),
    });
    rig.proxy?.loseOnce('after', (path) => path === VoicePath.Incoming);
    const call = await rig.placeCall({ message: { seconds: 90 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    // one greeting and the whole 90 s message: the maximum hold (1 minute) does not move the caller again
    expect(spoken(call.requests).filter((text) => text === GREETING)).toHaveLength(1);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([90]);
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(1);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
  });

  it('one hold request is lost (Twilio falls back from the wait context): the caller holds on, the phones ring on, and the voicemail comes at max hold', async () => {
    rig = await startRig({ factory, lossy: true });
    let holds = 0;
    // the second hold request (while cell and home ring) is lost
    rig.proxy?.loseOnce('before', (path) => path === VoicePath.ExtendRingHold && ++holds === 2);
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    // cell and home ring their 20 s out: not cancelled at the fallback
    expect(apiLegs(rig.em).slice(1, 3).map((leg) => leg.status)).toEqual(['no-answer', 'no-answer']);
    expect(sinceStart(call, call.endedAt ?? 0)).toBeGreaterThan(180);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
  });

  it('the hunt cannot be stored as the call arrives (its max-hold entry was): the caller leaves a whole message, not cut at the maximum hold', async () => {
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 1, voicemail: { greeting: GREETING, maxLengthSeconds: 120, transcribe: false } }) });
    failOnce(rig.store, 'createHunt');
    const call = await rig.placeCall({ message: { seconds: 100 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Voicemail)).toEqual([]);
    expect(spoken(call.requests).filter((text) => text === GREETING)).toHaveLength(1);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([100]);
  });

  it('a store write of /voice/incoming fails after the hunt was stored: the caller leaves a voicemail, and the call log says so, not missed', async () => {
    rig = await startRig({ factory });
    failOnce(rig.store, 'addDeadline');
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);

    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    expect(await rig.store.listVoicemails({ userId: 'usr_john' })).toHaveLength(1);
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(1);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('voicemail');
    expect(log?.events.map((e) => e.type)).not.toContain('abandoned');
  });
});
