import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { storeFactories } from '../support/stores';
import { attr, el, find, type TwimlNode } from '../support/twilio';
import { CELL, HOME, OFFICE, ringRule } from './rig';
import { CALLER_SID, callerParams, callSid, incoming, legParams, placedLegs, startStageRig, type PlacedLeg, type StageRig } from './stage-rig';

const WHISPER = 'Call for John from 5 5 5, 7 6 5, 4 3 2 1. Press 1 to talk, press 2 to send the caller to voicemail.';
const TAKEN = el('Response', {}, el('Say', {}, 'This call was already answered.'), el('Hangup'));

/** Exact TwiML of the stages an answered leg goes through, and what its status callbacks do. */
describe.each(storeFactories())('Extend Ring leg stages ($name store)', (factory) => {
  let rig: StageRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  const whisper = (leg: PlacedLeg, extra = {}): Promise<TwimlNode> => rig.post(leg.whisperUrl, legParams(leg.sid, leg.to, extra));
  /** The leg answers and hears the whisper: the URL its key press goes to. */
  const answer = async (leg: PlacedLeg): Promise<string> => attr(find(await whisper(leg), 'Gather'), 'action');
  const press = (leg: PlacedLeg, action: string, digits: string): Promise<TwimlNode> =>
    rig.post(action, legParams(leg.sid, leg.to, { Digits: digits }));
  const status = (leg: PlacedLeg, callStatus: string): Promise<TwimlNode> =>
    rig.post(leg.statusUrl, legParams(leg.sid, leg.to, { CallStatus: callStatus, SequenceNumber: '3' }));
  /** The office does not answer: the cell and home legs of step 1. */
  const secondStep = async (): Promise<PlacedLeg[]> => {
    await incoming(rig);
    const [office] = placedLegs(rig);
    await status(office as PlacedLeg, 'no-answer');
    await rig.settle();
    return placedLegs(rig).slice(1);
  };

  it('an answered leg hears who is calling for whom and the choice, then hangs up unless a key is pressed', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect(await whisper(office)).toEqual(el('Response', {},
      el('Gather', { numDigits: '1', timeout: '6', action: `${rig.app.baseUrl}${VoicePath.ExtendRingWhisperDigits}?call=${CALLER_SID}&leg=0.0.0` },
        el('Say', {}, WHISPER)),
      el('Hangup')));
  });

  /** Twilio asking a leg's fallback URL (the one the app placed it with) because our answer to `failedUrl` was unusable. */
  const fallback = (leg: PlacedLeg, failedUrl: string, errorCode = '11200'): Promise<TwimlNode> =>
    rig.post(`${VoicePath.Fallback}?call=${CALLER_SID}&leg=0.0.0`, legParams(leg.sid, leg.to, { ErrorUrl: failedUrl, ErrorCode: errorCode }));

  it('the answer to an answered leg\'s whisper is lost (a 502): the fallback URL plays the whisper, so the office can still take the call', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect(await fallback(office, office.whisperUrl)).toEqual(await whisper(office));
  });

  it('a whisper Twilio fetched but could not run (ErrorCode 12100) is not played again: the phone is hung up and the hunt goes on', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect(await fallback(office, office.whisperUrl, '12100')).toEqual(el('Response', {}, el('Hangup')));
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
  });

  it('a leg\'s fallback that fails in turn (the store too) hangs that phone up: the hunt goes on, the caller is not sent to voicemail', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    failOnce(rig.store, 'getHunt');
    expect(await fallback(office, office.whisperUrl)).toEqual(el('Response', {}, el('Hangup')));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${CALLER_SID}.json`))).toEqual([]);
  });

  it('pressing 1 connects the leg to the caller\'s queue; a second leg pressing 1 hears the call was taken', async () => {
    rig = await startStageRig(factory);
    const [cell, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    const [cellPress, homePress] = [await answer(cell), await answer(home)];
    expect(await press(cell, cellPress, '1')).toEqual(el('Response', {}, el('Dial', {}, el('Queue', {}, `hunt-${CALLER_SID}`))));
    expect(await press(home, homePress, '1')).toEqual(TAKEN);
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('connected');
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${home.sid}.json`)).map((r) => r.params.Status)).toEqual(['completed']);
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${cell.sid}.json`))).toEqual([]);
  });

  it('of ten legs pressing 1 at the same moment, exactly one is connected', async () => {
    const team = Array.from({ length: 10 }, (_, i) => ({ type: 'number' as const, to: `+1555123${String(i).padStart(4, '0')}` }));
    rig = await startStageRig(factory, { rule: ringRule({ steps: [{ destinations: team, ringSeconds: 20 }] }) });
    await incoming(rig);
    const legs = placedLegs(rig);
    expect(legs).toHaveLength(10);
    const actions = await Promise.all(legs.map(answer));
    const answers = await Promise.all(legs.map((leg, i) => press(leg, actions[i] ?? '', '1')));
    expect(answers.filter((a) => a.children[0]?.name === 'Dial')).toHaveLength(1);
    expect(answers.filter((a) => JSON.stringify(a) === JSON.stringify(TAKEN))).toHaveLength(9);
  });

  it('pressing 2 sends the caller to voicemail: this leg is told, the caller is redirected, the other leg (answered too) is hung up', async () => {
    rig = await startStageRig(factory);
    const [cell, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    const cellPress = await answer(cell);
    expect(await press(home, await answer(home), '2')).toEqual(el('Response', {}, el('Say', {}, 'The caller was sent to voicemail.'), el('Hangup')));
    await rig.settle();
    const redirect = rig.rest((r) => r.path.endsWith(`/Calls/${CALLER_SID}.json`));
    expect(redirect.map((r) => r.params.Url)).toEqual([`${rig.app.baseUrl}${VoicePath.Voicemail}?call=${CALLER_SID}`]);
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${cell.sid}.json`)).map((r) => r.params.Status)).toEqual(['completed']);
    // the caller is in voicemail, not with someone else
    expect(await press(cell, cellPress, '1')).toEqual(el('Response', {}, el('Say', {}, 'The caller is leaving a voicemail.'), el('Hangup')));
    // the redirect worked: nothing is left in the deadline set to try it again
    expect(await rig.store.claimDueDeadlines(Number.MAX_SAFE_INTEGER, 100)).toEqual([]);
  });

  it('a repeated whisper request logs the leg as answered once', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect(await whisper(office)).toEqual(await whisper(office));
    expect((await rig.store.getCall(CALLER_SID))?.events.filter((e) => e.type === 'leg-answered')).toHaveLength(1);
  });

  it('a leg that presses 1 after the caller chose voicemail on hold is told so, not that the call was answered', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    const action = await answer(office);
    await rig.post(`${rig.app.baseUrl}${VoicePath.ExtendRingHoldDigits}`, callerParams({ Digits: '1' }));
    expect(await press(office, action, '1')).toEqual(el('Response', {}, el('Say', {}, 'The caller is leaving a voicemail.'), el('Hangup')));
  });

  it('a leg answered after the caller left a number for a call back hears that, not that the call was answered', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    await rig.post(`${rig.app.baseUrl}${VoicePath.ExtendRingCallbackConfirm}?number=5551234567`, callerParams({ Digits: '1' }));
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('callback');
    expect(await whisper(office)).toEqual(el('Response', {}, el('Say', {}, 'The caller left a number for a call back.'), el('Hangup')));
  });

  it('a repeated key press webhook of the winning leg gets the same answer and redirects the caller only once', async () => {
    rig = await startStageRig(factory);
    const [, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    const action = await answer(home);
    const first = await press(home, action, '2');
    expect(await press(home, action, '2')).toEqual(first);
    await rig.settle();
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${CALLER_SID}.json`))).toHaveLength(1);
  });

  it('any other key hangs up that leg only, and the hunt goes on', async () => {
    rig = await startStageRig(factory);
    const [cell] = await secondStep() as [PlacedLeg];
    expect(await press(cell, await answer(cell), '7')).toEqual(el('Response', {}, el('Hangup')));
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
  });

  it('an answering machine is hung up at once and counts as not answered', async () => {
    rig = await startStageRig(factory, { rule: ringRule({ detectVoicemail: true }) });
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect((await rig.rest((r) => r.path.endsWith('/Calls.json'))[0])?.params.MachineDetection).toBe('Enable');
    expect(await whisper(office, { AnsweredBy: 'machine_start' })).toEqual(el('Response', {}, el('Hangup')));
    await rig.settle();
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE, CELL, HOME]);
    const events = (await rig.store.getCall(CALLER_SID))?.events.map((e) => e.type);
    expect(events).toContain('leg-machine');
  });

  it('when every leg of a step has ended, the next step rings once, however often the callbacks repeat', async () => {
    rig = await startStageRig(factory);
    const [cell, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE, CELL, HOME]);
    await status(cell, 'ringing');
    await status(cell, 'busy');
    await status(cell, 'busy');
    await rig.settle();
    expect(placedLegs(rig)).toHaveLength(3);
    expect(await status(home, 'no-answer')).toEqual(el('Response'));
    await status(home, 'no-answer');
    await status(cell, 'no-answer');
    await rig.settle();
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([OFFICE, CELL, HOME, OFFICE]);
    expect(placedLegs(rig)[3]?.whisperUrl).toContain('leg=1.0.0');
  });

  it('a leg answering after another accepted hears the call was already answered', async () => {
    rig = await startStageRig(factory);
    const [cell, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    await press(cell, await answer(cell), '1');
    expect(await whisper(home)).toEqual(TAKEN);
  });

  it('a key press for a leg the app never placed, or from a call that is not that leg, claims nothing (a replayed or spliced request)', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    const action = await answer(office);
    const never = action.replace('leg=0.0.0', 'leg=0.0.1');
    const malformed = action.replace('leg=0.0.0', 'leg=0.0.');
    expect(await rig.post(never, legParams('CA00000000000000000000000000000777', OFFICE, { Digits: '1' }))).toEqual(el('Response', {}, el('Hangup')));
    expect(await rig.post(malformed, legParams(office.sid, OFFICE, { Digits: '1' }))).toEqual(el('Response', {}, el('Hangup')));
    expect(await rig.post(action, legParams('CA00000000000000000000000000000777', OFFICE, { Digits: '2' }))).toEqual(el('Response', {}, el('Hangup')));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
    expect(rig.rest((r) => r.path.endsWith(`/Calls/${office.sid}.json`))).toEqual([]);
    // the office itself still can
    expect(await press(office, action, '1')).toEqual(el('Response', {}, el('Dial', {}, el('Queue', {}, `hunt-${CALLER_SID}`))));
  });

  it('the office presses 2 and hangs up at once, and Twilio\'s completed callback is handled first: the caller still goes to voicemail', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    const action = await answer(office);
    await status(office, 'completed');
    expect(await press(office, action, '2')).toEqual(el('Response', {}, el('Say', {}, 'The caller was sent to voicemail.'), el('Hangup')));
    await rig.settle();
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
  });

  it('the store failed to keep the office\'s SID as it was placed; the office answers, presses 2 and hangs up, its status first: still voicemail', async () => {
    rig = await startStageRig(factory);
    const sidWrite = failFirstSidWrite(rig.store);
    await incoming(rig);
    await rig.settle();
    const [office] = placedLegs(rig) as [PlacedLeg];
    // no ringing callback reached the app: the whisper is the first request that names the office's call
    const action = await answer(office);
    await status(office, 'completed');
    await rig.settle();
    await press(office, action, '2');
    await rig.settle();
    expect(sidWrite.failed).toBe(true);
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('voicemail');
  });

  it('the store lost the office\'s SID as it was placed and its whisper request is lost: its in-progress callback still lets the hunt hang it up', async () => {
    rig = await startStageRig(factory);
    const sidWrite = failFirstSidWrite(rig.store);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    await status(office, 'in-progress');
    // the caller gives up: every live leg is ended through REST, the answered office with 'completed'
    await rig.post(VoicePath.Status, callerParams({ CallStatus: 'completed', CallDuration: '20' }));
    await rig.settle();
    expect(sidWrite.failed).toBe(true);
    expect(rig.rest((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${office.sid}.json`)).map((r) => r.params.Status))
      .toEqual(['completed']);
  });

  it('a whisper request naming a leg id the app never makes is hung up and logs no answered leg', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    const forged = office.whisperUrl.replace('leg=0.0.0', 'leg=0.0.0x');
    expect(await rig.post(forged, legParams(office.sid, office.to))).toEqual(el('Response', {}, el('Hangup')));
    expect((await rig.store.getCall(CALLER_SID))?.events.filter((e) => e.type === 'leg-answered')).toEqual([]);
  });

  it('a leg Twilio refused to place (400: no call exists) cannot take the caller with a key press from a CallSid the hunt never had', async () => {
    rig = await startStageRig(factory);
    // Twilio refuses the office call outright (an invalid number): no call was made, the hunt moves on to cell and home
    rig.em.injectRestFault({ method: 'POST', pathMatch: '/Calls.json', status: 400, code: 21211, message: "The 'To' number is not a valid phone number.", times: 1 });
    await incoming(rig);
    await rig.settle();
    expect((await rig.store.listLegs(CALLER_SID)).find((l) => l.id === '0.0.0')).toMatchObject({ status: 'done', result: 'refused' });
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');

    // a key press for the office leg from a call that is none of the hunt's
    const officePress = `${rig.app.baseUrl}${VoicePath.ExtendRingWhisperDigits}?call=${CALLER_SID}&leg=0.0.0`;
    expect(await rig.post(officePress, legParams(callSid(999), OFFICE, { Digits: '1' }))).toEqual(el('Response', {}, el('Hangup')));
    expect((await rig.store.getHunt(CALLER_SID))?.state).toBe('hunting');
    const log = await rig.store.getCall(CALLER_SID);
    expect(log?.events.find((e) => e.type === 'leg-failed' && e.step === 0)?.detail).toMatch(/^refused by Twilio \(HTTP 400, error 21211\)/);
  });

  it('a leg request without our call and leg parameters is hung up, not answered with an error', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const [office] = placedLegs(rig) as [PlacedLeg];
    expect(await rig.post(VoicePath.ExtendRingWhisper, legParams(office.sid, office.to))).toEqual(el('Response', {}, el('Hangup')));
    expect(await rig.post(VoicePath.ExtendRingLegStatus, legParams(office.sid, office.to, { CallStatus: 'completed' })))
      .toEqual(el('Response'));
  });

  it('without detectVoicemail no leg asks Twilio for answering-machine detection (it delays the whisper and is billed)', async () => {
    rig = await startStageRig(factory);
    await incoming(rig);
    const creates = rig.rest((r) => r.path.endsWith('/Calls.json'));
    expect(creates).toHaveLength(1);
    expect(creates[0]?.params.MachineDetection).toBeUndefined();
  });

  it('a leg that reports ringing after the hunt ended is cancelled again (the first cancel may have failed)', async () => {
    rig = await startStageRig(factory);
    const [cell, home] = await secondStep() as [PlacedLeg, PlacedLeg];
    rig.em.injectRestFault({ method: 'POST', pathMatch: new RegExp(`/Calls/${home.sid}\\.json$`), status: 500, times: 1 });
    await press(cell, await answer(cell), '1');
    await rig.settle();
    const homeUpdates = (): string[] => rig.rest((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${home.sid}.json`)).map((r) => `${r.status} ${String(r.params.Status)}`);
    expect(homeUpdates()).toEqual(['500 canceled']);
    await status(home, 'ringing');
    await rig.settle();
    expect(homeUpdates()).toEqual(['500 canceled', '200 canceled']);
  });
});

/** The store fails the first write of a leg's SID as Twilio accepts the call (as a Redis command does when it times out). */
function failFirstSidWrite(store: Store): { failed: boolean } {
  const updateLeg = store.updateLeg.bind(store);
  const result = { failed: false };
  store.updateLeg = async (callSid, legId, patch) => {
    if (patch.sid && patch.status === 'queued' && !result.failed) {
      result.failed = true;
      throw new Error('Command timed out');
    }
    return updateLeg(callSid, legId, patch);
  };
  return result;
}
