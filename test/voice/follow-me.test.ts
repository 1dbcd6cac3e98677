import { storeFactories } from '../support/stores';
import { attr, el, find, type TwimlNode } from '../support/twilio';
import {
  CALLER, CELL, dialActionParams, dialOf, HOME, incomingParams, JOHNS_NUMBER, johnsRule, OFFICE, pathOf, seedJohn,
  startVoiceApp, VoicePath, type VoiceTestApp,
} from './helpers';

/** John's office → home → cell, as Twilio would drive it: each stage's action URL is posted as the next stage. */
describe.each(storeFactories())('Follow Me with John\'s rule ($name store)', (factory) => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp({ factory });
    await seedJohn(t.store, johnsRule());
  });
  afterEach(() => t.close());
  afterAll(() => factory.cleanup());

  const expectDial = (twiml: TwimlNode, timeout: string, ...nouns: TwimlNode[]): string => {
    const { action } = dialOf(twiml);
    expect(twiml).toEqual(el('Response', {}, el('Dial', { action, timeout, answerOnBridge: 'true', callerId: CALLER }, ...nouns)));
    expect(action.startsWith(`${t.app.baseUrl}${VoicePath.FollowMeDialAction}`)).toBe(true);
    return action;
  };

  it('a call to John first rings his office for 40 s, showing the caller\'s number, with ringing kept for the caller', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expectDial(twiml, '40', el('Number', {}, OFFICE));
  });

  it('when the office does not answer, the home phone rings for 30 s; when home is busy, the cell and his app ring together', async () => {
    const office = expectDial(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), '40', el('Number', {}, OFFICE));
    const home = expectDial(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), '30', el('Number', {}, HOME));
    expectDial(await t.post(home, dialActionParams('CA00000000000000000000000000000001', 'busy')), '30', el('Number', {}, CELL), el('Client', {}, 'john'));
  });

  it.each(['failed', 'canceled'])('a step that ends %s moves on to the next phone', async (status) => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    expectDial(await t.post(office, dialActionParams('CA00000000000000000000000000000001', status)), '30', el('Number', {}, HOME));
  });

  it('when the office answers and the call is bridged, the call ends when they hang up and is logged as connected', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    const after = await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialBridged: 'true', DialCallDuration: '95' }));
    expect(after).toEqual(el('Response', {}, el('Hangup')));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBe('connected');
  });

  it('without DialBridged (older accounts do not send it), a completed Dial without confirm was a conversation: the call ends, connected', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    expect(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialCallDuration: '95' }))).toEqual(el('Response', {}, el('Hangup')));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.outcome).toBe('connected');
  });

  it('an answered call that was not bridged does not stop the hunt', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    expectDial(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialBridged: 'false' })), '30', el('Number', {}, HOME));
  });

  it('when nobody answers anywhere, the caller hears John\'s greeting and can leave a message', async () => {
    let action = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    action = dialOf(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action;
    action = dialOf(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action;
    const voicemail = await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'));
    const record = find(voicemail, 'Record');
    expect(voicemail).toEqual(el('Response', {},
      el('Say', {}, "John can't take your call. Leave a message after the tone."),
      el('Record', {
        maxLength: '120', playBeep: 'true', action: attr(record, 'action'),
        recordingStatusCallback: attr(record, 'recordingStatusCallback'), recordingStatusCallbackEvent: 'completed absent',
      }),
      el('Say', {}, 'Goodbye.'),
      el('Hangup')));
    expect(pathOf(attr(record, 'action'))).toBe(VoicePath.VoicemailRecorded);
    expect(pathOf(attr(record, 'recordingStatusCallback'))).toBe(VoicePath.RecordingStatus);
  });

  it('the call log shows the steps tried, in order', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    const home = dialOf(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action;
    await t.post(home, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialBridged: 'true' }));
    const call = await t.store.getCall('CA00000000000000000000000000000001');
    expect(call).toMatchObject({ callSid: 'CA00000000000000000000000000000001', userId: 'usr_john', from: CALLER, to: JOHNS_NUMBER, ruleId: 'rul_john', mode: 'followMe' });
    expect(call?.events.map((e) => [e.type, e.step])).toEqual([
      ['incoming', undefined], ['rule', undefined], ['step', 0], ['leg-no-answer', 0], ['step', 1], ['connected', 1],
    ]);
  });

  it('editing or deleting the rule during the call changes nothing for that call', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    await t.store.saveRule(johnsRule({ steps: [{ destinations: [{ type: 'number', to: '+15559999999' }], ringSeconds: 5 }] }));
    expectDial(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), '30', el('Number', {}, HOME));
    await t.store.deleteRule('rul_john');
    const second = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000002'));
    expect(find(second, 'Record')).toBeDefined();
  });

  it('the call log of a new call shows who called, the rule and the office ringing, each once even when the webhook repeats', async () => {
    const at = t.clock.now();
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toEqual({
      callSid: 'CA00000000000000000000000000000001', userId: 'usr_john', from: CALLER, to: JOHNS_NUMBER,
      ruleId: 'rul_john', ruleName: 'Weekday hunting', mode: 'followMe', startedAt: new Date(at).toISOString(),
      events: [
        { at, type: 'incoming', detail: CALLER },
        { at, type: 'rule', detail: 'Weekday hunting' },
        { at, type: 'step', step: 0, detail: 'Office' },
      ],
    });
  });

  it('a rule that rings John\'s own business number (saved in a race with the number) is passed over: the call does not ring itself', async () => {
    await t.store.saveRule(johnsRule({ id: 'rul_loop', priority: -1, steps: [{ destinations: [{ type: 'number', to: JOHNS_NUMBER }], ringSeconds: 30 }] }));
    expectDial(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), '40', el('Number', {}, OFFICE));
  });

  it('a repeated incoming webhook gets the same answer and starts nothing new', async () => {
    const first = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const again = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(again).toEqual(first);
    const events = (await t.store.getCall('CA00000000000000000000000000000001'))?.events.map((e) => e.type);
    expect(events).toEqual(['incoming', 'rule', 'step']);
  });

  it('a repeated dial action for the office step answers the home step again (harmless)', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    const home = dialOf(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action;
    expectDial(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), '30', el('Number', {}, HOME));
    expect(dialOf(await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action).toBe(home);
  });

  it('when the caller hangs up while a phone rings, nothing else is dialled', async () => {
    const office = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    const after = await t.post(office, dialActionParams('CA00000000000000000000000000000001', 'no-answer', { CallStatus: 'completed' }));
    expect(after).toEqual(el('Response', {}, el('Hangup')));
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.events.some((e) => e.type === 'step' && e.step === 1)).toBe(false);
  });
});
