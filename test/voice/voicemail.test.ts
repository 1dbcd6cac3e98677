import { attr, el, find, type TwimlNode } from '../support/twilio';
import { failOnce } from '../support/faults';
import { storeFactories } from '../support/stores';
import {
  CALLER, incomingParams, JOHNS_NUMBER, johnsRule, pathOf, seedJohn, startVoiceApp, TUESDAY_10_NY, VoicePath,
  type VoiceTestApp,
} from './helpers';

/** John's rule with a single step, so the first no-answer lands in voicemail. */
const oneStep = { steps: [{ destinations: [{ type: 'number' as const, to: '+15551230001' }], ringSeconds: 10 }] };

/** Twilio's recording status callback for the inbound call's recording. */
function recordingStatus(status: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: 'AC0123456789abcdef0123456789abcdef', CallSid: 'CA00000000000000000000000000000001', RecordingSid: 'RE00000000000000000000000000000001', RecordingStatus: status,
    RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE00000000000000000000000000000001',
    RecordingDuration: '17', RecordingChannels: '1', RecordingSource: 'RecordVerb', ...extra,
  };
}

describe.each(storeFactories())('voicemail ($name store)', (factory) => {
  let t: VoiceTestApp;
  afterEach(() => t.close());
  afterAll(() => factory.cleanup());

  async function reachVoicemail(overrides: Parameters<typeof johnsRule>[0] = {}): Promise<TwimlNode> {
    t = await startVoiceApp({ factory });
    await seedJohn(t.store, johnsRule({ ...oneStep, ...overrides }));
    const dial = find(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), 'Dial');
    return t.post(attr(dial, 'action'), { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
  }

  it('a greeting given as an https audio URL is played', async () => {
    const twiml = await reachVoicemail({ voicemail: { greeting: 'https://example.com/john.mp3', maxLengthSeconds: 60, transcribe: false } });
    expect(twiml.children[0]).toEqual(el('Play', {}, 'https://example.com/john.mp3'));
    expect(find(twiml, 'Record').attributes.maxLength).toBe('60');
  });

  it('an owner named like a web address, with no greeting of their own: the default greeting is spoken, not fetched as audio', async () => {
    t = await startVoiceApp({ factory });
    await seedJohn(t.store, johnsRule({ ...oneStep, enabled: false }));
    await t.store.updateUser({ ...(await t.store.getUser('usr_john'))!, name: 'https://acme.example' });
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(twiml.children[0]).toEqual(el('Say', {}, 'https://acme.example can\'t take your call right now. Please leave a message after the tone.'));
  });

  it('asking for a transcription adds it to the recording', async () => {
    const twiml = await reachVoicemail({ voicemail: { maxLengthSeconds: 90, transcribe: true } });
    const record = find(twiml, 'Record');
    expect(record.attributes).toMatchObject({ transcribe: 'true', maxLength: '90' });
    expect(pathOf(attr(record, 'transcribeCallback'))).toBe(VoicePath.Transcription);
    expect(find(twiml, 'Say').text).toBe("John can't take your call right now. Please leave a message after the tone.");
  });

  it('after a message is recorded the caller hears goodbye and the call ends', async () => {
    const record = find(await reachVoicemail(), 'Record');
    const after = await t.post(attr(record, 'action'), {
      ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress', RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: 'https://x/RE00000000000000000000000000000001', RecordingDuration: '17', Digits: 'hangup',
    });
    expect(after).toEqual(el('Response', {}, el('Say', {}, 'Thank you for your message. Goodbye.'), el('Hangup')));
  });

  it.each([
    ['absent', { RecordingDuration: '0', ErrorCode: '16101' }],
    ['failed', {}],
  ] as const)('a message whose Record action came but whose recording Twilio then reports %s is not kept as John\'s voicemail', async (status, extra) => {
    const record = find(await reachVoicemail(), 'Record');
    const { RecordingUrl } = recordingStatus('completed');
    // a one-second message: Twilio posts the Record action, then finds the recording too short (or cannot process it)
    await t.post(attr(record, 'action'), {
      ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'completed', RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: RecordingUrl!, RecordingDuration: '1', Digits: 'hangup',
    });
    expect(await t.post(attr(record, 'recordingStatusCallback'), recordingStatus(status, extra))).toEqual(el('Response'));

    expect(await t.store.listVoicemails({ userId: 'usr_john' })).toEqual([]);
    expect(await t.store.getVoicemail('RE00000000000000000000000000000001')).toBeNull();
  });

  it('a Record action that meets a store blip still settles the call as voicemail at once (the caller left a message)', async () => {
    const record = find(await reachVoicemail(), 'Record');
    const { RecordingUrl } = recordingStatus('completed');
    // the caller hung up after speaking; the number's status callback came first: the call waits for the Record action
    await t.post(VoicePath.Status, { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'completed', CallDuration: '40' });
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBeUndefined();
    failOnce(t.store, 'appendCallEvent');
    failOnce(t.store, 'getHunt');
    const after = await t.post(attr(record, 'action'), {
      ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'completed', RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: RecordingUrl!, RecordingDuration: '17', Digits: 'hangup',
    });
    expect(after).toEqual(el('Response', {}, el('Say', {}, 'Thank you for your message. Goodbye.'), el('Hangup')));

    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBe('voicemail');
  });

  it('a message whose Record action meets a store failure is stored by its recording callback, once', async () => {
    const record = find(await reachVoicemail(), 'Record');
    const { RecordingUrl } = recordingStatus('completed');
    failOnce(t.store, 'saveVoicemail');
    const after = await t.post(attr(record, 'action'), {
      ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress', RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: RecordingUrl!, RecordingDuration: '17', Digits: 'hangup',
    });
    expect(after).toEqual(el('Response', {}, el('Say', {}, 'Thank you for your message. Goodbye.'), el('Hangup')));
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed'));
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed'));
    expect(await t.store.listVoicemails({ userId: 'usr_john' })).toHaveLength(1);
  });

  it.each(['1', '2', '120', '150'])('a %s s message, which Twilio does not transcribe (more than 2 s and less than 120 s only), is not left "pending"', async (seconds) => {
    const record = find(await reachVoicemail({ voicemail: { maxLengthSeconds: 300, transcribe: true } }), 'Record');
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed', { RecordingDuration: seconds }));
    const stored = await t.store.getVoicemail('RE00000000000000000000000000000001');
    expect(stored?.durationSeconds).toBe(Number(seconds));
    expect(stored?.transcriptionStatus).toBe('failed');
  });

  it.each(['3', '119'])('a %s s message asked to be transcribed waits for its transcription', async (seconds) => {
    const record = find(await reachVoicemail({ voicemail: { maxLengthSeconds: 300, transcribe: true } }), 'Record');
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed', { RecordingDuration: seconds }));
    expect((await t.store.getVoicemail('RE00000000000000000000000000000001'))?.transcriptionStatus).toBe('pending');
  });

  it('the message is stored once for John, even when Twilio repeats the recording callback', async () => {
    const record = find(await reachVoicemail(), 'Record');
    const callback = attr(record, 'recordingStatusCallback');
    t.clock.set(TUESDAY_10_NY + 60_000);
    expect(await t.post(callback, recordingStatus('completed'))).toEqual(el('Response'));
    expect(await t.post(callback, recordingStatus('completed'))).toEqual(el('Response'));
    const voicemails = await t.store.listVoicemails({ userId: 'usr_john' });
    expect(voicemails).toEqual([{
      id: 'RE00000000000000000000000000000001', callSid: 'CA00000000000000000000000000000001', userId: 'usr_john', ruleId: 'rul_john', from: CALLER, to: JOHNS_NUMBER,
      durationSeconds: 17, recordingUrl: recordingStatus('completed').RecordingUrl, createdAt: new Date(TUESDAY_10_NY + 60_000).toISOString(),
    }]);
    const events = (await t.store.getCall('CA00000000000000000000000000000001'))?.events.map((e) => e.type);
    expect(events?.filter((e) => e === 'voicemail-recorded')).toHaveLength(1);
    expect(events).toContain('voicemail');
  });

  it('an absent or failed recording stores nothing', async () => {
    const callback = attr(find(await reachVoicemail(), 'Record'), 'recordingStatusCallback');
    expect(await t.post(callback, recordingStatus('absent', { RecordingDuration: '0' }))).toEqual(el('Response'));
    expect(await t.post(callback, recordingStatus('failed'))).toEqual(el('Response'));
    expect(await t.store.listVoicemails()).toEqual([]);
  });

  it('the transcription is added to the stored message when it arrives', async () => {
    const record = find(await reachVoicemail({ voicemail: { maxLengthSeconds: 90, transcribe: true } }), 'Record');
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed'));
    expect((await t.store.getVoicemail('RE00000000000000000000000000000001'))?.transcriptionStatus).toBe('pending');
    await t.post(attr(record, 'transcribeCallback'), {
      ...incomingParams('CA00000000000000000000000000000001'), RecordingSid: 'RE00000000000000000000000000000001', TranscriptionSid: 'TR00000000000000000000000000000001', TranscriptionStatus: 'completed',
      TranscriptionText: 'Hi John, call me back.', TranscriptionUrl: 'https://x/TR00000000000000000000000000000001',
    });
    expect(await t.store.getVoicemail('RE00000000000000000000000000000001')).toMatchObject({ transcription: 'Hi John, call me back.', transcriptionStatus: 'completed' });
  });

  it('a transcription Twilio could not make is marked failed, with no text', async () => {
    const record = find(await reachVoicemail({ voicemail: { maxLengthSeconds: 90, transcribe: true } }), 'Record');
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed'));
    await t.post(attr(record, 'transcribeCallback'), {
      ...incomingParams('CA00000000000000000000000000000001'), RecordingSid: 'RE00000000000000000000000000000001', TranscriptionSid: 'TR00000000000000000000000000000001', TranscriptionStatus: 'failed', TranscriptionUrl: 'https://x/TR00000000000000000000000000000001',
    });
    const stored = await t.store.getVoicemail('RE00000000000000000000000000000001');
    expect(stored?.transcriptionStatus).toBe('failed');
    expect(stored?.transcription).toBeUndefined();
  });

  it('a transcription that arrives before the recording callback is kept for the message', async () => {
    const record = find(await reachVoicemail({ voicemail: { maxLengthSeconds: 90, transcribe: true } }), 'Record');
    expect(await t.post(attr(record, 'transcribeCallback'), {
      ...incomingParams('CA00000000000000000000000000000001'), RecordingSid: 'RE00000000000000000000000000000001', TranscriptionSid: 'TR00000000000000000000000000000001', TranscriptionStatus: 'completed',
      TranscriptionText: 'Hi John, call me back.', TranscriptionUrl: 'https://x/TR00000000000000000000000000000001',
    })).toEqual(el('Response'));
    expect(await t.store.listVoicemails({ userId: 'usr_john' })).toEqual([]);
    await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed'));
    expect(await t.store.getVoicemail('RE00000000000000000000000000000001')).toMatchObject({
      durationSeconds: 17, transcription: 'Hi John, call me back.', transcriptionStatus: 'completed',
    });
  });

  it('a recording callback whose RecordingUrl is not a web address keeps nothing (the message could never be played)', async () => {
    const record = find(await reachVoicemail(), 'Record');
    for (const url of ['x}{', 'javascript:alert(1)']) {
      expect(await t.post(attr(record, 'recordingStatusCallback'), recordingStatus('completed', { RecordingUrl: url }))).toEqual(el('Response'));
    }
    expect(await t.store.listVoicemails({ userId: 'usr_john' })).toEqual([]);
  });

  it('a caller sent to the voicemail URL gets the same greeting and recording', async () => {
    t = await startVoiceApp({ factory });
    await seedJohn(t.store, johnsRule(oneStep));
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const twiml = await t.post(`${VoicePath.Voicemail}?call=CA00000000000000000000000000000001`, { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress' });
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(find(twiml, 'Say').text).toBe("John can't take your call. Leave a message after the tone.");
  });
});
