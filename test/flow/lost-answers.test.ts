import type { EmulatedCall } from '../../src/simulator/views';
import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { HOME, johnsCallbacks, OFFICE, requestsTo, ringRule, sinceStart, startRig, type RingRig } from '../extend-ring/rig';

const GREETING = 'John cannot take your call. Please leave a message.';
const THANKS_FOR_THE_MESSAGE = 'Thank you for your message. Goodbye.';
const CALLBACK_THANKS = 'Thank you. We will call you back as soon as we can. Goodbye.';

/** Follow Me: the office rings 20 s, then home 20 s, then voicemail. */
const followMe = ringRule({
  mode: 'followMe',
  steps: [
    { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 20 },
    { destinations: [{ type: 'number', to: HOME, label: 'Home' }], ringSeconds: 20 },
  ],
});

/** What the caller heard (each Say Twilio played on their call), in order. */
function heard(rig: RingRig, call: EmulatedCall): string[] {
  return rig.em.timeline
    .filter((e) => e.callSid === call.sid && e.event === 'say')
    .map((e) => (e.detail ?? '').replace(/^“|”$/g, ''));
}

/** How many times a Record started on the caller's call (the beep). */
function beeps(rig: RingRig, call: EmulatedCall): number {
  return rig.em.timeline.filter((e) => e.callSid === call.sid && e.event === 'recording-started').length;
}

/**
 * Twilio does not retry a webhook: when it cannot use our answer to a request of the caller's call (a 502 from a load
 * balancer during a deploy), it requests the number's fallback URL with that request's parameters, ErrorCode and ErrorUrl.
 * The caller must go on where the call was, as if the answer had arrived — not hear the voicemail greeting again.
 */
describe.each(storeFactories())('A lost answer to the caller\'s call ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('Follow Me: the office talks with the caller for 30 s and hangs up, the answer to the Dial action is lost: the caller hears no voicemail greeting, the call ends and is logged connected', async () => {
    rig = await startRig({ factory, lossy: true, rule: followMe });
    rig.em.callee(OFFICE, { kind: 'answer', after: 3, talkSeconds: 30, label: 'Office' });
    rig.proxy?.loseOnce('after', (path) => path.startsWith(VoicePath.FollowMeDialAction));
    const call = await rig.placeCall({ message: { seconds: 10 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    expect(heard(rig, call)).toEqual([]);
    expect(beeps(rig, call)).toBe(0);
    expect(sinceStart(call, call.endedAt ?? Infinity)).toBeLessThan(40);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('connected');
    expect(log?.events.map((e) => e.type)).not.toContain('voicemail');
  });

  it('Follow Me: the office does not answer and the answer to its Dial action is lost: home rings next, then the caller leaves a message', async () => {
    rig = await startRig({ factory, lossy: true, rule: followMe });
    rig.proxy?.loseOnce('after', (path, body) => path.startsWith(VoicePath.FollowMeDialAction) && body.includes('DialCallStatus=no-answer'));
    const call = await rig.placeCall({ message: { seconds: 10 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    expect(rig.em.legs().map((leg) => [leg.target, leg.status])).toEqual([[OFFICE, 'no-answer'], [HOME, 'no-answer']]);
    expect(heard(rig, call)).toEqual([GREETING, THANKS_FOR_THE_MESSAGE]);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([10]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual([0, 1]);
    expect(log?.outcome).toBe('voicemail');
  });

  it('Follow Me: the caller leaves a 10 s message and the answer to the Record action is lost: they hear goodbye, not the greeting again, and John gets one voicemail', async () => {
    rig = await startRig({ factory, lossy: true, rule: followMe });
    rig.proxy?.loseOnce('after', (path) => path.startsWith(VoicePath.VoicemailRecorded));
    const call = await rig.placeCall({ message: { seconds: 10 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    expect(heard(rig, call)).toEqual([GREETING, THANKS_FOR_THE_MESSAGE]);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([10]);
    expect(await rig.store.listVoicemails({ userId: 'usr_john' })).toHaveLength(1);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
  });

  it('Extend Ring: the office presses 1, talks for 30 s and hangs up, the answer to the queue exit is lost: the caller hears no voicemail greeting, the call ends and is logged connected', async () => {
    rig = await startRig({ factory, lossy: true });
    rig.em.callee(OFFICE, { kind: 'answer', after: 3, press: '1', talkSeconds: 30, label: 'Office' });
    rig.proxy?.loseOnce('after', (path, body) => path.startsWith(VoicePath.ExtendRingQueueExit) && body.includes('QueueResult=bridged'));
    const call = await rig.placeCall({ message: { seconds: 10 } });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    expect(heard(rig, call)).not.toContain(GREETING);
    expect(beeps(rig, call)).toBe(0);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('connected');
    expect(log?.events.map((e) => e.type)).not.toContain('voicemail');
  });

  it('Extend Ring: the caller leaves a callback number and the answer to the queue exit is lost: they hear the callback thanks, not the voicemail greeting', async () => {
    rig = await startRig({ factory, lossy: true });
    rig.proxy?.loseOnce('after', (path, body) => path.startsWith(VoicePath.ExtendRingQueueExit) && body.includes('QueueResult=leave'));
    const call = await rig.placeCall({
      holdDigits: [{ at: 3, digits: '2' }, { at: 6, digits: '5551234567#' }, { at: 9, digits: '1' }],
      message: { seconds: 10 },
    });
    await rig.run(600);

    expect(requestsTo(call.requests, VoicePath.Fallback)).toHaveLength(1);
    const said = heard(rig, call);
    expect(said[said.length - 1]).toBe(CALLBACK_THANKS);
    expect(said).not.toContain(GREETING);
    expect(beeps(rig, call)).toBe(0);
    expect((await johnsCallbacks(rig.app)).map((c) => c.number)).toEqual(['5551234567']);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('callback');
  });
});

describe.each(storeFactories())('Voicemail when the caller says nothing ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  // Twilio's <Record>: an empty recording makes no request to the action URL; the call goes on with the next verb
  it('a caller who stays silent after the tone hears "Goodbye.", not thanks for a message they did not leave', async () => {
    rig = await startRig({ factory, rule: followMe });
    const call = await rig.placeCall({ message: 'none' });
    await rig.run(600);

    expect(rig.em.recordings()).toEqual([]);
    expect(requestsTo(call.requests, VoicePath.VoicemailRecorded)).toEqual([]);
    expect(heard(rig, call)).toEqual([GREETING, 'Goodbye.']);
    expect(await rig.store.listVoicemails({ userId: 'usr_john' })).toEqual([]);
  });
});
