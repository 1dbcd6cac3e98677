import { restClient } from './support/rest-client';
import { BUSINESS, CALLER, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

const OFFICE = '+15551230001';
const HOME = '+15551230002';
const CELL = '+15551230003';

let r: Rig;
afterEach(async () => {
  await r.close();
});

/**
 * The shape of Extend Ring, written small: the caller holds in a queue of its own while REST legs ring;
 * a leg's whisper asks for 1; the first 1 wins (<Dial><Queue>), the other legs are ended through REST.
 */
function miniExtendRing(rr: Rig): void {
  const client = restClient(rr.em.apiBaseUrl);
  let winner: string | undefined;
  const legs: string[] = [];
  rr.app.on('/incoming', async (p) => {
    for (const to of [OFFICE, HOME, CELL]) {
      const leg = await client.calls.create({
        to, from: BUSINESS, timeout: 30, url: rr.app.url(`/whisper?caller=${p.CallSid}`),
        statusCallback: rr.app.url('/leg-status'), statusCallbackEvent: ['completed'],
      });
      legs.push(leg.sid);
    }
    return twiml((vr) => vr.enqueue({ waitUrl: rr.app.url('/hold'), action: rr.app.url('/exit') }, `q-${p.CallSid}`));
  });
  rr.app.on('/hold', () => twiml((vr) => vr.play('https://example.com/music.mp3')));
  rr.app.on('/whisper', (_p, q) => twiml((vr) => {
    vr.gather({ numDigits: 1, action: rr.app.url(`/whisper-digits?caller=${q.caller}`) }).say('Call for John. Press 1 to talk.');
    vr.hangup();
  }));
  rr.app.on('/whisper-digits', async (p, q) => {
    if (p.Digits !== '1' || winner) return twiml((vr) => vr.hangup());
    winner = p.CallSid;
    for (const sid of legs.filter((s) => s !== winner)) {
      const leg = await client.calls(sid).fetch();
      if (leg.status === 'queued' || leg.status === 'ringing') await client.calls(sid).update({ status: 'canceled' });
      else if (leg.status === 'in-progress') await client.calls(sid).update({ status: 'completed' });
    }
    return twiml((vr) => vr.dial().queue(`q-${q.caller}`));
  });
  rr.app.on('/exit', () => twiml((vr) => vr.hangup()));
  rr.app.on('/leg-status', () => twiml(() => undefined));
}

test('the caller holds; a carrier voicemail is ignored; the person who presses 1 is connected and the last phone stops ringing', async () => {
  r = await rig();
  miniExtendRing(r);
  r.em.callee(OFFICE, { kind: 'voicemail', after: 3, label: 'Office' });
  r.em.callee(HOME, { kind: 'answer', after: 10, press: '1', talkSeconds: 45, label: 'Home' });
  r.em.callee(CELL, { kind: 'no-answer', label: 'Cell' });
  const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
  await r.em.run();

  const legs = Object.fromEntries(r.em.legs().map((l) => [l.label, l]));
  expect(call.outcome).toEqual({ kind: 'connected', to: HOME, legSid: legs.Home.sid, answeredBy: 'human' });
  expect([legs.Office.status, legs.Office.bridged]).toEqual(['completed', false]);
  // Home answers at 10 s, hears the 3-s prompt (31 characters), presses 1 a second later: Cell is canceled then
  expect([legs.Cell.status, secondsSince(call.startedAt, legs.Cell.endedAt)]).toEqual(['canceled', 14]);
  expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'bridged', QueueTime: '14' });
  expect(r.app.at('/leg-status').map((x) => [x.params.To, x.params.CallStatus]).sort()).toEqual([
    [OFFICE, 'completed'], [HOME, 'completed'], [CELL, 'canceled'],
  ].sort());
  expect(r.em.errors).toEqual([]);
  expect(r.app.forged).toEqual([]);
});
