import type { Schedule } from '../../src/domain/types';
import { el, find } from '../support/twilio';
import {
  CALLER, dialOf, incomingParams, JOHNS_NUMBER, johnsRule, OFFICE, seedJohn, startVoiceApp, TUESDAY_10_NY, VoicePath,
  type VoiceTestApp,
} from './helpers';

const SATURDAY_10_NY = Date.parse('2025-01-18T15:00:00.000Z');
const weekdays: Schedule = {
  timezone: 'America/New_York',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
};

describe('a call arriving at a business number', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
  });
  afterEach(() => t.close());

  it('a number nobody owns: the caller hears a short apology and the call ends; nothing is logged', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001', '+15550009999'));
    expect(twiml).toEqual(el('Response', {}, el('Say', {}, 'Sorry, the number you have called cannot take calls. Goodbye.'), el('Hangup')));
    expect(await t.store.getHunt('CA00000000000000000000000000000001')).toBeNull();
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toBeNull();
  });

  it('an owner without any rule: the caller reaches the owner\'s voicemail, greeted with the owner\'s name', async () => {
    await seedJohn(t.store);
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(find(twiml, 'Say').text).toBe("John can't take your call right now. Please leave a message after the tone.");
    expect(find(twiml, 'Record').attributes).toMatchObject({ maxLength: '120', playBeep: 'true' });
    const call = await t.store.getCall('CA00000000000000000000000000000001');
    expect(call?.events.map((e) => e.type)).toEqual(['incoming', 'rule', 'voicemail']);
  });

  it('an owner without any rule: the call log shows the call, no rule and voicemail, each once even when the webhook repeats', async () => {
    await seedJohn(t.store);
    const at = t.clock.now();
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toEqual({
      callSid: 'CA00000000000000000000000000000001', userId: 'usr_john', from: CALLER, to: JOHNS_NUMBER, startedAt: new Date(at).toISOString(),
      events: [{ at, type: 'incoming', detail: CALLER }, { at, type: 'rule', detail: 'no matching rule' }, { at, type: 'voicemail' }],
    });
  });

  it('the rule in schedule handles the call; outside it the next rule does', async () => {
    const office = johnsRule({ id: 'rul_office', schedule: weekdays, priority: 0 });
    const weekend = johnsRule({
      id: 'rul_weekend', priority: 1,
      steps: [{ destinations: [{ type: 'number', to: '+15551239999' }], ringSeconds: 20 }],
    });
    await seedJohn(t.store, office, weekend);
    t.clock.set(TUESDAY_10_NY);
    expect(find(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), 'Number').text).toBe(OFFICE);
    t.clock.set(SATURDAY_10_NY);
    const saturday = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000002'));
    expect(find(saturday, 'Number').text).toBe('+15551239999');
    expect((await t.store.getCall('CA00000000000000000000000000000002'))?.ruleId).toBe('rul_weekend');
  });

  it('outside the only rule\'s schedule the caller reaches voicemail', async () => {
    await seedJohn(t.store, johnsRule({ schedule: weekdays }));
    t.clock.set(SATURDAY_10_NY);
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it('with callerId "called", the phones see the business number instead of the caller', async () => {
    await seedJohn(t.store, johnsRule({ callerId: 'called' }));
    const { dial } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    expect(dial.attributes.callerId).toBe(JOHNS_NUMBER);
  });

  it('a caller without a number of their own is shown as the business number', async () => {
    await seedJohn(t.store, johnsRule());
    const { dial } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001', JOHNS_NUMBER, 'anonymous')));
    expect(dial.attributes.callerId).toBe(JOHNS_NUMBER);
  });

  it('a caller whose number Twilio withholds as +266696687 is shown as the business number, like any anonymous caller', async () => {
    await seedJohn(t.store, johnsRule());
    const { dial } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001', JOHNS_NUMBER, '+266696687')));
    expect(dial.attributes.callerId).toBe(JOHNS_NUMBER);
  });

  it('a step with several destinations rings them all in one Dial: number, app and SIP phone', async () => {
    await seedJohn(t.store, johnsRule({
      steps: [{
        destinations: [
          { type: 'number', to: OFFICE }, { type: 'client', to: 'john' }, { type: 'sip', to: 'sip:john@pbx.example.com' },
        ],
        ringSeconds: 25,
      }],
    }));
    const { dial, action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    expect(dial).toEqual(el('Dial', { action, timeout: '25', answerOnBridge: 'true', callerId: CALLER },
      el('Number', {}, OFFICE), el('Client', {}, 'john'), el('Sip', {}, 'sip:john@pbx.example.com')));
  });

  it('an Extend Ring rule without Twilio REST access sends the caller to voicemail rather than failing', async () => {
    await seedJohn(t.store, johnsRule({ mode: 'extendRing' }));
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect((await t.store.getHunt('CA00000000000000000000000000000001'))?.plan?.mode).toBe('extendRing');
  });
});
