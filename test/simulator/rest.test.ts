import { restClient } from './support/rest-client';
import { ACCOUNT_SID, AUTH_TOKEN, BUSINESS, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

const HOME = '+15551230002';
const CELL = '+15551230003';
const ALL_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

let r: Rig;
afterEach(async () => {
  await r.close();
});

async function setup(opts: Parameters<typeof rig>[0] = {}) {
  r = await rig(opts);
  r.app.on('/status', () => twiml(() => undefined));
  return restClient(r.em.apiBaseUrl);
}

function statuses(): string[] {
  return r.app.at('/status').map((x) => `${x.params.SequenceNumber}:${x.params.CallStatus}`);
}

async function rejection(p: Promise<unknown>): Promise<{ status?: number; code?: number }> {
  return p.then(() => ({}), (err: { status?: number; code?: number }) => ({ status: err.status, code: err.code }));
}

describe('Calls through the REST API', () => {
  test('a created call starts queued, rings, runs its url TwiML on answer and reports every subscribed status', async () => {
    const client = await setup();
    r.app.on('/whisper', () => twiml((vr) => vr.say('Call for John')));
    r.em.callee(HOME, { kind: 'answer', after: 5, label: 'Home' });
    const created = await client.calls.create({
      to: HOME, from: BUSINESS, url: r.app.url('/whisper'), statusCallback: r.app.url('/status'), statusCallbackEvent: ALL_EVENTS,
    });
    expect([created.status, created.direction, created.to, created.from]).toEqual(['queued', 'outbound-api', HOME, BUSINESS]);
    await r.em.run();

    expect(r.app.at('/whisper')[0].params).toMatchObject({
      CallSid: created.sid, Direction: 'outbound-api', CallStatus: 'in-progress', From: BUSINESS, To: HOME, AccountSid: ACCOUNT_SID,
    });
    expect(statuses()).toEqual(['0:initiated', '1:ringing', '2:in-progress', '3:completed']);
    expect(r.app.at('/status')[3].params).toMatchObject({ CallDuration: '1', SipResponseCode: '200' });
    const fetched = await client.calls(created.sid).fetch();
    expect([fetched.status, fetched.duration]).toEqual(['completed', '1']);
    expect(r.app.forged).toEqual([]);
  });

  test('without statusCallbackEvent only the final status is reported; an unanswered call ends at its timeout', async () => {
    const client = await setup();
    const created = await client.calls.create({ to: CELL, from: BUSINESS, url: r.app.url('/whisper'), timeout: 25, statusCallback: r.app.url('/status') });
    await r.em.run();
    expect(statuses()).toEqual(['0:no-answer']);
    const [leg] = r.em.legs();
    expect([leg.sid, leg.status, secondsSince(leg.startedAt, leg.endedAt)]).toEqual([created.sid, 'no-answer', 25]);
  });

  test('machine detection tells the url request who answered: a person or a voicemail box', async () => {
    const client = await setup();
    r.app.on('/whisper', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 2 });
    r.em.callee(CELL, { kind: 'voicemail', after: 3 });
    for (const to of [HOME, CELL]) await client.calls.create({ to, from: BUSINESS, url: r.app.url('/whisper'), machineDetection: 'Enable' });
    await r.em.run();
    expect(r.app.at('/whisper').map((x) => [x.params.To, x.params.AnsweredBy])).toEqual([[HOME, 'human'], [CELL, 'machine_start']]);
  });

  test('canceling a ringing call ends it as canceled; canceling one still queued sends no callback at all', async () => {
    const client = await setup({ restPacing: true });
    const params = { from: BUSINESS, url: r.app.url('/whisper'), statusCallback: r.app.url('/status'), statusCallbackEvent: ALL_EVENTS };
    const ringing = await client.calls.create({ to: HOME, ...params });
    const queued = await client.calls.create({ to: CELL, ...params });
    await r.em.run({ maxSeconds: 0.5 });
    expect((await client.calls(queued.sid).fetch()).status).toBe('queued');
    expect((await client.calls(ringing.sid).update({ status: 'canceled' })).status).toBe('canceled');
    expect((await client.calls(queued.sid).update({ status: 'canceled' })).status).toBe('canceled');
    await r.em.run();
    expect(r.app.at('/status').map((x) => [x.params.CallSid, x.params.CallStatus])).toEqual([
      [ringing.sid, 'initiated'], [ringing.sid, 'ringing'], [ringing.sid, 'canceled'],
    ]);
  });

  test('completed hangs up a live call; url redirects one; updating a call that ended fails with 21220', async () => {
    const client = await setup();
    r.app.on('/hold', () => twiml((vr) => vr.play({ loop: 0 }, 'https://example.com/music.mp3')));
    r.app.on('/moved', () => twiml((vr) => vr.say('You were moved')));
    r.em.callee(HOME, { kind: 'answer', after: 1 });
    r.em.callee(CELL, { kind: 'answer', after: 1 });
    const a = await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/hold') });
    const b = await client.calls.create({ to: CELL, from: BUSINESS, url: r.app.url('/hold') });
    await r.em.run({ maxSeconds: 10 });
    expect((await client.calls(a.sid).update({ status: 'completed' })).status).toBe('completed');
    await client.calls(b.sid).update({ url: r.app.url('/moved'), method: 'POST' });
    await r.em.run();
    expect(r.app.at('/moved').map((x) => x.params.CallSid)).toEqual([b.sid]);
    expect(r.em.legs().map((l) => [l.status, secondsSince(l.startedAt, l.endedAt)])).toEqual([['completed', 10], ['completed', 11]]);
    expect(await rejection(client.calls(a.sid).update({ status: 'completed' }))).toEqual({ status: 400, code: 21220 });
    expect(await rejection(client.calls(b.sid).update({ twiml: '<Response><Say>late</Say></Response>' }))).toEqual({ status: 400, code: 21220 });
  });

  test('unknown calls are 404, wrong credentials 401, a From that is not the account’s 400', async () => {
    const client = await setup();
    expect(await rejection(client.calls('CA00000000000000000000000000000000').fetch())).toEqual({ status: 404, code: 20404 });
    const intruder = restClient(r.em.apiBaseUrl, { authToken: 'wrong-token-0123456789' });
    expect(await rejection(intruder.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/x') }))).toEqual({ status: 401, code: 20003 });
    expect(await rejection(client.calls.create({ to: HOME, from: '+15559999999', url: r.app.url('/x') }))).toEqual({ status: 400, code: 21210 });
    expect(r.em.legs()).toEqual([]);
  });

  test('with pacing, calls created together start one second apart', async () => {
    const client = await setup({ restPacing: true });
    const start = r.clock.now();
    for (const to of [HOME, CELL, '+15551230004']) await client.calls.create({ to, from: BUSINESS, url: r.app.url('/x'), timeout: 10 });
    await r.em.run();
    expect(r.em.legs().map((l) => secondsSince(start, l.startedAt))).toEqual([0, 1, 2]);
  });

  test('inline Twiml runs on answer like a url would', async () => {
    const client = await setup();
    r.app.on('/after', () => twiml((vr) => vr.hangup()));
    r.em.callee(HOME, { kind: 'answer', after: 1 });
    await client.calls.create({ to: HOME, from: BUSINESS, twiml: `<Response><Pause length="3"/><Redirect>${r.app.url('/after')}</Redirect></Response>` });
    await r.em.run();
    expect(r.app.at('/after')).toHaveLength(1);
    expect(r.em.legs()[0].endedAt! - r.em.legs()[0].answeredAt!).toBe(3000);
  });
});

describe('REST faults', () => {
  test('a 429 is retried by the client’s autoRetry and the call is still created', async () => {
    await setup();
    const client = restClient(r.em.apiBaseUrl, { autoRetry: true });
    r.em.injectRestFault({ method: 'POST', pathMatch: '/Calls.json', status: 429, times: 2 });
    const created = await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/x'), timeout: 5 });
    expect(created.sid).toMatch(/^CA/);
    expect(r.em.restRequests.map((x) => x.status)).toEqual([429, 429, 201]);
    await r.em.run();
  });

  test('without retries the client sees the injected failure as a RestException', async () => {
    const client = await setup();
    r.em.injectRestFault({ pathMatch: /\/Calls\/CA\w+\.json$/, status: 500 });
    const created = await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/x'), timeout: 5 });
    expect(await rejection(client.calls(created.sid).update({ status: 'canceled' }))).toEqual({ status: 500, code: 20500 });
    expect((await client.calls(created.sid).update({ status: 'canceled' })).status).toBe('canceled');
    await r.em.run();
  });
});

describe('status callback chaos', () => {
  test('repeated callbacks carry the same SequenceNumber; reordered ones still carry their true order', async () => {
    const client = await setup({ statusCallbackChaos: { repeat: true, reorder: true } });
    r.em.callee(HOME, { kind: 'busy' });
    r.em.callee(CELL, { kind: 'answer', after: 1 });
    r.app.on('/whisper', () => twiml((vr) => vr.hangup()));
    const params = { from: BUSINESS, url: r.app.url('/whisper'), statusCallback: r.app.url('/status'), statusCallbackEvent: ALL_EVENTS };
    const busy = await client.calls.create({ to: HOME, ...params });
    const answered = await client.calls.create({ to: CELL, ...params });
    await r.em.run();

    const of = (sid: string) => r.app.at('/status').filter((x) => x.params.CallSid === sid).map((x) => `${x.params.SequenceNumber}:${x.params.CallStatus}`);
    expect([...of(busy.sid)].sort()).toEqual(['0:initiated', '0:initiated', '1:busy', '1:busy']);
    expect([...of(answered.sid)].sort()).toEqual([
      '0:initiated', '0:initiated', '1:ringing', '1:ringing', '2:in-progress', '2:in-progress', '3:completed', '3:completed',
    ]);
    const arrival = r.app.at('/status').map((x) => `${x.params.CallSid}:${x.params.SequenceNumber}`);
    const inOrder = [...arrival].sort((a, b) => (a.split(':')[0] === b.split(':')[0] ? Number(a.split(':')[1]) - Number(b.split(':')[1]) : 0));
    expect(arrival).not.toEqual(inOrder);
  });
});

describe('recordings', () => {
  test('a recording is served as MP3 to the account’s credentials, as JSON to the client, and is gone once deleted', async () => {
    const client = await setup();
    r.app.on('/incoming', () => twiml((vr) => vr.record({ action: r.app.url('/recorded'), maxLength: 60 })));
    r.app.on('/recorded', () => twiml((vr) => vr.hangup()));
    await r.em.placeCall({ from: '+15557654321', to: BUSINESS, caller: { message: { seconds: 7 } } });
    await r.em.run();
    const [rec] = r.em.recordings();

    const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
    const mp3 = await fetch(`${rec.url}.mp3`, { headers: { authorization: auth } });
    expect([mp3.status, mp3.headers.get('content-type')]).toEqual([200, 'audio/mpeg']);
    expect(Buffer.from(await mp3.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfb]));
    expect((await fetch(`${rec.url}.mp3`)).status).toBe(401);
    expect((await client.recordings(rec.sid).fetch()).toJSON()).toMatchObject({ callSid: rec.callSid, duration: '7' });
    expect(await client.recordings(rec.sid).remove()).toBe(true);
    expect((await fetch(`${rec.url}.mp3`, { headers: { authorization: auth } })).status).toBe(404);
  });

  test('a recording a test sets is answered as Twilio has it: processing (no length yet), then completed; absent; failed; else 404', async () => {
    const client = await setup();
    const [sid, silent, broken, callSid] = [`RE${'b'.repeat(32)}`, `RE${'c'.repeat(32)}`, `RE${'d'.repeat(32)}`, `CA${'e'.repeat(32)}`];
    const seen = async (recordingSid: string) => {
      const { status, duration, callSid: call, errorCode, uri } = await client.recordings(recordingSid).fetch();
      return { status, duration, callSid: call, errorCode, uri };
    };
    const uriOf = (recordingSid: string) => `/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}.json`;
    expect(await rejection(client.recordings(sid).fetch())).toEqual({ status: 404, code: 20404 });

    r.em.setRecording({ sid, callSid, status: 'processing' });
    expect(await seen(sid)).toEqual({ status: 'processing', duration: null, callSid, errorCode: null, uri: uriOf(sid) });
    r.em.setRecording({ sid, callSid, status: 'completed', seconds: 17 });
    expect(await seen(sid)).toEqual({ status: 'completed', duration: '17', callSid, errorCode: null, uri: uriOf(sid) });
    // 16102: "Voice Recording: Unavailable because recording is silent"
    r.em.setRecording({ sid: silent, callSid, status: 'absent', seconds: 0, errorCode: 16102 });
    r.em.setRecording({ sid: broken, callSid, status: 'failed', seconds: 17 });
    expect(await seen(silent)).toEqual({ status: 'absent', duration: '0', callSid, errorCode: 16102, uri: uriOf(silent) });
    expect(await seen(broken)).toEqual({ status: 'failed', duration: '17', callSid, errorCode: null, uri: uriOf(broken) });
    expect(r.em.recordings().map((rec) => [rec.sid, rec.status])).toEqual([[sid, 'completed'], [silent, 'absent'], [broken, 'failed']]);
  });
});

describe('requests the twilio client never sends', () => {
  const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;

  test('an unknown resource is a 404 with Twilio’s error body; another account’s resources are not found either', async () => {
    await setup();
    const unknown = await fetch(`${r.em.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Conferences.json`, { headers: { authorization: auth } });
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
    expect(await unknown.json()).toMatchObject({ status: 404, code: 20404 });
    const other = await fetch(`${r.em.apiBaseUrl}/2010-04-01/Accounts/AC${'f'.repeat(32)}/Calls.json`, { headers: { authorization: auth } });
    expect(other.status).toBe(404);
  });

  test('a path with a malformed percent escape is not found, and the emulator keeps answering', async () => {
    await setup();
    const base = `${r.em.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}`;
    const malformed = await fetch(`${base}/Calls/CA%E0%A4%A.json`, { headers: { authorization: auth } });
    expect([malformed.status, (await malformed.json() as { code: number }).code]).toEqual([404, 20404]);
    expect((await fetch(`${base}/Calls.json`, { headers: { authorization: auth } })).status).toBe(200);
  });

  test('a body that is not form-encoded carries no parameters; an oversized one is refused; the emulator goes on', async () => {
    await setup();
    const calls = `${r.em.apiBaseUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;
    const json = await fetch(calls, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ To: HOME }) });
    expect([json.status, (await json.json() as { code: number }).code]).toEqual([400, 21201]);
    const huge = await fetch(calls, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: `To=${'1'.repeat(200_000)}` });
    expect(huge.status).toBe(413);
    expect(r.em.restRequests.map((x) => x.status)).toEqual([400, 413]);
    expect(r.em.legs()).toEqual([]);
  });
});
