import { attr, el, find } from '../support/twilio';
import {
  dialActionParams, dialOf, incomingParams, johnsRule, seedJohn, startVoiceApp, TUESDAY_10_NY, VoicePath,
  type VoiceTestApp,
} from './helpers';

const oneStep = { steps: [{ destinations: [{ type: 'number' as const, to: '+15551230001' }], ringSeconds: 10 }] };

/** The number's status callback when the inbound call is over. */
const ended = (callSid: string, status = 'completed') => ({ ...incomingParams(callSid), CallStatus: status, CallDuration: '42' });

describe('the end of a call in the call log', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
    await seedJohn(t.store, johnsRule(oneStep));
  });
  afterEach(() => t.close());

  it('a call that was connected ends as connected', async () => {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialBridged: 'true' }));
    expect(await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'))).toEqual(el('Response'));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toMatchObject({ outcome: 'connected' });
  });

  /** The caller is in voicemail: the Record action, which Twilio requests once a message was recorded. */
  async function reachVoicemail(): Promise<string> {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    return attr(find(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), 'Record'), 'action');
  }
  const recorded = { ...incomingParams('CA00000000000000000000000000000001'), RecordingSid: 'RE00000000000000000000000000000001', RecordingUrl: 'https://x/RE00000000000000000000000000000001', RecordingDuration: '20' };

  it('a caller who left a message ends as voicemail, at the time the call ended', async () => {
    await t.post(await reachVoicemail(), recorded);
    t.clock.set(TUESDAY_10_NY + 90_000);
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toMatchObject({
      outcome: 'voicemail', endedAt: new Date(TUESDAY_10_NY + 90_000).toISOString(),
    });
  });

  it('when the status callback comes before the Record action, the Record action settles the call as voicemail', async () => {
    const recordAction = await reachVoicemail();
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBeUndefined();
    await t.post(recordAction, recorded);
    const log = await t.store.getCall('CA00000000000000000000000000000001');
    expect(log?.outcome).toBe('voicemail');
    expect(log?.events.filter((e) => e.type === 'voicemail-recorded')).toEqual([expect.objectContaining({ detail: 'RE00000000000000000000000000000001' })]);
  });

  it('a caller who hung up while the phones rang is a missed call, settled by the Dial action', async () => {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBeUndefined();
    await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'canceled', { CallStatus: 'completed' }));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toMatchObject({ outcome: 'missed' });
  });

  it('a repeated or late status callback changes nothing', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'));
    const first = await t.store.getCall('CA00000000000000000000000000000001');
    t.clock.set(TUESDAY_10_NY + 600_000);
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001'));
    await t.post(VoicePath.Status, ended('CA00000000000000000000000000000001', 'no-answer'));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toEqual(first);
  });

  it('a call still in progress is not ended', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(await t.post(VoicePath.Status, { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress' })).toEqual(el('Response'));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBeUndefined();
  });

  it('the status of a call that was never logged (a number nobody owns) is accepted quietly', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000009', '+15550009999'));
    expect(await t.post(VoicePath.Status, ended('CA00000000000000000000000000000009'))).toEqual(el('Response'));
  });
});

describe('the fallback URL (Twilio could not use an answer)', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
    await seedJohn(t.store, johnsRule());
  });
  afterEach(() => t.close());

  it('sends a caller of a known call to voicemail', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const twiml = await t.post(VoicePath.Fallback, {
      ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'in-progress', ErrorCode: '11200', ErrorUrl: `${t.app.baseUrl}${VoicePath.FollowMeDialAction}?step=0`,
    });
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(attr(find(twiml, 'Record'), 'recordingStatusCallback')).toContain('call=CA00000000000000000000000000000001');
  });

  it('takes a message for John from a caller of his number the app has no hunt for (its answer to the call failed before one was stored)', async () => {
    const twiml = await t.post(VoicePath.Fallback, { ...incomingParams('CA00000000000000000000000000000007'), ErrorCode: '11200', ErrorUrl: `${t.app.baseUrl}/voice/incoming` });
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(attr(find(twiml, 'Record'), 'recordingStatusCallback')).toContain('call=CA00000000000000000000000000000007');
    expect(await t.store.getHunt('CA00000000000000000000000000000007')).toMatchObject({ userId: 'usr_john', state: 'voicemail' });
  });

  it('hangs up a caller whose conversation is over when the Dial action it answers again fails again (the hunt is gone): no voicemail greeting after a conversation', async () => {
    const twiml = await t.post(VoicePath.Fallback, {
      ...dialActionParams('CA00000000000000000000000000000009', 'completed', { DialBridged: 'true', DialCallDuration: '30' }),
      ErrorCode: '11200', ErrorUrl: `${t.app.baseUrl}${VoicePath.FollowMeDialAction}?step=0`,
    });
    expect(twiml).toEqual(el('Response', {}, el('Hangup')));
  });

  it('sends the caller to voicemail when ErrorUrl names a stage on another host: only our own stages are answered again', async () => {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const elsewhere = new URL(action);
    elsewhere.host = 'elsewhere.example.com';
    const twiml = await t.post(VoicePath.Fallback, {
      ...dialActionParams('CA00000000000000000000000000000001', 'no-answer'), ErrorCode: '11200', ErrorUrl: elsewhere.toString(),
    });
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it.each(['12100', '13212'])('answers voicemail, not the same stage again, when Twilio got our answer but could not run it (ErrorCode %s): it would fail the same way', async (errorCode) => {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const twiml = await t.post(VoicePath.Fallback, {
      ...dialActionParams('CA00000000000000000000000000000001', 'no-answer'), ErrorCode: errorCode, ErrorUrl: action,
    });
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it('apologises to a caller of a number nobody owns', async () => {
    const twiml = await t.post(VoicePath.Fallback, { ...incomingParams('CA00000000000000000000000000000007', '+15550009999'), ErrorCode: '11200', ErrorUrl: `${t.app.baseUrl}/voice/incoming` });
    expect(twiml).toEqual(el('Response', {}, el('Say', {}, 'Sorry, we cannot take your call right now. Please try again later. Goodbye.'), el('Hangup')));
    expect(await t.store.getHunt('CA00000000000000000000000000000007')).toBeNull();
  });
});
