import type { RestRequestLog } from '../../src/simulator/emulator';
import { RestError } from '../../src/twilio/gateway';
import { VoicePath } from '../../src/voice/urls';
import { storeFactories } from '../support/stores';
import { apiLegs, CELL, HOME, OFFICE, requestsTo, ringingRounds, ringRule, sinceStart, startRig, type RingRig } from './rig';

const CALLS_CREATE = /\/Calls\.json$/;

/** Twilio's REST API misbehaving, and status callbacks arriving twice and out of order (TWILIO.md). */
describe.each(storeFactories())('Extend Ring when Twilio is unreliable ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('with every status callback repeated and reordered, each step still rings once per round, until 3:00', async () => {
    rig = await startRig({ factory, emulator: { statusCallbackChaos: { repeat: true, reorder: true } } });
    const call = await rig.placeCall();
    await rig.run(600);

    const rounds = ringingRounds(rig.em);
    expect(rounds.length).toBeGreaterThanOrEqual(5);
    rounds.forEach((round, i) => expect(round).toEqual(i % 2 === 0 ? [OFFICE] : [CELL, HOME].sort()));
    const steps = (await rig.store.getCall(call.sid))?.events.filter((e) => e.type === 'step') ?? [];
    expect(steps).toHaveLength(rounds.length);
    expect(new Set(steps.map((e) => `${e.cycle}.${e.step}`)).size).toBe(steps.length);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail)[0] ?? requestsTo(call.requests, VoicePath.ExtendRingQueueExit)[0];
    expect(sinceStart(call, voicemail?.at ?? Infinity)).toBeLessThanOrEqual(181);
    for (const leg of apiLegs(rig.em)) expect(sinceStart(call, leg.endedAt ?? Infinity)).toBeLessThanOrEqual(181);
  });

  it.each([
    ['no answer in time', 0, undefined],
    ['a 500 after the call was made', 500, 20500],
  ] as const)('when Twilio places the office call but the app gets %s, the office pressing 1 is put through, not hung up on', async (_what, status, code) => {
    rig = await startRig({ factory });
    const gateway = rig.app.deps.twilio!;
    const placeCall = gateway.placeCall.bind(gateway);
    let lost = false;
    gateway.placeCall = async (request) => {
      const placed = await placeCall(request);
      if (request.to === OFFICE && !lost) {
        lost = true;
        throw new RestError(`Twilio REST placing a call to ${OFFICE} failed`, status, code);
      }
      return placed;
    };
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', talkSeconds: 30, label: 'Office' });
    const call = await rig.placeCall();
    await rig.run(600);

    const office = apiLegs(rig.em)[0]!;
    expect(office.target).toBe(OFFICE);
    expect(office.answeredAt).toBeDefined();
    expect(office.digits).toBe('1');
    expect(office.bridged).toBe(true);
    expect(call.outcome).toMatchObject({ kind: 'connected', legSid: office.sid });
    // the phones of the step placed meanwhile stop
    for (const leg of apiLegs(rig.em).slice(1)) expect(leg.bridged).toBe(false);
    expect(rig.em.errors).toEqual([]);
  });

  it('a round whose office is busy and whose cell Twilio refuses (400) is not followed at once by the next: it waits the ring time', async () => {
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 2, steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }, { type: 'number', to: CELL, label: 'Cell' }], ringSeconds: 20 },
    ] }) });
    const gateway = rig.app.deps.twilio!;
    const placeCall = gateway.placeCall.bind(gateway);
    gateway.placeCall = async (request) => {
      if (request.to === CELL) throw new RestError(`Twilio REST placing a call to ${CELL} failed: HTTP 400 (21215)`, 400, 21215);
      return placeCall(request);
    };
    rig.em.callee(OFFICE, { kind: 'busy' });
    const call = await rig.placeCall();
    await rig.run(600);

    const officeCalls = apiLegs(rig.em).filter((leg) => leg.target === OFFICE).map((leg) => Math.round(sinceStart(call, leg.startedAt)));
    expect(officeCalls.slice(0, 3)).toEqual([0, 20, 40]);
  });

  it('ending a phone that had already stopped ringing (its callback still on the way) is refused by Twilio, harmlessly', async () => {
    rig = await startRig({ factory, emulator: { statusCallbackChaos: { reorder: true } } });
    const call = await rig.placeCall({ hangUpAfter: 20.001 });
    await rig.run(600);

    const office = apiLegs(rig.em).find((leg) => leg.target === OFFICE);
    const ends = restTo(rig, new RegExp(`/Calls/${office?.sid}\\.json$`));
    expect(ends.map((r) => [r.params.Status, r.status])).toEqual([['canceled', 400]]);
    expect(office?.status).toBe('no-answer');
    expect(apiLegs(rig.em).filter((leg) => leg.target !== OFFICE)).toEqual([]);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('missed');
    expect(rig.em.errors).toEqual([]);
  });

  it('when Twilio rate-limits placing a call (429), the request is retried and the office rings', async () => {
    rig = await startRig({ factory });
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 429, times: 2 });
    const call = await rig.placeCall({ hangUpAfter: 10 });
    await rig.run(600);

    expect(restTo(rig, CALLS_CREATE).map((r) => r.status)).toEqual([429, 429, 201]);
    expect(ringingRounds(rig.em)).toEqual([[OFFICE]]);
    expect(sinceStart(call, apiLegs(rig.em)[0]?.startedAt ?? Infinity)).toBe(0);
  });

  it('when Twilio fails to place the office call (500), that phone counts as failed and cell and home ring at once', async () => {
    rig = await startRig({ factory });
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 500, times: 1 });
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await rig.run(600);

    expect(ringingRounds(rig.em)[0]).toEqual([CELL, HOME].sort());
    expect(sinceStart(call, apiLegs(rig.em)[0]?.startedAt ?? Infinity)).toBe(0);
    const events = (await rig.store.getCall(call.sid))?.events ?? [];
    expect(events).toContainEqual(expect.objectContaining({
      type: 'leg-failed', destination: `Office (${OFFICE})`, step: 0, cycle: 0, detail: 'Twilio failed to place it (HTTP 500, error 20500): Internal Server Error',
    }));
    expect(rig.em.errors).toEqual([]);
  });

  it('when Twilio refuses to call the office (its geo permissions), the call log says so in Twilio\'s words', async () => {
    rig = await startRig({ factory });
    const refusal = 'Account not authorized to call +15551230001. Perhaps you need to enable some international permissions';
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 400, code: 21215, message: refusal, times: 1 });
    const call = await rig.placeCall({ hangUpAfter: 30 });
    await rig.run(600);

    const events = (await rig.store.getCall(call.sid))?.events ?? [];
    expect(events.find((e) => e.type === 'leg-failed')).toMatchObject({
      destination: `Office (${OFFICE})`, detail: `refused by Twilio (HTTP 400, error 21215): ${refusal}`,
    });
  });

  it('when no phone of a whole round can be placed, the next round waits a few seconds instead of spinning', async () => {
    rig = await startRig({ factory });
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 500, times: 3 });
    const call = await rig.placeCall({ hangUpAfter: 10 });
    await rig.run(600);

    // the round after the unplaced one starts 5 s later, on the sweeper's next tick
    expect(restTo(rig, CALLS_CREATE).map((r) => [r.status, Math.floor(sinceStart(call, r.at))])).toEqual([
      [500, 0], [500, 0], [500, 0], [201, 5],
    ]);
    expect(ringingRounds(rig.em)[0]).toEqual([OFFICE]);
  });

  it.each(['busy', 'failed'] as const)('a %s office is called again once per round of ring time, not as fast as Twilio places calls', async (kind) => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 25 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 1, steps: [office] }), emulator: { restPacing: true } });
    rig.em.callee(OFFICE, { kind });
    const call = await rig.placeCall();
    await rig.run(600);

    // Twilio reports busy/failed at once; the next round waits the 25 s the round would have rung (its start is a
    // deadline-set entry: claimed on the sweeper's next tick, 250 ms here)
    const legs = apiLegs(rig.em);
    expect(legs.map((leg) => leg.status)).toEqual([kind, kind, kind]);
    const starts = legs.map((leg) => sinceStart(call, leg.startedAt));
    expect(starts[0]).toBe(0);
    for (const [i, at] of starts.entries()) {
      expect(at).toBeGreaterThanOrEqual(25 * i);
      expect(at).toBeLessThanOrEqual(25 * i + 0.5 * i);
    }
    // maximum hold 1 minute: at most 1 s late
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail).map((r) => sinceStart(call, r.at));
    expect(voicemail).toHaveLength(1);
    expect(voicemail[0]).toBeGreaterThanOrEqual(60);
    expect(voicemail[0]).toBeLessThanOrEqual(61);
    expect(rig.em.errors).toEqual([]);
  });

  it('a busy office whose next round could not be written down (store failure) is still called again, 30 s after the round was due', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 25 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 2, steps: [office] }) });
    rig.em.callee(OFFICE, { kind: 'busy' });
    const setDeadline = rig.store.setDeadline.bind(rig.store);
    let lost = 0;
    rig.store.setDeadline = async (key, dueMs) => {
      if (key.endsWith('/next-round') && lost++ === 0) throw new Error('Command timed out');
      return setDeadline(key, dueMs);
    };
    const call = await rig.placeCall();
    await rig.run(600);

    const starts = apiLegs(rig.em).map((leg) => sinceStart(call, leg.startedAt));
    expect(lost).toBeGreaterThan(0);
    // round 2 was due at 25 s; the watchdog starts it at 55 s; the rounds after it keep their 25 s pace
    expect(starts[1]).toBeGreaterThanOrEqual(55);
    expect(starts[1]).toBeLessThanOrEqual(56);
    expect(starts[2]).toBeGreaterThanOrEqual(80);
    expect(starts[2]).toBeLessThanOrEqual(81);
  });

  it('a paused round that Twilio refuses pauses again for 5 s, not until the watchdog notices (its own entry was still held)', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 25 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 2, steps: [office] }) });
    rig.em.callee(OFFICE, { kind: 'busy' });
    // round 1 busy at once: round 2 waits to 25 s; Twilio refuses round 2: round 3 waits 5 s more
    rig.clock.setTimeout(() => rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 500, times: 1 }), 20_000);
    const call = await rig.placeCall();
    await rig.run(600);
    expect(restTo(rig, CALLS_CREATE).slice(0, 3).map((r) => [r.status, Math.floor(sinceStart(call, r.at))])).toEqual([[201, 0], [500, 25], [201, 30]]);
  });

  it('a paused round is not started early by the watchdog when moving the watchdog past the pause failed', async () => {
    const one = (to: string) => ({ destinations: [{ type: 'number' as const, to, label: to }], ringSeconds: 20 });
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 3, steps: [one(OFFICE), one(CELL), one(HOME)] }) });
    for (const to of [OFFICE, CELL, HOME]) rig.em.callee(to, { kind: 'busy' });
    const setDeadline = rig.store.setDeadline.bind(rig.store);
    let writes = 0;
    rig.store.setDeadline = async (key, dueMs) => {
      // the watchdog's 4th write: the one moving it past the pause after round 1
      if (key.endsWith('/step-check') && ++writes === 4) throw new Error('Command timed out');
      return setDeadline(key, dueMs);
    };
    const call = await rig.placeCall();
    await rig.run(600);
    // round 1 is busy at once (three steps, 0 s); round 2 waits the round's 60 s of ring time
    const starts = apiLegs(rig.em).map((leg) => Math.floor(sinceStart(call, leg.startedAt)));
    expect(starts.slice(0, 3)).toEqual([0, 0, 0]);
    for (const at of starts.slice(3, 6)) expect(at).toBeGreaterThanOrEqual(60);
    expect(starts).toHaveLength(9);
    for (const at of starts.slice(6, 9)) expect(at).toBeGreaterThanOrEqual(120);
  });

  it('an office that answers and hangs up without a key is not called straight back: the next round waits the ring time', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 25 };
    rig = await startRig({ factory, rule: ringRule({ maxHoldMinutes: 2, steps: [office] }) });
    rig.em.callee(OFFICE, { kind: 'answer', after: 3, label: 'Office' });
    const call = await rig.placeCall({ hangUpAfter: 100 });
    await rig.run(600);

    const legs = apiLegs(rig.em);
    expect(legs.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < legs.length; i++) {
      expect(((legs[i]?.startedAt ?? 0) - (legs[i - 1]?.endedAt ?? Infinity)) / 1000).toBeGreaterThanOrEqual(25);
    }
    const events = (await rig.store.getCall(call.sid))?.events.map((e) => e.type) ?? [];
    expect(events.filter((type) => type === 'leg-declined')).toHaveLength(legs.length);
  });

  it.each([503, 400] as const)('when Twilio refuses every call two rounds in a row (%i), the caller is sent to voicemail at 0:05 instead of holding until 3:00', async (status) => {
    rig = await startRig({ factory });
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status, times: 1000 });
    const call = await rig.placeCall();
    await rig.run(600);

    // the second round's start is a deadline-set entry, claimed on the sweeper's next tick (250 ms here)
    const creates = restTo(rig, CALLS_CREATE).map((r) => [r.status, Math.floor(sinceStart(call, r.at))]);
    expect(creates).toEqual([[status, 0], [status, 0], [status, 0], [status, 5], [status, 5], [status, 5]]);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeGreaterThanOrEqual(5);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeLessThanOrEqual(5.5);
    const events = (await rig.store.getCall(call.sid))?.events.map((e) => e.type) ?? [];
    expect(events.filter((type) => type === 'unreachable')).toHaveLength(1);
    expect(events.filter((type) => type === 'leg-failed')).toHaveLength(6);
    expect(await rig.store.getHunt(call.sid)).toMatchObject({ state: 'voicemail' });
    expect(await rig.store.claimDueDeadlines(Number.MAX_SAFE_INTEGER, 100)).not.toContain(call.sid);
  });

  it('when Twilio refuses every call and then, once, the redirect to voicemail too, the caller is redirected again 15 s later', async () => {
    rig = await startRig({ factory, emulator: { playSeconds: 120 } });
    rig.em.injectRestFault({ method: 'POST', pathMatch: CALLS_CREATE, status: 503, times: 1000 });
    rig.em.injectRestFault({ method: 'POST', pathMatch: /\/Members\//, status: 500, times: 1 });
    const call = await rig.placeCall({ message: { seconds: 20 } });
    await rig.run(600);

    const voicemail = requestsTo(call.requests, VoicePath.Voicemail).map((r) => sinceStart(call, r.at));
    expect(voicemail).toHaveLength(1);
    expect(voicemail[0]).toBeGreaterThanOrEqual(20);
    expect(voicemail[0]).toBeLessThanOrEqual(20.5);
    expect(rig.em.recordings().map((r) => r.seconds)).toEqual([20]);
    expect(await rig.store.claimDueDeadlines(Number.MAX_SAFE_INTEGER, 100)).not.toContain(call.sid);
  });
});

function restTo(rig: RingRig, path: RegExp): RestRequestLog[] {
  return rig.em.restRequests.filter((r) => r.method === 'POST' && path.test(r.path));
}
