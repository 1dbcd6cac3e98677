import { restClient } from './support/rest-client';
import { BUSINESS, CALLER, rig, secondsSince, twiml, type Rig } from './support/twiml-app';

const HOME = '+15551230002';

let r: Rig;
afterEach(async () => {
  await r.close();
});

/** A caller put on hold in queue `q` with 30-s music chunks; the agent leg's TwiML takes the front caller. */
function holdApp(rr: Rig, q = 'hunt-1'): void {
  rr.app.on('/incoming', () => twiml((vr) => vr.enqueue({ waitUrl: rr.app.url('/hold'), action: rr.app.url('/exit') }, q)));
  rr.app.on('/hold', () => twiml((vr) => vr.play('https://example.com/music.mp3')));
  rr.app.on('/exit', () => twiml((vr) => {
    vr.say('Goodbye');
    vr.hangup();
  }));
  rr.app.on('/agent', () => twiml((vr) => vr.dial({ action: rr.app.url('/agent-done'), timeout: 20 }).queue(q)));
  rr.app.on('/agent-done', () => twiml((vr) => vr.hangup()));
}

describe('Enqueue', () => {
  test('the wait URL is requested again each time its TwiML runs out, with the caller’s place and time in the queue', async () => {
    r = await rig();
    holdApp(r);
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { hangUpAfter: 100 } });
    await r.em.run();

    const holds = r.app.at('/hold').map((x) => x.params);
    expect(holds.map((p) => p.QueueTime)).toEqual(['0', '30', '60', '90']);
    expect(holds[0]).toMatchObject({ QueuePosition: '1', CurrentQueueSize: '1', MaxQueueSize: '1000', CallSid: call.sid });
    expect(holds[0].QueueSid).toMatch(/^QU[0-9a-f]{32}$/);
    expect(r.app.at('/exit').map((x) => x.params)).toEqual([
      expect.objectContaining({ QueueResult: 'hangup', QueueTime: '100', QueueSid: holds[0].QueueSid, CallStatus: 'completed' }),
    ]);
    expect(r.em.timeline.some((e) => e.event === 'say')).toBe(false);
    expect(call.outcome).toEqual({ kind: 'caller-hung-up' });
    expect(r.em.queues()).toEqual([expect.objectContaining({ name: 'hunt-1', members: [] })]);
  });

  test('<Leave/> in the wait TwiML takes the caller out; the action runs with QueueResult=leave', async () => {
    r = await rig();
    holdApp(r);
    r.app.on('/hold', (p) => twiml((vr) => {
      if (Number(p.QueueTime) >= 60) vr.leave();
      else vr.play('https://example.com/music.mp3');
    }));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'leave', QueueTime: '60', CallStatus: 'in-progress' });
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail === '“Goodbye”')).toBe(true);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });

  test('a Gather in the wait TwiML hears the caller’s digits and its action can send them to voicemail', async () => {
    r = await rig();
    holdApp(r);
    r.app.on('/hold', () => twiml((vr) => vr.gather({ numDigits: 1, action: r.app.url('/hold-digits') }).play('https://example.com/music.mp3')));
    r.app.on('/hold-digits', () => twiml((vr) => vr.leave()));
    r.app.on('/exit', () => twiml((vr) => vr.record({ action: r.app.url('/recorded'), maxLength: 60 })));
    r.app.on('/recorded', () => twiml((vr) => vr.hangup()));
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { holdDigits: [{ at: 45, digits: '1' }], message: { seconds: 12 } } });
    await r.em.run();
    expect(r.app.at('/hold-digits')[0].params.Digits).toBe('1');
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'leave', QueueTime: '45' });
    expect(call.outcome).toMatchObject({ kind: 'voicemail', seconds: 12 });
  });
});

describe('Dial Queue', () => {
  test('an agent’s <Dial><Queue> connects the front caller; when the agent hangs up the caller’s action hears bridged', async () => {
    r = await rig();
    holdApp(r);
    const client = restClient(r.em.apiBaseUrl);
    r.em.callee(HOME, { kind: 'answer', after: 8, talkSeconds: 40, label: 'Home' });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run({ maxSeconds: 5 });
    const agent = await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/agent') });
    await r.em.run();

    expect(call.outcome).toEqual({ kind: 'connected', to: HOME, legSid: agent.sid, answeredBy: 'human' });
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'bridged', QueueTime: '13' });
    expect(r.app.at('/agent-done')[0].params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: call.sid, DialBridged: 'true', DialCallDuration: '40' });
    expect(secondsSince(call.startedAt, call.endedAt)).toBe(13 + 40 + 1);
  });

  test('when the caller hangs up while connected, the agent’s call continues with its Dial action', async () => {
    r = await rig();
    holdApp(r);
    r.app.on('/agent-done', () => twiml((vr) => vr.say('The caller hung up')));
    const client = restClient(r.em.apiBaseUrl);
    r.em.callee(HOME, { kind: 'answer', after: 2 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS, caller: { hangUpAfter: 30 } });
    await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/agent') });
    await r.em.run();
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'bridged', CallStatus: 'completed' });
    expect(r.app.at('/agent-done')[0].params).toMatchObject({ DialCallStatus: 'completed', DialCallSid: call.sid, DialCallDuration: '28' });
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail === '“The caller hung up”')).toBe(true);
  });

  test('on an empty queue the agent waits for a caller until the Dial timeout', async () => {
    r = await rig();
    holdApp(r);
    const client = restClient(r.em.apiBaseUrl);
    await client.queues.create({ friendlyName: 'hunt-1' });
    r.em.callee(HOME, { kind: 'answer', after: 1 });
    await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/agent') });
    await r.em.run();
    expect(r.app.at('/agent-done')[0].params).toMatchObject({ DialCallStatus: 'no-answer', DialBridged: 'false' });
    expect(r.em.legs()[0].endedAt! - r.em.legs()[0].answeredAt!).toBe(20_000);
  });

  test('a queue that does not exist is an error: the Dial fails', async () => {
    r = await rig();
    holdApp(r, 'nobody-here');
    const client = restClient(r.em.apiBaseUrl);
    r.em.callee(HOME, { kind: 'answer', after: 1 });
    await client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/agent') });
    await r.em.run();
    expect(r.app.at('/agent-done')[0].params).toMatchObject({ DialCallStatus: 'failed' });
    expect(r.em.errors).toEqual([expect.objectContaining({ kind: 'application-error', message: expect.stringContaining('no such queue') })]);
  });
});

describe('moving queued callers through REST', () => {
  test('a member update dequeues that caller to a URL (QueueResult=redirected); a second update fails with 400', async () => {
    r = await rig();
    holdApp(r);
    r.app.on('/voicemail', () => twiml((vr) => vr.say('Please leave a message')));
    const client = restClient(r.em.apiBaseUrl);
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run({ maxSeconds: 50 });
    const [queue] = await client.queues.list();
    const members = await client.queues(queue.sid).members.list();
    expect(members.map((m) => [m.callSid, m.position, m.waitTime])).toEqual([[call.sid, 1, 50]]);
    await client.queues(queue.sid).members(call.sid).update({ url: r.app.url('/voicemail'), method: 'POST' });
    const again = await client.queues(queue.sid).members(call.sid).update({ url: r.app.url('/voicemail') }).then(() => 'ok', (e: { status: number }) => e.status);
    expect(again).toBe(400); // Twilio: "a second request will fail and return an appropriate 400 response code"
    await r.em.run();
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'redirected', QueueTime: '50' });
    expect(r.app.at('/voicemail').map((x) => x.params.CallSid)).toEqual([call.sid]);
    expect(r.em.timeline.some((e) => e.event === 'say' && e.detail === '“Goodbye”')).toBe(false);
  });

  test('a call update with a url moves a queued caller out of the queue as well', async () => {
    r = await rig();
    holdApp(r);
    r.app.on('/voicemail', () => twiml((vr) => vr.hangup()));
    const client = restClient(r.em.apiBaseUrl);
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run({ maxSeconds: 600 });
    await client.calls(call.sid).update({ url: r.app.url('/voicemail') });
    await r.em.run();
    expect(r.app.at('/exit')[0].params).toMatchObject({ QueueResult: 'redirected', QueueTime: '600' });
    expect(r.app.at('/voicemail')).toHaveLength(1);
    expect(r.em.queues()[0].members).toEqual([]);
  });

  test('queues can be created, listed, fetched and deleted; deleting twice is 404', async () => {
    r = await rig();
    const client = restClient(r.em.apiBaseUrl);
    const q = await client.queues.create({ friendlyName: 'support', maxSize: 10 });
    expect((await client.queues(q.sid).fetch()).toJSON()).toMatchObject({ friendlyName: 'support', maxSize: 10, currentSize: 0 });
    expect((await client.queues.list()).map((x) => x.friendlyName)).toEqual(['support']);
    expect(await client.queues(q.sid).remove()).toBe(true);
    expect(await client.queues(q.sid).remove().then(() => 'ok', (e: { status: number }) => e.status)).toBe(404);
    expect(r.em.queues()).toEqual([]);
  });
});

describe('quiescence', () => {
  test('REST work the app starts after answering a webhook is waited for through quiesce()', async () => {
    const pending = new Set<Promise<unknown>>();
    r = await rig({ quiesce: async () => { await Promise.all([...pending]); } });
    holdApp(r);
    const client = restClient(r.em.apiBaseUrl);
    r.app.on('/incoming', () => {
      const p = client.calls.create({ to: HOME, from: BUSINESS, url: r.app.url('/agent') });
      pending.add(p);
      void p.finally(() => pending.delete(p));
      return twiml((vr) => vr.enqueue({ waitUrl: r.app.url('/hold'), action: r.app.url('/exit') }, 'hunt-1'));
    });
    r.em.callee(HOME, { kind: 'answer', after: 4, talkSeconds: 10 });
    const call = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run();
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
    expect(r.em.legs().map((l) => secondsSince(call.startedAt, l.answeredAt))).toEqual([4]);
  });
});
