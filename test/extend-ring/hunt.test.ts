import type { LegView } from '../../src/simulator/types';
import type { EmulatedCall } from '../../src/simulator/views';
import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { el, parseTwiml } from '../support/twilio';
import {
  apiLegs, CELL, HOME, OFFICE, requestsTo, ringingRounds, ringRule, sinceStart, spoken, startRig, type RingRig,
} from './rig';

const DEADLINE_S = 180;

describe.each(storeFactories())('Extend Ring: the caller holds while John\'s phones ring ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('when nobody answers, the office and then cell and home ring in turn until 3:00, when the caller is sent to voicemail', async () => {
    // 45 s of music a round: 3:00 falls mid-round, so the sweeper (not the hold stage) must move the caller.
    rig = await startRig({ factory, emulator: { playSeconds: 45 } });
    const call = await rig.placeCall();
    await rig.run(600);

    const rounds = ringingRounds(rig.em);
    expect(rounds.slice(0, 5)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE], [CELL, HOME].sort(), [OFFICE]]);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    const sentAt = sinceStart(call, voicemail[0]?.at ?? Infinity);
    expect(sentAt).toBeGreaterThanOrEqual(DEADLINE_S);
    expect(sentAt).toBeLessThanOrEqual(DEADLINE_S + 1);
    expect(spoken(call.requests)).toContain('John cannot take your call. Please leave a message.');
    expect(rig.em.recordings()).toHaveLength(1);

    for (const leg of apiLegs(rig.em)) {
      expect(sinceStart(call, leg.startedAt)).toBeLessThanOrEqual(DEADLINE_S + 1);
      expect(leg.endedAt).toBeDefined();
      expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(DEADLINE_S + 1);
    }
    expect(rig.em.errors).toEqual([]);
    expect(rig.em.queues()).toEqual([]);
  });

  it('when the office is still ringing at 3:00 (it rings 170 s a time), the caller goes to voicemail and the office stops ringing then', async () => {
    // 45 s of music a round: 3:00 falls mid-round, so the sweeper (not the hold stage) ends the hunt
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 170 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 3, steps: [office] }), emulator: { playSeconds: 45 } });
    const call = await rig.placeCall();
    await rig.run(600);

    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeGreaterThanOrEqual(DEADLINE_S);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeLessThanOrEqual(DEADLINE_S + 1);
    // the first ring ran its 170 s; the second started then, and is the one 3:00 interrupts
    const [first, second, ...more] = apiLegs(rig.em);
    expect(more).toEqual([]);
    expect(first?.status).toBe('no-answer');
    expect(sinceStart(call, second?.startedAt ?? Infinity)).toBeLessThan(DEADLINE_S);
    // TWILIO.md: a ringing call ended through REST ends `canceled`
    expect(second?.status).toBe('canceled');
    expect(sinceStart(call, second?.endedAt ?? Infinity)).toBeGreaterThanOrEqual(DEADLINE_S);
    expect(sinceStart(call, second?.endedAt ?? Infinity)).toBeLessThanOrEqual(DEADLINE_S + 1);
    expect(rig.em.errors).toEqual([]);
  });

  it('a long hold on a short step: the call log keeps ten rounds, says later ones are not logged, and still ends in voicemail', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 5 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 3, steps: [office] }) });
    const call = await rig.placeCall();
    await rig.run(600);

    expect(apiLegs(rig.em).length).toBeGreaterThan(20);
    const events = (await rig.store.getCall(call.sid))?.events ?? [];
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.cycle)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(steps[10]?.detail).toBe('Office (round 11: later rounds are not logged)');
    expect(events.filter((e) => e.type === 'leg-no-answer')).toHaveLength(10);
    expect(events.filter((e) => e.type === 'leg-ringing')).toHaveLength(10);
    expect(events.slice(-4).map((e) => e.type)).toEqual(['deadline', 'voicemail', 'voicemail-recorded', 'ended']);
  });

  it('when the cell\'s carrier voicemail picks up and presses nothing, the hunt goes on and the caller never hears it', async () => {
    rig = await startRig({ factory });
    rig.em.callee(CELL, { kind: 'voicemail', after: 5, label: 'Cell' });
    rig.em.callee(OFFICE, [{ kind: 'no-answer' }, { kind: 'answer', after: 4, press: '1', talkSeconds: 30, label: 'Office' }]);
    const call = await rig.placeCall();
    await rig.run(600);

    const cell = onlyLeg(rig, CELL);
    expect(cell.answeredBy).toBe('machine');
    expect(cell.bridged).toBe(false);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: OFFICE });
    expect(ringingRounds(rig.em)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE]]);
    expect(requestsTo(call.requests, VoicePath.Voicemail)).toEqual([]);
    const log = await rig.store.getCall(call.sid);
    expect(log?.outcome).toBe('connected');
    // the call log does not say the cell's owner turned the call down
    expect(log?.events.find((e) => e.destination === `Cell (${CELL})` && e.type === 'leg-declined')?.detail)
      .toBe('answered, but no key was pressed (someone who hung up, or a voicemail box)');
  });

  it('when home presses 1, the caller talks to home, the cell stops ringing, and 3:00 passes without voicemail', async () => {
    rig = await startRig({ factory });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 300, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run(900);

    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
    const home = onlyLeg(rig, HOME);
    const acceptedAt = pressAt(rig, home);
    const cell = onlyLeg(rig, CELL);
    expect(cell.status).toBe('canceled');
    expect(sinceStart(call, cell.endedAt ?? Infinity)).toBeLessThanOrEqual(sinceStart(call, acceptedAt) + 1);
    expect(sinceStart(call, call.endedAt ?? 0)).toBeGreaterThan(DEADLINE_S + 60);
    expect(requestsTo(call.requests, VoicePath.Voicemail)).toEqual([]);
    expect(await rig.store.claimDueDeadlines(rig.clock.now() + 3600_000, 10)).toEqual([]);
    expect((await rig.store.getHunt(call.sid))?.state).toBe('connected');
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('connected');
    expect(rig.em.queues()).toEqual([]);
  });

  it('callbacks repeated after home accepted change nothing: no phone rings again', async () => {
    rig = await startRig({ factory });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 30, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run(600);
    const placed = apiLegs(rig.em).length;

    for (const ex of requestsTo(rig.em.webhooks, VoicePath.ExtendRingLegStatus)) await rig.post(ex.url, { ...ex.params });
    await rig.app.deps.background.idle();

    expect(apiLegs(rig.em)).toHaveLength(placed);
    expect((await rig.store.getHunt(call.sid))?.state).toBe('connected');
  });

  // TWILIO.md: a caller moved out of the queue by REST gets QueueResult=redirected, whose TwiML is "most likely ignored"
  it.each([
    ['at 3:00', undefined],
    ['when home presses 2', 'press 2'],
  ])('if Twilio ran the queue exit\'s answer instead of the redirect, a caller sent to voicemail %s still leaves a message', async (_when, press) => {
    rig = await startRig({ factory, emulator: { playSeconds: 45, uncertain: { redirectedQueueAction: 'followed' } } });
    if (press) rig.em.callee(HOME, { kind: 'answer', after: 5, press: '2', label: 'Home' });
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);

    expect(spoken(call.requests).filter((text) => text === 'John cannot take your call. Please leave a message.')).toHaveLength(1);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    expect((await rig.store.listVoicemails({ userId: 'usr_john' }))).toHaveLength(1);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
  });

  it('when home presses 2, the caller is in voicemail at once and every phone stops ringing', async () => {
    rig = await startRig({ factory });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '2', label: 'Home' });
    const call = await rig.placeCall();
    await rig.run(600);

    const home = onlyLeg(rig, HOME);
    const pressedAt = sinceStart(call, pressAt(rig, home));
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeLessThanOrEqual(pressedAt + 1);
    expect(spoken(legRequests(rig, home))).toContain('The caller was sent to voicemail.');
    expect(home.bridged).toBe(false);
    for (const leg of apiLegs(rig.em).filter((l) => l.sid !== home.sid)) {
      expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(pressedAt + 1);
    }
    expect(rig.em.recordings()).toHaveLength(1);
    expect((await rig.store.listVoicemails({ userId: 'usr_john' }))).toHaveLength(1);
  });

  it('when Twilio is slow to move the caller after a 2, a caller already in voicemail through the queue is not sent there again', async () => {
    rig = await startRig({ factory });
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '2', label: 'Office' });
    slowRedirects(rig, 60);
    const call = await rig.placeCall({ message: { seconds: 60 } });
    await rig.run(600);

    // the hold round ends first: the caller leaves the queue for voicemail; the late request must not move them again
    expect(spoken(call.requests).filter((text) => text === 'John cannot take your call. Please leave a message.')).toHaveLength(1);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([60]);
    expect((await rig.store.listVoicemails({ userId: 'usr_john' }))).toHaveLength(1);
    expect(rig.em.errors).toEqual([]);
  });

  it('when cell and home press 1 in the same instant, both presses reach the app: exactly one is connected, the other hears the call was taken', async () => {
    rig = await startRig({ factory });
    rig.em.callee(CELL, { kind: 'answer', after: 5, press: '1', pressAfter: 2, talkSeconds: 30, label: 'Cell' });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', pressAfter: 2, talkSeconds: 30, label: 'Home' });
    // the winner's REST request to end the other phone lands a second later, after that phone's own press reached the app
    // (the emulator sends the two presses one after the other; requests truly in flight together: stages-leg.test.ts)
    slowRest(rig, 1, 'endCall');
    const call = await rig.placeCall();
    await rig.run(600);

    const both = [onlyLeg(rig, CELL), onlyLeg(rig, HOME)];
    for (const leg of both) {
      expect(requestsTo(legRequests(rig, leg), VoicePath.ExtendRingWhisperDigits).map((ex) => ex.params.Digits)).toEqual(['1']);
    }
    expect(pressAt(rig, both[0] as LegView)).toBe(pressAt(rig, both[1] as LegView));
    expect(both.filter((leg) => leg.bridged)).toHaveLength(1);
    const winner = both.find((leg) => leg.bridged) as LegView;
    const loser = both.find((leg) => leg !== winner) as LegView;
    expect(call.outcome).toMatchObject({ kind: 'connected', to: winner.target });
    const [lost] = requestsTo(legRequests(rig, loser), VoicePath.ExtendRingWhisperDigits);
    expect(parseTwiml(lost?.body ?? '')).toEqual(el('Response', {}, el('Say', {}, 'This call was already answered.'), el('Hangup')));
    expect(loser.endedAt).toBeDefined();
    expect(rig.em.errors).toEqual([]);
  });
});

/** The one leg placed to `target`. */
function onlyLeg(rig: RingRig, target: string): LegView {
  const legs = apiLegs(rig.em).filter((leg) => leg.target === target);
  expect(legs).toHaveLength(1);
  return legs[0] as LegView;
}

function legRequests(rig: RingRig, leg: LegView): EmulatedCall['requests'] {
  return rig.em.call(leg.sid)?.requests ?? [];
}

/** When the leg's key press reached the app. */
function pressAt(rig: RingRig, leg: LegView): number {
  const press = requestsTo(legRequests(rig, leg), VoicePath.ExtendRingWhisperDigits)[0];
  expect(press).toBeDefined();
  return press?.at ?? NaN;
}

/**
 * Twilio acting late on the app's requests to move the caller (a slow API, 429s being retried): each is sent
 * `seconds` of virtual time after the app asked. The app's background work ends at once, so virtual time moves on.
 */
function slowRedirects(rig: RingRig, seconds: number): void {
  slowRest(rig, seconds, 'redirectCall', 'dequeueCaller');
}

/** Twilio acting `seconds` of virtual time late on the app's REST requests of these kinds (see slowRedirects). */
function slowRest(rig: RingRig, seconds: number, ...kinds: Array<'redirectCall' | 'dequeueCaller' | 'endCall'>): void {
  const gateway = rig.app.deps.twilio;
  if (!gateway) throw new Error('the rig has no REST gateway');
  // accepted now, acted on later: an ended call's answer then shows no final status yet ('')
  const later = <A extends unknown[], R>(send: (...args: A) => Promise<R>, answer: R) => async (...args: A): Promise<R> => {
    rig.clock.setTimeout(() => void send(...args).catch(() => undefined), seconds * 1000);
    return answer;
  };
  const slow = new Set(kinds);
  if (slow.has('redirectCall')) gateway.redirectCall = later(gateway.redirectCall.bind(gateway), true);
  if (slow.has('dequeueCaller')) gateway.dequeueCaller = later(gateway.dequeueCaller.bind(gateway), true);
  if (slow.has('endCall')) gateway.endCall = later(gateway.endCall.bind(gateway), '');
}
