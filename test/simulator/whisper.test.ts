import { BUSINESS, CALLER, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

const OFFICE = '+15551230001';
const HOME = '+15551230002';

let r: Rig;
afterEach(async () => {
  await r.close();
});

/** Follow Me with confirm: a whisper that asks for 1; 1 connects, anything else (or nothing) drops that leg. */
function confirmApp(rr: Rig, targets: string[], timeout = 30): void {
  rr.app.on('/incoming', () => twiml((vr) => {
    const dial = vr.dial({ timeout, action: rr.app.url('/after'), answerOnBridge: true });
    for (const t of targets) dial.number({ url: rr.app.url('/whisper') }, t);
  }));
  rr.app.on('/whisper', () => twiml((vr) => {
    vr.gather({ numDigits: 1, action: rr.app.url('/whisper-digits') }).say('Call for John. Press 1 to accept.');
    vr.hangup();
  }));
  rr.app.on('/whisper-digits', (p) => twiml((vr) => {
    if (p.Digits !== '1') vr.hangup();
  }));
  rr.app.on('/after', () => twiml((vr) => vr.hangup()));
}

describe('whispers on answered legs', () => {
  test('a whisper that simply ends connects the callee', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ action: r.app.url('/after') }).number({ url: r.app.url('/whisper') }, HOME)));
    r.app.on('/whisper', () => twiml((vr) => vr.say('Call for John')));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 5, talkSeconds: 30 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const [home] = r.em.legs();
    expect(home.bridged).toBe(true);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
    const whisper = r.app.at('/whisper')[0].params;
    expect(whisper).toMatchObject({
      CallSid: home.sid, ParentCallSid: call.sid, Direction: 'outbound-dial', CallStatus: 'in-progress', To: HOME, From: CALLER,
    });
  });

  test('pressing 1 in the whisper connects; the Gather action hears the digit', async () => {
    r = await rig();
    confirmApp(r, [HOME]);
    r.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 20 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/whisper-digits').map((x) => x.params.Digits)).toEqual(['1']);
    expect(r.em.legs()[0]).toMatchObject({ bridged: true, digits: '1' });
    // DialCallDuration is the dialled leg's duration from its answer: 3 s prompt + 1 s to press + 20 s talk
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '24' });
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
  });

  test('a callee who rejects in the whisper drops alone; the other phone keeps ringing and can still connect', async () => {
    r = await rig();
    confirmApp(r, [OFFICE, HOME]);
    r.em.callee(OFFICE, { kind: 'answer', after: 3, press: '2', pressAfter: 1 });
    r.em.callee(HOME, { kind: 'answer', after: 12, press: '1', pressAfter: 1, talkSeconds: 10 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const [office, home] = r.em.legs();
    expect([office.status, office.bridged, office.digits, secondsSince(call.startedAt, office.endedAt)]).toEqual(['completed', false, '2', 4]);
    expect([home.bridged, secondsSince(call.startedAt, home.answeredAt)]).toEqual([true, 12]);
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: home.sid, DialBridged: 'true' });
  });

  test('a carrier voicemail under a confirm whisper never presses, drops at the whisper’s Hangup and connects no one', async () => {
    r = await rig();
    confirmApp(r, [HOME]);
    r.em.callee(HOME, { kind: 'voicemail', after: 6 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const [home] = r.em.legs();
    expect([home.bridged, home.answeredBy, home.digits]).toEqual([false, 'machine', '']);
    expect(r.app.at('/whisper-digits')).toHaveLength(0);
    // the only leg answered and was dropped by its whisper: completed, but not bridged
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'false' });
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  test('the uncertain DialCallStatus after a whisper rejection can be chosen: no-answer', async () => {
    r = await rig({ uncertain: { whisperRejectedDialStatus: 'no-answer' } });
    confirmApp(r, [HOME]);
    r.em.callee(HOME, { kind: 'answer', after: 2, press: '9' });
    await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'no-answer', DialBridged: 'false' });
  });

  test('a carrier voicemail with no whisper gate counts as connecting, and hangs up after greeting and recording', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ action: r.app.url('/after') }).number(HOME)));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'voicemail', after: 20, greetingSeconds: 8, recordSeconds: 30 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME, answeredBy: 'machine' });
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '38' });
  });

  test('other legs keep ringing during a whisper and stop when it connects (or at answer, if chosen)', async () => {
    for (const cancelOtherLegsAt of ['bridge', 'answer'] as const) {
      r = await rig({ uncertain: { cancelOtherLegsAt } });
      confirmApp(r, [OFFICE, HOME]);
      r.em.callee(OFFICE, { kind: 'answer', after: 2, press: '1', pressAfter: 4 });
      const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
      await r.em.run();
      const home = r.em.legs()[1];
      expect([home.status, secondsSince(call.startedAt, home.endedAt)]).toEqual(['canceled', cancelOtherLegsAt === 'bridge' ? 6 : 2]);
      await r.close();
    }
    r = await rig();
  });

  test('a whisper with a second Gather gets no digits: the callee presses only once', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ action: r.app.url('/after') }).number({ url: r.app.url('/whisper') }, HOME)));
    r.app.on('/whisper', () => twiml((vr) => {
      vr.gather({ numDigits: 1, action: r.app.url('/again') }).say('Press a key');
      vr.hangup();
    }));
    r.app.on('/again', () => twiml((vr) => {
      vr.gather({ numDigits: 1, action: r.app.url('/never'), timeout: 3 }).say('Press again');
      vr.hangup();
    }));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 1, press: '5' });
    await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/again').map((x) => x.params.Digits)).toEqual(['5']);
    expect(r.app.at('/never')).toHaveLength(0);
    expect(r.em.legs()[0].bridged).toBe(false);
  });
});
