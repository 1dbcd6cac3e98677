import request from 'supertest';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { TEST_ACCOUNT_SID } from '../support/app';
import { storeFactories } from '../support/stores';
import { attr, type TwilioParams } from '../support/twilio';
import { CALLER, JOHNS_NUMBER, RIG_START, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver, type Answer } from './receiver';

/**
 * A voicemail left under a transcribing rule is announced as soon as its recording is stored, the text still
 * `pending`; when Twilio's transcription comes, the receiver gets it as a `voicemail-transcribed` event, once.
 */

const TEXT = 'Hi John, call me back about the order.';
const transcribing = { voicemail: { greeting: 'Please leave a message.', maxLengthSeconds: 60, transcribe: true } };

describe.each(storeFactories())('the transcription of a voicemail reaches the receiver ($name store)', (factory) => {
  let rig: NotifyRig;
  let hook: Receiver;

  afterEach(async () => {
    await rig.close();
    await hook.close();
  });
  afterAll(() => factory.cleanup());

  async function start(answers: Answer[] = [200]): Promise<NotifyRig> {
    hook = await Receiver.start(answers);
    const clock = new VirtualClock(RIG_START);
    const store = await factory.make(() => clock.now());
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { clock, store });
    return rig;
  }

  /** Twilio's transcription callback for the recording, to the URL the app's `<Record>` gave. */
  function transcription(callSid: string, recordingSid: string, status: 'completed' | 'failed'): TwilioParams {
    return {
      AccountSid: TEST_ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/${recordingSid}`,
      TranscriptionSid: 'TR00000000000000000000000000000001', TranscriptionStatus: status, TranscriptionType: 'fast',
      ...(status === 'completed' ? { TranscriptionText: TEXT } : {}),
    };
  }

  async function leaveTranscribedVoicemail(callSid: string, recordingSid: string): Promise<string> {
    const record = await rig.reachVoicemail(callSid);
    await rig.post(attr(record, 'recordingStatusCallback'), recordingParams(callSid, recordingSid));
    await rig.settle();
    return attr(record, 'transcribeCallback');
  }

  it('the text arriving after the voicemail was announced is sent as a voicemail-transcribed event naming the same voicemail and call', async () => {
    await start();
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const transcribeUrl = await leaveTranscribedVoicemail('CA00000000000000000000000000000200', 'RE00000000000000000000000000000200');
    await rig.post(transcribeUrl, transcription('CA00000000000000000000000000000200', 'RE00000000000000000000000000000200', 'completed'));
    await rig.settle();

    const [voicemail, transcribed] = hook.events();
    expect(hook.events().map((e) => e.type)).toEqual(['voicemail', 'voicemail-transcribed']);
    expect(voicemail?.voicemail).toMatchObject({ transcriptionStatus: 'pending' });
    expect(transcribed).toEqual({
      type: 'voicemail-transcribed',
      id: 'evt_voicemail-transcribed_RE00000000000000000000000000000200',
      occurredAt: voicemail?.occurredAt,
      user: { id: john.id, name: 'John' },
      call: { callSid: 'CA00000000000000000000000000000200', from: CALLER, to: JOHNS_NUMBER },
      voicemail: {
        ...(voicemail?.voicemail as object),
        transcriptionStatus: 'completed',
        transcription: TEXT,
      },
    });
    expect(hook.received[1]?.headers['x-notify-event-id']).toBe('evt_voicemail-transcribed_RE00000000000000000000000000000200');
    expect(hook.received[1]?.headers['x-notify-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('a transcription Twilio could not make is announced too, as failed and with no text', async () => {
    await start();
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const transcribeUrl = await leaveTranscribedVoicemail('CA00000000000000000000000000000201', 'RE00000000000000000000000000000201');
    await rig.post(transcribeUrl, transcription('CA00000000000000000000000000000201', 'RE00000000000000000000000000000201', 'failed'));
    await rig.settle();

    const transcribed = hook.events()[1];
    expect(transcribed).toMatchObject({ type: 'voicemail-transcribed', voicemail: { transcriptionStatus: 'failed' } });
    expect(transcribed?.voicemail).not.toHaveProperty('transcription');
  });

  it('Twilio repeating the transcription callback, even two at once, makes one voicemail-transcribed event', async () => {
    await start();
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const transcribeUrl = await leaveTranscribedVoicemail('CA00000000000000000000000000000202', 'RE00000000000000000000000000000202');
    const params = transcription('CA00000000000000000000000000000202', 'RE00000000000000000000000000000202', 'completed');
    await Promise.all([rig.post(transcribeUrl, params), rig.post(transcribeUrl, params)]);
    await rig.post(transcribeUrl, params);
    await rig.settle();
    await rig.advance(60_000);

    expect(hook.events().map((e) => e.type)).toEqual(['voicemail', 'voicemail-transcribed']);
  });

  it('a transcription that comes before the recording is stored is in the voicemail event, and no second event follows', async () => {
    await start();
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const record = await rig.reachVoicemail('CA00000000000000000000000000000203');
    await rig.post(attr(record, 'transcribeCallback'), transcription('CA00000000000000000000000000000203', 'RE00000000000000000000000000000203', 'completed'));
    await rig.post(attr(record, 'recordingStatusCallback'), recordingParams('CA00000000000000000000000000000203', 'RE00000000000000000000000000000203'));
    await rig.settle();
    await rig.advance(60_000);

    expect(hook.events()).toEqual([expect.objectContaining({
      type: 'voicemail', voicemail: expect.objectContaining({ transcriptionStatus: 'completed', transcription: TEXT }),
    })]);
  });

  it('a receiver that was down gets the voicemail-transcribed event again on the retry, with the same event id', async () => {
    await start([200, 503, 200]);
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const transcribeUrl = await leaveTranscribedVoicemail('CA00000000000000000000000000000204', 'RE00000000000000000000000000000204');
    await rig.post(transcribeUrl, transcription('CA00000000000000000000000000000204', 'RE00000000000000000000000000000204', 'completed'));
    await rig.settle();
    await rig.advance(5_000);

    expect(hook.events().map((e) => e.type)).toEqual(['voicemail', 'voicemail-transcribed', 'voicemail-transcribed']);
    expect(hook.received[2]?.headers['x-notify-event-id']).toBe(hook.received[1]?.headers['x-notify-event-id']);
    expect(hook.events()[2]).toEqual(hook.events()[1]);
  });

  it('a voicemail John deleted before its transcription came is not announced again', async () => {
    await start();
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, transcribing);
    const transcribeUrl = await leaveTranscribedVoicemail('CA00000000000000000000000000000205', 'RE00000000000000000000000000000205');
    const deleted = await request(rig.app.server).delete('/api/voicemails/RE00000000000000000000000000000205').set('Authorization', `Bearer ${john.token}`);
    expect(deleted.status).toBe(204);
    await rig.post(transcribeUrl, transcription('CA00000000000000000000000000000205', 'RE00000000000000000000000000000205', 'completed'));
    await rig.settle();

    expect(hook.events().map((e) => e.type)).toEqual(['voicemail']);
  });
});

function recordingParams(callSid: string, recordingSid: string): TwilioParams {
  return {
    AccountSid: TEST_ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, RecordingStatus: 'completed',
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/${recordingSid}`,
    RecordingDuration: '17', RecordingChannels: '1', RecordingSource: 'RecordVerb',
  };
}
