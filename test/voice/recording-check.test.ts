import type { Voicemail } from '../../src/domain/types';
import { TwilioEmulator } from '../../src/simulator/emulator';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { capturingLogger } from '../extend-ring/sweeper-support';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import { storeFactories } from '../support/stores';
import { attr, el, find, parseTwiml, signedPost, type TwilioParams, type TwimlNode } from '../support/twilio';
import { incomingParams, johnsRule, seedJohn, VoicePath } from './helpers';

/** The Record action's promise: Twilio is asked about the recording two minutes later, unless its callback stored it. */
const TWO_MINUTES = 120_000;
const CALL = 'CA00000000000000000000000000000001';
const SID = `RE${'a'.repeat(32)}`;
/** The recording's URL as Twilio's callbacks give it: https://api.twilio.com and the resource's path, without .json. */
const URL_AT_TWILIO = `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/${SID}`;
const GOODBYE = el('Response', {}, el('Say', {}, 'Thank you for your message. Goodbye.'), el('Hangup'));

/** John's rule with a single step, so the first no-answer lands in voicemail. */
const oneStep = { steps: [{ destinations: [{ type: 'number' as const, to: '+15551230001' }], ringSeconds: 10 }] };

/**
 * The recording callback is lost or fails: the app looks the message up at Twilio (the emulator's REST API, reached by
 * the app's real gateway) with its deadline sweeper, on a virtual clock only the test moves.
 */
describe.each(storeFactories())('the recording check, two minutes after the Record action (its callback lost or failed) ($name store)', (factory) => {
  let em: TwilioEmulator;
  let app: RunningApp;
  let clock: VirtualClock;
  /** When the Record action came. */
  let recordedAt: number;
  let logLines: () => Array<Record<string, unknown>>;

  beforeEach(async () => {
    clock = new VirtualClock();
    em = new TwilioEmulator({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, clock: new VirtualClock() });
    await em.start();
    const store = await factory.make(() => clock.now());
    const { logger, lines } = capturingLogger();
    logLines = lines;
    app = await startApp({
      store, clock, logger, closeStore: false, twilio: 'env', env: { TWILIO_API_BASE_URL: em.apiBaseUrl }, sweeper: { intervalMs: 1000 },
    });
    await seedJohn(store, johnsRule(oneStep));
  });
  afterEach(async () => {
    await em.close();
    await app.close();
  });
  afterAll(() => factory.cleanup());

  async function post(target: string, params: TwilioParams): Promise<TwimlNode> {
    const res = await signedPost(app, target, params);
    expect(res.status).toBe(200);
    return parseTwiml(res.text);
  }

  /** The caller reaches John's voicemail, speaks and hangs up: Twilio requests the Record action. The Record verb. */
  async function leaveMessage(): Promise<TwimlNode> {
    const dial = find(await post(VoicePath.Incoming, incomingParams(CALL)), 'Dial');
    const voicemail = await post(attr(dial, 'action'), { ...incomingParams(CALL), CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
    const record = find(voicemail, 'Record');
    recordedAt = clock.now();
    expect(await post(attr(record, 'action'), {
      ...incomingParams(CALL), CallStatus: 'completed', RecordingSid: SID, RecordingUrl: URL_AT_TWILIO, RecordingDuration: '17', Digits: 'hangup',
    })).toEqual(GOODBYE);
    return record;
  }

  /** Plays the app's time up to `target`, one sweep at a time, each with the work it started (Twilio's answer awaited). */
  async function playTo(target: number): Promise<void> {
    for (let due = clock.nextDueAt(); due !== undefined && due <= target; due = clock.nextDueAt()) {
      clock.runNext();
      await app.sweeper?.idle();
      await app.deps.background.idle();
    }
    clock.advanceTo(target);
  }

  /** Every time the app asked Twilio about a recording: the status Twilio answered. */
  const lookups = (): Array<number | undefined> =>
    em.restRequests.filter((r) => r.method === 'GET' && r.path.includes('/Recordings/')).map((r) => r.status);

  const johnsVoicemails = (): Promise<Voicemail[]> => app.deps.store.listVoicemails({ userId: 'usr_john' });

  it('a recording Twilio is still processing is looked up again two minutes later, and kept then', async () => {
    await leaveMessage();
    em.setRecording({ sid: SID, callSid: CALL, status: 'processing' });
    await playTo(recordedAt + TWO_MINUTES - 1);
    expect(lookups()).toEqual([]);
    await playTo(recordedAt + TWO_MINUTES);
    expect(lookups()).toEqual([200]);
    expect(await johnsVoicemails()).toEqual([]);

    em.setRecording({ sid: SID, callSid: CALL, status: 'completed', seconds: 17 });
    await playTo(recordedAt + 2 * TWO_MINUTES - 1);
    expect(lookups()).toEqual([200]);
    await playTo(recordedAt + 2 * TWO_MINUTES);
    expect(lookups()).toEqual([200, 200]);
    expect((await johnsVoicemails()).map((v) => [v.id, v.callSid, v.durationSeconds, v.recordingUrl])).toEqual([[SID, CALL, 17, URL_AT_TWILIO]]);
  });

  it('a recording Twilio has completed is kept at two minutes, with its length and URL, and not looked up again', async () => {
    await leaveMessage();
    em.setRecording({ sid: SID, callSid: CALL, status: 'completed', seconds: 17 });
    await playTo(recordedAt + TWO_MINUTES);
    expect((await johnsVoicemails()).map((v) => [v.id, v.callSid, v.durationSeconds, v.recordingUrl])).toEqual([[SID, CALL, 17, URL_AT_TWILIO]]);
    await playTo(recordedAt + 10 * TWO_MINUTES);
    expect(lookups()).toEqual([200]);
    expect(await johnsVoicemails()).toHaveLength(1);
  });

  it.each([
    ['completed with no length', { status: 'completed', seconds: 0 }, 200],
    ['absent', { status: 'absent', seconds: 1 }, 200],
    ['failed', { status: 'failed', seconds: 17 }, 200],
    ['unknown (404)', undefined, 404],
  ] as const)('a recording Twilio reports as %s is not kept as John\'s voicemail, nor looked up again', async (_what, recording, answered) => {
    await leaveMessage();
    if (recording) em.setRecording({ sid: SID, callSid: CALL, ...recording });
    await playTo(recordedAt + TWO_MINUTES);
    expect(lookups()).toEqual([answered]);
    await playTo(recordedAt + 10 * TWO_MINUTES);
    expect(lookups()).toEqual([answered]);
    expect(await johnsVoicemails()).toEqual([]);
  });

  it('a message its callback stored, or a call the store no longer has, is not looked up at Twilio', async () => {
    const record = await leaveMessage();
    const unknownCall = 'CA0000000000000000000000000000dead';
    const itsRecording = `RE${'b'.repeat(32)}`;
    expect(await post(`${VoicePath.VoicemailRecorded}?call=${unknownCall}`, {
      ...incomingParams(unknownCall), CallStatus: 'completed', RecordingSid: itsRecording, RecordingDuration: '17', Digits: 'hangup',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/${itsRecording}`,
    })).toEqual(GOODBYE);
    em.setRecording({ sid: itsRecording, callSid: unknownCall, status: 'completed', seconds: 17 });
    em.setRecording({ sid: SID, callSid: CALL, status: 'completed', seconds: 17 });
    expect(await post(attr(record, 'recordingStatusCallback'), {
      AccountSid: TEST_ACCOUNT_SID, CallSid: CALL, RecordingSid: SID, RecordingStatus: 'completed', RecordingUrl: URL_AT_TWILIO,
      RecordingDuration: '17', RecordingChannels: '1', RecordingSource: 'RecordVerb',
    })).toEqual(el('Response'));

    await playTo(recordedAt + 10 * TWO_MINUTES);
    expect(lookups()).toEqual([]);
    expect(await johnsVoicemails()).toHaveLength(1);
  });

  it('Twilio failing every lookup (500): asked again every 15 s, and the operator sees an error line the first time and every 20th, not four a minute', async () => {
    await leaveMessage();
    em.injectRestFault({ method: 'GET', pathMatch: '/Recordings/', status: 500, times: 10_000 });
    const key = `${CALL}/recording/${SID}`;
    // the first lookup at two minutes, then one each lease of 15 s (noticed on the next 1 s sweep): 21 tries
    await playTo(recordedAt + TWO_MINUTES + 20 * 16_000 + 500);

    const tries = lookups().length;
    expect(tries).toBeGreaterThanOrEqual(21);
    const errors = logLines().filter((line) => Number(line.level) >= 50);
    expect(errors.map((line) => [line.key, line.attempts, line.callSid])).toEqual([[key, 1, CALL], [key, 20, CALL]]);
    expect(await johnsVoicemails()).toEqual([]);
  });
});
