import { formatOffset } from '../../src/simulator/timeline';
import { BUSINESS, CALLER, rig, twiml, type Rig } from './support/twiml-app';

let r: Rig;
afterEach(async () => {
  await r?.close();
});

test('offsets print as m:ss, h:mm:ss past an hour, with tenths when needed', () => {
  expect([formatOffset(0), formatOffset(40), formatOffset(125), formatOffset(3723), formatOffset(2.5)]).toEqual(['0:00', '0:40', '2:05', '1:02:03', '0:02.5']);
});

test('the timeline tells who rang when, who answered and how the call ended', async () => {
  r = await rig();
  r.app.on('/incoming', () => twiml((vr) => vr.dial({ timeout: 40, action: r.app.url('/step1') }).number('+15551230001')));
  r.app.on('/step1', (p) => twiml((vr) => {
    if (p.DialCallStatus === 'completed') vr.hangup();
    else vr.dial({ timeout: 30, action: r.app.url('/step1') }).number('+15551230002');
  }));
  r.em.callee('+15551230001', { kind: 'no-answer', label: 'Office' });
  r.em.callee('+15551230002', { kind: 'answer', after: 12, talkSeconds: 90, label: 'Home' });
  await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { label: 'Customer' } });
  await r.em.run();
  expect(r.em.formatTimeline().split('\n').map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
    '0:00 Customer (+15557654321) incoming calls +15550000100',
    '0:00 Office (+15551230001) ringing',
    '0:40 Office (+15551230001) no-answer ring timeout',
    '0:40 Home (+15551230002) ringing',
    '0:52 Home (+15551230002) answered',
    '0:52 Home (+15551230002) bridged connected to Customer (+15557654321)',
    '2:22 Home (+15551230002) hangup hung up',
    '2:22 Customer (+15557654321) hangup the app hung up',
  ]);
});

test('a ten-minute hold plays out in virtual time', async () => {
  r = await rig();
  r.app.on('/incoming', () => twiml((vr) => vr.redirect(r.app.url('/hold'))));
  r.app.on('/hold', () => twiml((vr) => {
    vr.gather({ numDigits: 1, action: r.app.url('/digits'), timeout: 1 }).play('https://example.com/music.mp3');
    vr.redirect(r.app.url('/hold'));
  }));
  const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { hangUpAfter: 600 } });
  await r.em.run();
  expect(call.durationSeconds).toBe(600);
  // 30 s of music plus 1 s of listening per round
  expect(r.app.at('/hold')).toHaveLength(20);
  expect(call.outcome).toEqual({ kind: 'caller-hung-up' });
});

test('advance() plays virtual time for the app’s own timers even when no call is live', async () => {
  r = await rig();
  const fired: number[] = [];
  const start = r.clock.now();
  const tick = () => {
    fired.push((r.clock.now() - start) / 1000);
    r.clock.setTimeout(tick, 10_000);
  };
  r.clock.setTimeout(tick, 10_000);
  await r.em.advance(35);
  expect(fired).toEqual([10, 20, 30]);
  expect(r.clock.now() - start).toBe(35_000);
});
