import { ACCOUNT_SID, BUSINESS, CALLER, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

let r: Rig;
afterEach(async () => {
  await r.close();
});

describe('Gather', () => {
  test('with no input there is no action request and the next verb runs', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      vr.gather({ numDigits: 1, action: r.app.url('/digits'), timeout: 7 }).say('Press 1 for sales');
      vr.redirect(r.app.url('/no-input'));
    }));
    let noInputAt = 0;
    r.app.on('/no-input', () => {
      noInputAt = r.clock.now();
      return twiml((vr) => vr.hangup());
    });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/digits')).toHaveLength(0);
    // "Press 1 for sales" (17 characters) takes 2 s at 15 characters a second, then 7 s of waiting
    expect(secondsSince(call.startedAt, noInputAt)).toBe(9);
  });

  test('digits keyed while the prompt plays interrupt it and reach the action', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      vr.gather({ numDigits: 1, action: r.app.url('/digits') }).play('https://example.com/hold.mp3');
      vr.hangup();
    }));
    let digitsAt = 0;
    r.app.on('/digits', () => {
      digitsAt = r.clock.now();
      return twiml((vr) => vr.hangup());
    });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 12, digits: '2' }] } });
    await r.em.run();
    expect(r.app.at('/digits').map((x) => x.params.Digits)).toEqual(['2']);
    expect(secondsSince(call.startedAt, digitsAt)).toBe(12);
  });

  test('without an action the current document URL is requested with the digits; finishOnKey ends the input', async () => {
    r = await rig();
    r.app.on('/incoming', (p) => twiml((vr) => {
      if (p.Digits) vr.say(`You entered ${p.Digits}`);
      else vr.gather({ timeout: 5 }).say('Enter your number, then press pound');
    }));
    await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 1, digits: '5551' }, { at: 3, digits: '234#' }] } });
    await r.em.run();
    const requests = r.app.at('/incoming');
    expect(requests).toHaveLength(2);
    expect(requests[1].params).toMatchObject({ Digits: '5551234', FinishedOnKey: '#', CallStatus: 'in-progress' });
  });

  test('digits keyed while no Gather listens are lost', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      vr.pause({ length: 5 });
      vr.gather({ numDigits: 1, action: r.app.url('/digits'), timeout: 3 });
    }));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 2, digits: '1' }] } });
    await r.em.run();
    expect(r.app.at('/digits')).toHaveLength(0);
    expect(r.em.timeline.find((e) => e.event === 'digits-lost')).toMatchObject({ offset: 2, callSid: call.sid });
  });
});

describe('Record', () => {
  function voicemailApp(rr: Rig): void {
    rr.app.on('/incoming', () => twiml((vr) => {
      vr.say('Please leave a message after the beep.');
      vr.record({
        maxLength: 120, playBeep: true, action: rr.app.url('/recorded'),
        recordingStatusCallback: rr.app.url('/recording-status'), transcribe: true, transcribeCallback: rr.app.url('/transcription'),
      });
      vr.say('No message recorded. Goodbye.');
    }));
    rr.app.on('/recorded', () => twiml((vr) => {
      vr.say('Thank you. Goodbye.');
      vr.hangup();
    }));
    rr.app.on('/recording-status', () => twiml(() => undefined));
    rr.app.on('/transcription', () => twiml(() => undefined));
  }

  test('a message reaches the action, the recording status callback and the transcription callback', async () => {
    r = await rig();
    voicemailApp(r);
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { message: { seconds: 14, transcript: 'Call me back' } } });
    await r.em.run();

    const [rec] = r.em.recordings();
    expect(rec).toMatchObject({ callSid: call.sid, seconds: 14, transcript: 'Call me back' });
    expect(rec.sid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(rec.url).toBe(`${r.em.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${rec.sid}`);
    expect(r.app.at('/recorded')[0].params).toMatchObject({ RecordingSid: rec.sid, RecordingUrl: rec.url, RecordingDuration: '14' });
    expect(r.app.at('/recording-status')[0].params).toMatchObject({
      RecordingStatus: 'completed', RecordingSid: rec.sid, RecordingDuration: '14', CallSid: call.sid, AccountSid: ACCOUNT_SID,
    });
    expect(r.app.at('/transcription')[0].params).toMatchObject({ TranscriptionText: 'Call me back', RecordingSid: rec.sid, TranscriptionStatus: 'completed' });
    expect(call.outcome).toEqual({ kind: 'voicemail', recordingSid: rec.sid, seconds: 14 });
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail?.includes('No message recorded'))).toBe(false);
  });

  test.each([2, 120])('a message of %i s is recorded but not transcribed: Twilio transcribes only more than 2 s and less than 120 s', async (seconds) => {
    r = await rig();
    voicemailApp(r);
    await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { message: { seconds, transcript: 'Call me back' } } });
    await r.em.run();
    expect(r.app.at('/recording-status')[0].params).toMatchObject({ RecordingStatus: 'completed', RecordingDuration: String(seconds) });
    expect(r.app.at('/transcription')).toHaveLength(0);
  });

  test('an empty recording skips the action and continues with the next verb', async () => {
    r = await rig();
    voicemailApp(r);
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { message: 'none' } });
    await r.em.run();
    expect(r.app.at('/recorded')).toHaveLength(0);
    expect(r.app.at('/recording-status')).toHaveLength(0);
    expect(r.em.recordings()).toEqual([]);
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail?.includes('No message recorded'))).toBe(true);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  test('a caller who hangs up while recording still leaves the message; the action hears Digits=hangup', async () => {
    r = await rig();
    voicemailApp(r);
    // "Please leave a message after the beep." takes 3 s; the caller speaks 20 s but hangs up at 11 s
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { message: { seconds: 20 }, hangUpAfter: 11 } });
    await r.em.run();
    expect(r.app.at('/recorded')[0].params).toMatchObject({ RecordingDuration: '8', Digits: 'hangup', CallStatus: 'completed' });
    expect(r.app.at('/recording-status')).toHaveLength(1);
    expect(call.outcome).toMatchObject({ kind: 'voicemail', seconds: 8 });
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail?.includes('Thank you'))).toBe(false);
  });

  test('maxLength caps a long message', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.record({ maxLength: 30, action: r.app.url('/recorded') })));
    r.app.on('/recorded', () => twiml((vr) => vr.hangup()));
    await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { message: { seconds: 90 } } });
    await r.em.run();
    expect(r.app.at('/recorded')[0].params.RecordingDuration).toBe('30');
  });
});
