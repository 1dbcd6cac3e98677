import { legsTo, ringTimes, startFlow, BUSINESS_NUMBER, CUSTOMER, type FlowRig } from '../support/flow';
import { storeFactories } from '../support/stores';
import { signedPost } from '../support/twilio';
import { CELL, createJohn, describeEachStore, HOME, johnsRule, JOHNS_APP, OFFICE, type John } from './fixtures';

/** John's example from the product manual, played through the emulator against the real app (DESIGN §1, §6). */
describeEachStore('Follow Me: John’s example', (factory) => {
  let rig: FlowRig;
  let john: John;

  beforeEach(async () => {
    rig = await startFlow({ factory: factory() });
    john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id));
    rig.em.callee(OFFICE, { kind: 'no-answer', label: 'Office' });
    rig.em.callee(HOME, { kind: 'no-answer', label: 'Home' });
    rig.em.callee(CELL, { kind: 'no-answer', label: 'Cell' });
    rig.em.callee(JOHNS_APP, { kind: 'no-answer', label: 'John’s app' });
  });
  afterEach(() => rig.close());

  it('when nobody answers, office, home and cell ring in turn for their ring times, then the caller leaves a voicemail', async () => {
    const call = await rig.placeCall({ caller: { message: { seconds: 25 } } });
    await rig.run();

    const [office] = legsTo(rig.em, OFFICE);
    const [home] = legsTo(rig.em, HOME);
    const [cell] = legsTo(rig.em, CELL);
    const [app] = legsTo(rig.em, JOHNS_APP);
    expect(ringTimes(call, office)).toEqual({ from: 0, until: 40 });
    expect(ringTimes(call, home)).toEqual({ from: 40, until: 70 });
    expect(ringTimes(call, cell)).toEqual({ from: 70, until: 100 });
    expect(ringTimes(call, app)).toEqual({ from: 70, until: 100 });
    expect(rig.em.legs().map((l) => l.status)).toEqual(['no-answer', 'no-answer', 'no-answer', 'no-answer']);

    const greeting = rig.em.timeline.find((e) => e.callSid === call.sid && e.event === 'say');
    expect(greeting).toMatchObject({ offset: 100, detail: expect.stringContaining("John can't take your call") });
    const [recording] = rig.em.recordings();
    expect(call.outcome).toEqual({ kind: 'voicemail', recordingSid: recording.sid, seconds: 25 });

    const voicemails = await rig.voicemails(john.token);
    expect(voicemails).toHaveLength(1);
    expect(voicemails[0]).toMatchObject({
      id: recording.sid, callSid: call.sid, from: CUSTOMER, to: BUSINESS_NUMBER, durationSeconds: 25, recordingUrl: recording.url,
    });
  });

  it('the caller hears ringing throughout: the call is never answered before the voicemail greeting', async () => {
    const call = await rig.placeCall();
    await rig.run();
    expect(call.answeredAt).toBe(call.startedAt + 100_000);
  });

  it('a number set to HTTP GET in the Twilio console works as with POST: home answers, and the call is logged connected', async () => {
    const base = rig.app.baseUrl;
    rig.em.configureNumber(BUSINESS_NUMBER, {
      voiceUrl: `${base}/voice/incoming`, voiceMethod: 'GET', statusCallback: `${base}/voice/status`, statusCallbackMethod: 'GET',
      fallbackUrl: `${base}/voice/fallback`, fallbackMethod: 'GET',
    });
    rig.em.callee(HOME, { kind: 'answer', after: 10, talkSeconds: 45, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run();

    expect(call.requests[0]).toMatchObject({ method: 'GET', status: 200 });
    const [home] = legsTo(rig.em, HOME);
    expect(call.outcome).toEqual({ kind: 'connected', to: HOME, legSid: home.sid, answeredBy: 'human' });
    expect((await rig.http().get(`/api/calls/${call.sid}`).set({ Authorization: `Bearer ${john.token}` })).body).toMatchObject({ outcome: 'connected' });
  });

  it('when the home phone answers after 10 s, the caller is connected to it and the cell never rings', async () => {
    rig.em.callee(HOME, { kind: 'answer', after: 10, talkSeconds: 45, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run();

    const [home] = legsTo(rig.em, HOME);
    expect(ringTimes(call, home)).toEqual({ from: 40, answeredAt: 50, until: 95 });
    expect(home.bridged).toBe(true);
    expect(call.outcome).toEqual({ kind: 'connected', to: HOME, legSid: home.sid, answeredBy: 'human' });
    expect(call.answeredAt).toBe(home.answeredAt);
    expect(legsTo(rig.em, CELL)).toEqual([]);
    expect(legsTo(rig.em, JOHNS_APP)).toEqual([]);
    expect(rig.em.recordings()).toEqual([]);
    expect(await rig.voicemails(john.token)).toEqual([]);
  });

  it.each([
    ['John’s app', JOHNS_APP, CELL],
    ['the cell', CELL, JOHNS_APP],
  ])('in the last step the cell and John’s app ring together; %s answers first and the other stops ringing', async (_name, first, other) => {
    rig.em.callee(first, { kind: 'answer', after: 7, talkSeconds: 20 });
    rig.em.callee(other, { kind: 'answer', after: 15, talkSeconds: 20 });
    const call = await rig.placeCall();
    await rig.run();

    const [winner] = legsTo(rig.em, first);
    const [loser] = legsTo(rig.em, other);
    expect(ringTimes(call, winner)).toMatchObject({ from: 70, answeredAt: 77 });
    expect(winner.bridged).toBe(true);
    expect(ringTimes(call, loser)).toEqual({ from: 70, until: 77 });
    expect([loser.status, loser.bridged, loser.answeredAt]).toEqual(['canceled', false, undefined]);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: first });
    expect(await rig.voicemails(john.token)).toEqual([]);
  });

  it('a busy office and a failing home phone are passed over at once: the cell rings in the same second the call arrived', async () => {
    rig.em.callee(OFFICE, { kind: 'busy', label: 'Office' });
    rig.em.callee(HOME, { kind: 'failed', label: 'Home' });
    rig.em.callee(CELL, { kind: 'answer', after: 6, talkSeconds: 30, label: 'Cell' });
    const call = await rig.placeCall();
    await rig.run();

    const times = [OFFICE, HOME, CELL].map((to) => ringTimes(call, legsTo(rig.em, to)[0]));
    expect(times).toEqual([{ from: 0, until: 0 }, { from: 0, until: 0 }, { from: 0, answeredAt: 6, until: 36 }]);
    expect(legsTo(rig.em, OFFICE)[0].status).toBe('busy');
    expect(legsTo(rig.em, HOME)[0].status).toBe('failed');
    expect(call.outcome).toMatchObject({ kind: 'connected', to: CELL });
  });

  it('when the last step is busy everywhere, the caller reaches voicemail without waiting', async () => {
    rig.em.callee(CELL, { kind: 'busy' });
    rig.em.callee(JOHNS_APP, { kind: 'failed' });
    const call = await rig.placeCall();
    await rig.run();
    const greeting = rig.em.timeline.find((e) => e.callSid === call.sid && e.event === 'say');
    expect(greeting?.offset).toBe(70);
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });

  it('when Twilio repeats its callbacks after the voicemail, the voicemail is still there exactly once', async () => {
    await rig.placeCall();
    await rig.run();
    const callbacks = rig.em.webhooks.filter((w) => w.purpose === 'recording-status' || w.purpose === 'status-callback');
    expect(callbacks.map((w) => w.purpose).sort()).toEqual(['recording-status', 'status-callback']);
    for (const w of callbacks) expect((await signedPost(rig.app, w.url, { ...w.params })).status).toBe(200);
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });

  it('when the caller hangs up while the home phone rings, the ringing stops and nothing else rings', async () => {
    const call = await rig.placeCall({ caller: { hangUpAfter: 50 } });
    await rig.run();

    expect(ringTimes(call, legsTo(rig.em, HOME)[0])).toEqual({ from: 40, until: 50 });
    expect(legsTo(rig.em, HOME)[0].status).toBe('canceled');
    expect(legsTo(rig.em, CELL)).toEqual([]);
    expect(call.outcome).toEqual({ kind: 'caller-hung-up' });
    expect(await rig.voicemails(john.token)).toEqual([]);
    const calls = await rig.http().get('/api/calls').set({ Authorization: `Bearer ${john.token}` });
    expect(calls.body.items[0].outcome).not.toMatch(/connected|voicemail/);
  });

  it('the call log shows where the caller ended up', async () => {
    rig.em.callee(HOME, { kind: 'answer', after: 10, talkSeconds: 30 });
    const call = await rig.placeCall();
    await rig.run();
    const res = await rig.http().get('/api/calls').set({ Authorization: `Bearer ${john.token}` });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ callSid: call.sid, from: CUSTOMER, to: BUSINESS_NUMBER, outcome: 'connected' })]);
  });
}, storeFactories());

describeEachStore('Follow Me with Twilio’s extra ring time', (factory) => {
  let rig: FlowRig;
  afterEach(() => rig.close());

  it('when Twilio rings each step 5 s longer than asked, every step still starts as the previous one gives up', async () => {
    rig = await startFlow({ factory: factory(), emulator: { dialTimeoutSlackSeconds: 5 } });
    const john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id));
    const call = await rig.placeCall();
    await rig.run();

    const times = [OFFICE, HOME, CELL].map((to) => ringTimes(call, legsTo(rig.em, to)[0]));
    expect(times).toEqual([{ from: 0, until: 45 }, { from: 45, until: 80 }, { from: 80, until: 115 }]);
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });
}, storeFactories());
