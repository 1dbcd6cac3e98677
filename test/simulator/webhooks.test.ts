import { TwilioEmulator } from '../../src/simulator/emulator';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { ACCOUNT_SID, BUSINESS, CALLER, rig, twiml, TwimlApp, type Rig } from './support/twiml-app';

let r: Rig;
afterEach(async () => {
  await r.close();
});

describe('webhook requests', () => {
  test('are signed like Twilio’s and carry the standard parameters', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.redirect(r.app.url('/next?step=2&x=a%20b'))));
    r.app.on('/next', () => twiml((vr) => vr.hangup()));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();

    expect(r.app.forged).toEqual([]);
    const [first, second] = r.app.received;
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(first.params).toEqual({
      AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01', CallSid: call.sid, CallStatus: 'ringing', Called: BUSINESS, Caller: CALLER,
      Direction: 'inbound', From: CALLER, To: BUSINESS,
    });
    expect(second.query).toEqual({ step: '2', x: 'a b' });
    expect(second.params.CallStatus).toBe('ringing');
    expect(call.requests.map((x) => x.purpose)).toEqual(['voice-url', 'redirect']);
  });

  test('a signature made with another auth token is refused by the app', async () => {
    r = await rig();
    const clock = new VirtualClock();
    const impostor = new TwilioEmulator({ accountSid: ACCOUNT_SID, authToken: 'not-the-token-at-all', clock });
    impostor.configureNumber(BUSINESS, { voiceUrl: r.app.url('/incoming') });
    r.app.on('/incoming', () => twiml((vr) => vr.hangup()));
    const call = await impostor.placeCall({ from: CALLER, to: BUSINESS });
    await impostor.run();
    expect(r.app.forged).toEqual(['/incoming']);
    expect(call.outcome).toEqual({ kind: 'application-error', errorCode: 11200 });
  });

  test('GET requests put the parameters in the query string, still validly signed', async () => {
    r = await rig();
    r.em.configureNumber('+15550000999', { voiceUrl: r.app.url('/incoming?via=get'), voiceMethod: 'GET' });
    r.app.on('/incoming', () => twiml((vr) => vr.hangup()));
    await r.em.placeCall({ from: CALLER, to: '+15550000999' });
    await r.em.run();
    expect(r.app.forged).toEqual([]);
    expect(r.app.received[0]).toMatchObject({ method: 'GET', query: { via: 'get', CallStatus: 'ringing', From: CALLER } });
  });

  test('the number’s status callback hears the end of the call with its duration', async () => {
    r = await rig({}, { statusCallback: '/status' });
    r.app.on('/incoming', () => twiml((vr) => {
      vr.pause({ length: 42 });
      vr.hangup();
    }));
    r.app.on('/status', () => twiml(() => undefined));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/status').map((x) => x.params)).toEqual([
      expect.objectContaining({ CallSid: call.sid, CallStatus: 'completed', CallDuration: '42', From: CALLER, To: BUSINESS }),
    ]);
  });

  test('Reject as the first verb leaves the call unanswered: busy, or no-answer for "rejected"', async () => {
    r = await rig({}, { statusCallback: '/status' });
    r.app.on('/status', () => twiml(() => undefined));
    let reason: 'busy' | 'rejected' = 'busy';
    r.app.on('/incoming', () => twiml((vr) => vr.reject({ reason })));
    const busy = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    reason = 'rejected';
    const rejected = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect([busy.status, busy.outcome, busy.answeredAt]).toEqual(['busy', { kind: 'rejected', reason: 'busy' }, undefined]);
    expect([rejected.status, rejected.outcome]).toEqual(['no-answer', { kind: 'rejected', reason: 'rejected' }]);
    expect(r.app.at('/status').map((x) => [x.params.CallStatus, x.params.CallDuration])).toEqual([['busy', '0'], ['no-answer', '0']]);
  });
});

describe('application errors', () => {
  test('a 5xx answer makes Twilio fetch the fallback URL with ErrorCode and ErrorUrl', async () => {
    r = await rig({}, { fallbackUrl: '/fallback' });
    r.app.on('/incoming', () => ({ status: 500, type: 'text/plain', body: 'boom' }));
    r.app.on('/fallback', () => twiml((vr) => {
      vr.say('Sorry, please try again later.');
      vr.hangup();
    }));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/fallback')[0].params).toMatchObject({ ErrorCode: '11200', ErrorUrl: r.app.url('/incoming'), CallSid: call.sid });
    expect(r.em.errors.map((e) => [e.kind, e.code])).toEqual([['fallback-used', 11200]]);
    expect(r.em.formatTimeline()).toMatch(/fallback\s+HTTP 500/);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  // Twilio's fallback request carries the failed request's parameters (here a Gather action's Digits) besides
  // ErrorCode and ErrorUrl, the failed URL with its query: the app answers that request again from them
  test('a failed action makes Twilio fetch the fallback URL with that action\'s parameters, ErrorCode and ErrorUrl', async () => {
    r = await rig({}, { fallbackUrl: '/fallback' });
    r.app.on('/incoming', () => twiml((vr) => vr.gather({ numDigits: 1, action: r.app.url('/digits?step=3') }).say('Press 1')));
    r.app.on('/digits', () => ({ status: 502, type: 'text/plain', body: 'bad gateway' }));
    r.app.on('/fallback', () => twiml((vr) => vr.hangup()));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 1, digits: '1' }] } });
    await r.em.run();
    expect(r.app.at('/fallback')[0].params).toMatchObject({
      CallSid: call.sid, From: CALLER, To: BUSINESS, Digits: '1', ErrorCode: '11200', ErrorUrl: r.app.url('/digits?step=3'),
    });
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  test('without a fallback URL the caller hears the application error and the call ends — loudly', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.gather({ numDigits: 1, action: r.app.url('/broken') }).say('Press 1')));
    r.app.on('/broken', () => ({ status: 200, type: 'text/xml', body: '<Response><Say>unclosed</Response>' }));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 1, digits: '1' }] } });
    await r.em.run();
    expect(call.outcome).toEqual({ kind: 'application-error', errorCode: 12100 });
    expect(r.em.errors).toEqual([expect.objectContaining({ kind: 'application-error', code: 12100, url: r.app.url('/broken'), callSid: call.sid })]);
    expect(r.em.formatTimeline()).toMatch(/application-error\s+invalid TwiML/);
  });

  test('a response that is not XML is an application error (12300)', async () => {
    r = await rig();
    r.app.on('/incoming', () => ({ type: 'application/json', body: '{"ok":true}' }));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(call.outcome).toEqual({ kind: 'application-error', errorCode: 12300 });
  });

  test('an unreachable app is an application error (11205) and a failing status callback is reported', async () => {
    const app = await new TwimlApp().start();
    const deadUrl = app.url('/gone');
    await app.close();
    r = await rig();
    r.em.configureNumber('+15550000998', { voiceUrl: deadUrl, statusCallback: deadUrl });
    const call = await r.em.placeCall({ from: CALLER, to: '+15550000998' });
    await r.em.run();
    expect(call.outcome).toEqual({ kind: 'application-error', errorCode: 11205 });
    expect(r.em.errors.map((e) => e.kind)).toEqual(['application-error', 'callback-failed']);
  });

  test('a Dial action after the caller hung up that fails is still recorded as a failed callback', async () => {
    r = await rig();
    r.app.on('/incoming', () => twiml((vr) => vr.dial({ action: r.app.url('/after') }).number('+15551230001')));
    r.app.on('/after', () => ({ status: 503, body: 'down' }));
    await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { hangUpAfter: 3 } });
    await r.em.run();
    expect(r.em.errors).toEqual([expect.objectContaining({ kind: 'callback-failed', url: r.app.url('/after') })]);
  });
});
