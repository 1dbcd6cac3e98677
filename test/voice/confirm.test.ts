import { createLogger } from '../../src/log';
import { attr, el, find, type TwimlNode } from '../support/twilio';
import {
  dialActionParams, dialOf, HOME, incomingParams, johnsRule, OFFICE, pathOf, seedJohn, startVoiceApp, VoicePath,
  type VoiceTestApp,
} from './helpers';

/** Twilio's request to a whisper `url` (or its Gather action): from the answered leg, a child of the inbound call. */
function legParams(legSid: string, extra: Record<string, string> = {}): Record<string, string> {
  return { CallSid: legSid, ParentCallSid: 'CA00000000000000000000000000000001', From: '+15557654321', To: OFFICE, CallStatus: 'in-progress', Direction: 'outbound-dial', ...extra };
}

describe('Follow Me with confirm: an answered phone must press 1', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
    await seedJohn(t.store, johnsRule({ confirm: true }));
  });
  afterEach(() => t.close());

  const whisperUrlOf = (twiml: TwimlNode): string => attr(find(twiml, 'Number'), 'url');

  it('every phone of a step carries the whisper', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const url = whisperUrlOf(twiml);
    expect(find(twiml, 'Dial').children).toEqual([el('Number', { url }, OFFICE)]);
    expect(pathOf(url)).toBe(VoicePath.FollowMeWhisper);
  });

  it('the cell and the app both carry the whisper in the last step', async () => {
    let action = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).action;
    action = dialOf(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).action;
    const last = find(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), 'Dial');
    expect(last.children.map((c) => [c.name, pathOf(attr(c, 'url'))])).toEqual([
      ['Number', VoicePath.FollowMeWhisper], ['Client', VoicePath.FollowMeWhisper],
    ]);
  });

  it('the person who answers hears who is calling and is asked to press 1; without a key the leg hangs up', async () => {
    const url = whisperUrlOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const whisper = await t.post(url, legParams('CAee000000000000000000000000000001'));
    const gather = find(whisper, 'Gather');
    expect(whisper).toEqual(el('Response', {},
      el('Gather', { numDigits: '1', timeout: attr(gather, 'timeout'), action: attr(gather, 'action'), actionOnEmptyResult: 'true' },
        el('Say', {}, 'Call for John from 5 5 5, 7 6 5, 4 3 2 1. Press 1 to accept.')),
      el('Hangup')));
    expect(pathOf(attr(gather, 'action'))).toBe(VoicePath.FollowMeWhisperDigits);
  });

  it('pressing 1 connects the caller (the whisper simply ends)', async () => {
    const url = whisperUrlOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const action = attr(find(await t.post(url, legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
    expect(await t.post(action, legParams('CAee000000000000000000000000000001', { Digits: '1' }))).toEqual(el('Response'));
  });

  it('no key within the time (Twilio asks the action without Digits): that phone is hung up', async () => {
    const url = whisperUrlOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const action = attr(find(await t.post(url, legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
    expect(await t.post(action, legParams('CAee000000000000000000000000000001', { Digits: '' }))).toEqual(el('Response', {}, el('Hangup')));
  });

  it('pressing another key drops that phone only', async () => {
    const url = whisperUrlOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const action = attr(find(await t.post(url, legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
    expect(await t.post(action, legParams('CAee000000000000000000000000000001', { Digits: '2' }))).toEqual(el('Response', {}, el('Hangup')));
  });

  it('a leg rejected in its whisper does not count as connected: the next phone rings', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const gatherAction = attr(find(await t.post(whisperUrlOf(twiml), legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
    await t.post(gatherAction, legParams('CAee000000000000000000000000000001', { Digits: '2' }));
    const next = await t.post(dialOf(twiml).action, dialActionParams('CA00000000000000000000000000000001', 'completed', { DialBridged: 'false' }));
    expect(find(next, 'Number').text).toBe(HOME);
  });

  it('a leg accepted with 1 is connected even when Twilio does not say whether it was bridged', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const gatherAction = attr(find(await t.post(whisperUrlOf(twiml), legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
    await t.post(gatherAction, legParams('CAee000000000000000000000000000001', { Digits: '1' }));
    const after = await t.post(dialOf(twiml).action, dialActionParams('CA00000000000000000000000000000001', 'completed'));
    expect(after).toEqual(el('Response', {}, el('Hangup')));
  });

  it('a completed leg that nobody accepted is not connected when Twilio does not say whether it was bridged', async () => {
    const twiml = await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    await t.post(whisperUrlOf(twiml), legParams('CAee000000000000000000000000000001'));
    const next = await t.post(dialOf(twiml).action, dialActionParams('CA00000000000000000000000000000001', 'completed'));
    expect(find(next, 'Number').text).toBe(HOME);
  });
});

describe('Follow Me with confirm: the log of a key press', () => {
  it('names the leg\'s SID once (a key twice in one JSON line is dropped or rejected by log pipelines)', async () => {
    const raw: string[] = [];
    const t = await startVoiceApp({ logger: createLogger('info', { write: (text: string) => void raw.push(text) }) });
    try {
      await seedJohn(t.store, johnsRule({ confirm: true }));
      const url = attr(find(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), 'Number'), 'url');
      const action = attr(find(await t.post(url, legParams('CAee000000000000000000000000000001')), 'Gather'), 'action');
      await t.post(action, legParams('CAee000000000000000000000000000001', { Digits: '1' }));
      const line = raw.find((text) => text.includes('follow me: whisper answered'));
      expect(line).toBeDefined();
      expect(line!.match(/"legSid":/g)).toHaveLength(1);
      expect(JSON.parse(line!)).toMatchObject({ legSid: 'CAee000000000000000000000000000001', accepted: true });
    } finally {
      await t.close();
    }
  });
});
