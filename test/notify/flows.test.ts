import { ringRule, JOHNS_TOKEN, startRig, CALLER, JOHNS_NUMBER, type RingRig } from '../extend-ring/rig';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { storeFactories } from '../support/stores';
import { SIGNING_SECRET } from './helpers';
import { Receiver, type Answer } from './receiver';

/**
 * Whole calls through the Twilio emulator, as a business's receiver sees them: each call that nobody took makes
 * exactly one event (a voicemail, a callback number or a missed call), sent once the thing it is about exists; a
 * transcribed voicemail's text follows in a second event.
 */

describe.each(storeFactories())('what the receiver gets for whole calls ($name store)', (factory) => {
  let rig: RingRig;
  let hook: Receiver;

  afterEach(async () => {
    await rig.close();
    await hook.close();
  });
  afterAll(() => factory.cleanup());

  async function start(rule = ringRule(), answers: Answer[] = [200], lossy = false): Promise<RingRig> {
    hook = await Receiver.start(answers);
    return startRig({ factory, rule, lossy, env: { NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET } });
  }
  /** Every call over, and then the graces the app gives lost requests (15 s for a last action, 2 min for a recording). */
  async function callsOver(): Promise<void> {
    await rig.run(600);
    await rig.em.advance(150);
  }
  const types = () => hook.events().map((e) => e.type);

  it('Extend Ring: a caller who hangs up on hold is one missed call', async () => {
    rig = await start();
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await callsOver();
    expect(hook.events()).toEqual([expect.objectContaining({
      type: 'missed-call', call: { callSid: call.sid, from: CALLER, to: JOHNS_NUMBER },
      missedCall: expect.objectContaining({ outcome: 'missed', mode: 'extendRing' }),
    })]);
  });

  it('Extend Ring: a caller who hangs up on hold is one missed call, even when the store failed as the hang-up was logged', async () => {
    rig = await start();
    // the outcome the hang-up records is lost (a Redis timeout); the status callback that follows settles the call
    failOnce(rig.store, 'finishCall');
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await callsOver();
    expect(hook.events()).toEqual([expect.objectContaining({
      type: 'missed-call', call: { callSid: call.sid, from: CALLER, to: JOHNS_NUMBER },
      missedCall: expect.objectContaining({ outcome: 'missed', mode: 'extendRing' }),
    })]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('missed');
    expect(log?.events.filter((e) => e.type === 'abandoned')).toHaveLength(1);
  });

  it('Extend Ring: a caller held to the end who hangs up in the voicemail greeting is one missed call', async () => {
    rig = await start();
    const call = await rig.placeCall({ hangUpAfter: 182, message: 'none' });
    await callsOver();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'missed-call', call: expect.objectContaining({ callSid: call.sid }) })]);
  });

  it('Extend Ring: a caller held to the end who leaves a message is one voicemail, whose audio the owner can fetch', async () => {
    rig = await start();
    const call = await rig.placeCall({ message: { seconds: 12 } });
    await callsOver();
    expect(types()).toEqual(['voicemail']);
    const voicemail = hook.events()[0]?.voicemail as { audioUrl: string; durationSeconds: number };
    expect(voicemail.durationSeconds).toBe(12);
    expect(hook.events()[0]?.call).toEqual({ callSid: call.sid, from: CALLER, to: JOHNS_NUMBER });
    const audio = await fetch(voicemail.audioUrl, { headers: { Authorization: `Bearer ${JOHNS_TOKEN}` } });
    expect(audio.status).toBe(200);
  });

  it('Extend Ring: a callback number left on hold is one callback event, not a missed call too', async () => {
    rig = await start();
    await rig.placeCall({ holdDigits: [{ at: 3, digits: '2' }, { at: 6, digits: '5551234567#' }, { at: 9, digits: '1' }] });
    await callsOver();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'callback', callback: expect.objectContaining({ number: '5551234567' }) })]);
  });

  it('Follow Me: a caller who hangs up while the phones ring is one missed call', async () => {
    rig = await start(ringRule({ mode: 'followMe' }));
    await rig.placeCall({ hangUpAfter: 10 });
    await callsOver();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'missed-call', missedCall: expect.objectContaining({ mode: 'followMe' }) })]);
  });

  it('Follow Me: a caller who hangs up in the voicemail greeting is one missed call', async () => {
    rig = await start(ringRule({ mode: 'followMe' }));
    await rig.placeCall({ hangUpAfter: 42, message: 'none' });
    await callsOver();
    expect(types()).toEqual(['missed-call']);
  });

  it('Follow Me: a caller who leaves a message is one voicemail', async () => {
    rig = await start(ringRule({ mode: 'followMe' }));
    await rig.placeCall({ message: { seconds: 8 } });
    await callsOver();
    expect(types()).toEqual(['voicemail']);
  });

  it('no rule in force (the rule is off): a caller who hangs up in the voicemail greeting is one missed call', async () => {
    rig = await start(ringRule({ enabled: false }));
    await rig.placeCall({ hangUpAfter: 3, message: 'none' });
    await callsOver();
    expect(types()).toEqual(['missed-call']);
  });

  it('a voicemail whose receiver was down until its transcription came gets the transcript with the retry, not only its status', async () => {
    const voicemail = { greeting: 'Please leave a message.', maxLengthSeconds: 60, transcribe: true };
    rig = await start(ringRule({ mode: 'followMe', voicemail }), [503, 503, 503, 503, 200]);
    await rig.placeCall({ message: { seconds: 8, transcript: 'Hi John, call me back about the order.' } });
    await callsOver();
    const sent = hook.events().filter((e) => e.type === 'voicemail').map((e) => e.voicemail as Record<string, unknown>);
    expect(sent).toHaveLength(5);
    expect(sent[0]).toMatchObject({ transcriptionStatus: 'pending' });
    expect(sent[0]).not.toHaveProperty('transcription');
    expect(sent[4]).toMatchObject({ transcriptionStatus: 'completed', transcription: 'Hi John, call me back about the order.' });
  });

  it('a message under a transcribing rule is one voicemail event, then one voicemail-transcribed event with Twilio\'s text', async () => {
    const voicemail = { greeting: 'Please leave a message.', maxLengthSeconds: 60, transcribe: true };
    rig = await start(ringRule({ mode: 'followMe', voicemail }));
    const call = await rig.placeCall({ message: { seconds: 8, transcript: 'Hi John, call me back about the order.' } });
    await callsOver();
    expect(hook.events()).toEqual([
      expect.objectContaining({ type: 'voicemail', voicemail: expect.objectContaining({ transcriptionStatus: 'pending' }) }),
      expect.objectContaining({
        type: 'voicemail-transcribed', call: { callSid: call.sid, from: CALLER, to: JOHNS_NUMBER },
        voicemail: expect.objectContaining({ transcriptionStatus: 'completed', transcription: 'Hi John, call me back about the order.' }),
      }),
    ]);
  });

  it('a voicemail whose recording callback Twilio lost is announced once, when the app finds the recording at Twilio two minutes later', async () => {
    rig = await start(ringRule({ mode: 'followMe' }), [200], true);
    rig.proxy?.loseOnce('before', (path) => path.startsWith(VoicePath.RecordingStatus));
    await rig.placeCall({ message: { seconds: 9 } });
    await rig.run(600);
    expect(hook.received).toEqual([]);
    await rig.em.advance(150);
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'voicemail', voicemail: expect.objectContaining({ durationSeconds: 9 }) })]);
  });
});
