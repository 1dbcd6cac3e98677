import { BUSINESS, CALLER, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

const OFFICE = '+15551230001';
const HOME = '+15551230002';
const CELL = '+15551230003';

let r: Rig;
afterEach(async () => {
  await r.close();
});

/** John's rule without voicemail: office 40 s, then home 30 s, then cell; connected → hang up. */
function huntApp(rr: Rig): void {
  const steps = [{ to: OFFICE, timeout: 40 }, { to: HOME, timeout: 30 }, { to: CELL, timeout: 30 }];
  const dial = (n: number) => twiml((vr) => {
    vr.dial({ timeout: steps[n].timeout, action: rr.app.url(`/dial-action?step=${n}`), answerOnBridge: true }).number(steps[n].to);
  });
  rr.app.on('/incoming', () => dial(0));
  rr.app.on('/dial-action', (p, q) => {
    if (p.DialCallStatus === 'completed' && p.DialBridged === 'true') return twiml((vr) => vr.hangup());
    const next = Number(q.step) + 1;
    return next < steps.length ? dial(next) : twiml((vr) => vr.say('Nobody answered. Goodbye.'));
  });
}

describe('Dial, one destination at a time', () => {
  test('when the office phone does not answer in 40 s, the home phone rings and the caller is connected to it', async () => {
    r = await rig();
    huntApp(r);
    r.em.callee(OFFICE, { kind: 'no-answer', label: 'Office' });
    r.em.callee(HOME, { kind: 'answer', after: 10, talkSeconds: 30, label: 'Home' });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const [office, home] = r.em.legs();
    expect([office.target, office.status, secondsSince(call.startedAt, office.endedAt)]).toEqual([OFFICE, 'no-answer', 40]);
    expect([home.target, secondsSince(call.startedAt, home.startedAt), secondsSince(call.startedAt, home.answeredAt)]).toEqual([HOME, 40, 50]);
    expect(home.bridged).toBe(true);
    expect(call.outcome).toEqual({ kind: 'connected', to: HOME, legSid: home.sid, answeredBy: 'human' });
    const actions = r.app.at('/dial-action').map((x) => [x.params.DialCallStatus, x.params.DialBridged, x.params.DialCallDuration]);
    expect(actions).toEqual([['no-answer', 'false', '0'], ['completed', 'true', '30']]);
    expect(call.status).toBe('completed');
    expect(r.em.formatTimeline()).toMatch(/0:40\s+Home \(\+15551230002\)\s+ringing/);
  });

  test('a busy or failing phone ends its step at once and the next step rings without delay', async () => {
    r = await rig();
    huntApp(r);
    r.em.callee(OFFICE, { kind: 'busy' });
    r.em.callee(HOME, { kind: 'failed' });
    r.em.callee(CELL, { kind: 'answer', after: 3, talkSeconds: 5 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const legs = r.em.legs();
    expect(legs.map((l) => [l.target, l.status, secondsSince(call.startedAt, l.endedAt)])).toEqual([
      [OFFICE, 'busy', 0], [HOME, 'failed', 0], [CELL, 'completed', 8],
    ]);
    expect(r.app.at('/dial-action').map((x) => x.params.DialCallStatus)).toEqual(['busy', 'failed', 'completed']);
  });

  test('a phone that never answers rings exactly for the Dial timeout in virtual time', async () => {
    r = await rig();
    let actionAt = 0;
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ timeout: 25, action: r.app.url('/after') }).number(OFFICE)));
    r.app.on('/after', () => {
      actionAt = r.clock.now();
      return twiml((vr) => vr.hangup());
    });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(secondsSince(call.startedAt, actionAt)).toBe(25);
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'no-answer', DialBridged: 'false', DialCallSid: r.em.legs()[0].sid });
  });

  test('verbs after a Dial without action run once the dialled call ends', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      vr.dial({ timeout: 10 }).number(OFFICE);
      vr.redirect(r.app.url('/after-dial'));
    }));
    r.app.on('/after-dial', () => twiml((vr) => vr.hangup()));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/after-dial')).toHaveLength(1);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  test('a bridged call lasts the callee’s talk time (60 s by default), then the action hears completed', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ action: r.app.url('/after') }).number(HOME)));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 4 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true', DialCallDuration: '60' });
    expect(secondsSince(call.startedAt, call.endedAt)).toBe(64);
  });

  test('with answerOnBridge the caller’s call is answered only when the callee is connected', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ answerOnBridge: true, action: r.app.url('/after') }).number(HOME)));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 7, talkSeconds: 10 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(secondsSince(call.startedAt, call.answeredAt)).toBe(7);
    expect(call.durationSeconds).toBe(10);
  });
});

describe('Dial, several destinations at once', () => {
  test('the first phone to answer wins and the others stop ringing', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      const dial = vr.dial({ timeout: 30, action: r.app.url('/after') });
      dial.number(OFFICE);
      dial.number(HOME);
      dial.number(CELL);
    }));
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(OFFICE, { kind: 'answer', after: 8 });
    r.em.callee(HOME, { kind: 'answer', after: 5, talkSeconds: 20 });
    r.em.callee(CELL, { kind: 'busy' });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    const byTarget = Object.fromEntries(r.em.legs().map((l) => [l.target, l]));
    expect([byTarget[OFFICE].status, secondsSince(call.startedAt, byTarget[OFFICE].endedAt)]).toEqual(['canceled', 5]);
    expect(byTarget[OFFICE].answeredAt).toBeUndefined();
    expect([byTarget[CELL].status, byTarget[HOME].bridged]).toEqual(['busy', true]);
    expect(r.app.at('/after')[0].params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: byTarget[HOME].sid, DialCallDuration: '20' });
    expect(new Set(r.em.legs().map((l) => l.parentSid))).toEqual(new Set([call.sid]));
  });

  test('when the caller hangs up while phones ring, the action still hears about it and its TwiML is ignored', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => {
      const dial = vr.dial({ timeout: 30, action: r.app.url('/after') });
      dial.number(OFFICE);
      dial.number(HOME);
    }));
    r.app.on('/after', () => twiml((vr) => vr.say('This must never be heard')));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { hangUpAfter: 12 } });
    await r.em.run();

    expect(r.app.at('/after')[0].params).toMatchObject({ CallStatus: 'completed', DialCallStatus: 'canceled', DialBridged: 'false' });
    expect(r.em.legs().map((l) => [l.status, secondsSince(call.startedAt, l.endedAt)])).toEqual([['canceled', 12], ['canceled', 12]]);
    expect(call.outcome).toEqual({ kind: 'caller-hung-up' });
    expect(r.em.timeline.some((e) => e.event === 'say')).toBe(false);
  });
});
