import { newHunt } from '../../src/domain/hunt-plan';
import request from 'supertest';
import type { CallRecord, User } from '../../src/domain/types';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { asAdmin } from '../support/flow';
import { CALLER, inbound, JOHNS_NUMBER, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver } from './receiver';

/** Missed calls and callback numbers are announced like voicemails: once per call, to the owner's webhook. */

let rig: NotifyRig;
let hook: Receiver;
let john: User;

beforeEach(async () => {
  hook = await Receiver.start([200]);
  rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { sweeper: { intervalMs: 250 } });
});

afterEach(async () => {
  await rig.close();
  await hook.close();
});

const completed = (callSid: string) => inbound(callSid, JOHNS_NUMBER, { CallStatus: 'completed', CallDuration: '25' });

describe('Follow Me', () => {
  beforeEach(async () => {
    john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
  });

  /** Virtual time passes tick by tick, the deadline sweeper claiming and the app handling what falls due. */
  async function sweepFor(ms: number): Promise<void> {
    for (let passed = 0; passed < ms + 250; passed += 250) {
      rig.clock.advanceBy(250);
      await rig.app.sweeper?.idle();
      await rig.settle();
    }
  }

  const dialAction = (twiml: Awaited<ReturnType<NotifyRig['post']>>): string =>
    twiml.children.find((c) => c.name === 'Dial')?.attributes.action ?? '';

  it('a caller who hangs up while the office phone rings is announced once as a missed call', async () => {
    const action = dialAction(await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000300')));
    // Twilio's two requests as the caller hangs up, in either order; the status callback repeated
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000300'));
    await rig.post(action, inbound('CA00000000000000000000000000000300', JOHNS_NUMBER, { CallStatus: 'completed', DialCallStatus: 'canceled' }));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000300'));
    await rig.settle();
    expect(hook.events()).toEqual([{
      type: 'missed-call',
      id: 'evt_missed-call_CA00000000000000000000000000000300',
      occurredAt: expect.any(String),
      user: { id: john.id, name: 'John' },
      call: { callSid: 'CA00000000000000000000000000000300', from: CALLER, to: JOHNS_NUMBER },
      missedCall: {
        outcome: 'missed', startedAt: expect.any(String), endedAt: expect.any(String),
        ruleId: expect.any(String), ruleName: 'Office only', mode: 'followMe',
      },
    }]);
  });

  it('when the Dial action never comes, the call is announced as missed once it has had 15 s to come', async () => {
    await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000303'));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000303'));
    await rig.settle();
    expect(hook.received).toHaveLength(0);
    await sweepFor(15_000);
    expect(hook.events().map((e) => e.type)).toEqual(['missed-call']);
    expect((await rig.app.deps.store.getCall('CA00000000000000000000000000000303'))?.outcome).toBe('missed');
  });

  it('settled without its Dial action, the call ends when it ended, not when the grace was over', async () => {
    await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000306'));
    rig.clock.advanceBy(5000);
    const endedAt = new Date(rig.clock.now()).toISOString();
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000306'));
    await sweepFor(15_000);
    expect((await rig.app.deps.store.getCall('CA00000000000000000000000000000306'))?.endedAt).toBe(endedAt);
    expect(hook.events()).toEqual([expect.objectContaining({ missedCall: expect.objectContaining({ endedAt }) })]);
  });

  it('when the store cannot keep the call\'s finish entry, the call is still settled and announced, once', async () => {
    await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000307'));
    const { store } = rig.app.deps;
    failOnce(store, 'setDeadline');
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000307'));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000307'));
    await sweepFor(15_000);
    expect((await store.getCall('CA00000000000000000000000000000307'))?.outcome).toBe('missed');
    expect(hook.events().map((e) => e.type)).toEqual(['missed-call']);
  });

  /**
   * With confirm on, the office answers 5 s into the call, hears its whisper and presses 1 3 s later. Returns the
   * Dial's action URL and when the office pressed 1.
   */
  async function officePressesOne(callSid: string): Promise<{ action: string; acceptedAt: number }> {
    const { store } = rig.app.deps;
    const [rule] = await store.listRules({ userId: john.id });
    if (!rule) throw new Error('John has a rule');
    await store.saveRule({ ...rule, confirm: true });
    const dial = (await rig.post(VoicePath.Incoming, inbound(callSid))).children.find((c) => c.name === 'Dial');
    const leg = { CallSid: `${callSid}leg`, AccountSid: inbound('x').AccountSid ?? '', From: JOHNS_NUMBER, To: '+15551230001', CallStatus: 'in-progress', ParentCallSid: callSid };
    rig.clock.advanceBy(5000);
    const whisper = await rig.post(dial?.children[0]?.attributes.url ?? '', leg);
    rig.clock.advanceBy(3000);
    const acceptedAt = rig.clock.now();
    await rig.post(whisper.children.find((c) => c.name === 'Gather')?.attributes.action ?? '', { ...leg, Digits: '1' });
    return { action: dial?.attributes.action ?? '', acceptedAt };
  }

  it('confirm on: a phone that pressed 1 whose Dial action never comes was connected, not a missed call', async () => {
    const { store } = rig.app.deps;
    const { acceptedAt } = await officePressesOne('CA00000000000000000000000000000308');
    rig.clock.advanceBy(60_000);
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000308'));
    await sweepFor(15_000);
    const log = await store.getCall('CA00000000000000000000000000000308');
    expect(log?.outcome).toBe('connected');
    expect(log?.events.find((e) => e.type === 'connected')?.at).toBe(acceptedAt);
    expect(hook.received).toHaveLength(0);

    // the owner reads the timeline in time order: the conversation (learnt when the call was settled) before its end
    const shown = await request(rig.app.server).get('/api/calls/CA00000000000000000000000000000308').set(asAdmin);
    const types = (shown.body as CallRecord).events.map((e) => e.type);
    expect(types.indexOf('connected')).toBeGreaterThan(types.indexOf('leg-accepted'));
    expect(types.indexOf('connected')).toBeLessThan(types.indexOf('ended'));
    const times = (shown.body as CallRecord).events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('confirm on: a phone that pressed 1 but was not put through, then a caller who left no message, is a missed call', async () => {
    const { store } = rig.app.deps;
    const { action } = await officePressesOne('CA00000000000000000000000000000309');
    // the phone was gone before the bridge: the Dial is reported not bridged, and the caller goes on to voicemail
    const voicemail = await rig.post(action, inbound('CA00000000000000000000000000000309', JOHNS_NUMBER, {
      CallStatus: 'in-progress', DialCallStatus: 'completed', DialBridged: 'false', DialCallSid: 'CAee000000000000000000000000000309', DialCallDuration: '3',
    }));
    expect(voicemail.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    // the caller hangs up during the greeting: no Record action
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000309'));
    await sweepFor(15_000);
    const log = await store.getCall('CA00000000000000000000000000000309');
    expect(log?.outcome).toBe('missed');
    expect(log?.events.some((e) => e.type === 'connected')).toBe(false);
    expect(hook.events().map((e) => e.type)).toEqual(['missed-call']);
  });

  it('a caller who hung up mid-message is not a missed call, even when the store drops the Record action\'s call-log line', async () => {
    const action = dialAction(await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000310')));
    const voicemail = await rig.post(action, inbound('CA00000000000000000000000000000310', JOHNS_NUMBER, { CallStatus: 'in-progress', DialCallStatus: 'no-answer' }));
    const recordAction = voicemail.children.find((c) => c.name === 'Record')?.attributes.action ?? '';
    // the status callback comes first, then the Record action (Twilio requests it after a hang-up while recording)
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000310'));
    const { store } = rig.app.deps;
    failOnce(store, 'appendCallEvent');
    await rig.post(recordAction, inbound('CA00000000000000000000000000000310', JOHNS_NUMBER, {
      CallStatus: 'completed', RecordingSid: 'RE00000000000000000000000000000310', RecordingUrl: 'https://x/RE00000000000000000000000000000310', RecordingDuration: '12', Digits: 'hangup',
    }));
    await sweepFor(15_000);
    expect((await store.getCall('CA00000000000000000000000000000310'))?.outcome).toBe('voicemail');
    expect(hook.events().map((e) => e.type)).not.toContain('missed-call');
  });

  it('an answered call whose status callback comes before its Dial action is connected, not a missed call', async () => {
    const action = dialAction(await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000304')));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000304'));
    await rig.post(action, inbound('CA00000000000000000000000000000304', JOHNS_NUMBER, {
      CallStatus: 'completed', DialCallStatus: 'completed', DialBridged: 'true', DialCallSid: 'CAee000000000000000000000000000304', DialCallDuration: '60',
    }));
    await sweepFor(15_000);
    expect((await rig.app.deps.store.getCall('CA00000000000000000000000000000304'))?.outcome).toBe('connected');
    expect(hook.received).toHaveLength(0);
  });

  it('a caller who hangs up during the voicemail greeting, leaving no message, is announced as a missed call', async () => {
    const action = dialAction(await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000305')));
    const voicemail = await rig.post(action, inbound('CA00000000000000000000000000000305', JOHNS_NUMBER, { CallStatus: 'in-progress', DialCallStatus: 'no-answer' }));
    expect(voicemail.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    // no Record action: nothing was recorded
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000305'));
    await sweepFor(15_000);
    expect(hook.events().map((e) => e.type)).toEqual(['missed-call']);
    expect((await rig.app.deps.store.getCall('CA00000000000000000000000000000305'))?.outcome).toBe('missed');
  });

  it('a call that was answered is not a missed call', async () => {
    const dial = await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000301'));
    const action = dial.children.find((c) => c.name === 'Dial')?.attributes.action ?? '';
    await rig.post(action, inbound('CA00000000000000000000000000000301', JOHNS_NUMBER, { CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallSid: 'CAee000000000000000000000000000301', DialCallDuration: '60' }));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000301'));
    await rig.settle();
    expect(hook.received).toHaveLength(0);
  });

  it('a caller who leaves a voicemail is announced for the voicemail only', async () => {
    await rig.leaveVoicemail('CA00000000000000000000000000000302', 'RE00000000000000000000000000000302');
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000302'));
    await rig.settle();
    expect(hook.events().map((e) => e.type)).toEqual(['voicemail']);
  });
});

describe('Extend Ring', () => {
  /** The hunt and call log the incoming webhook leaves for a caller put on hold. */
  async function callerOnHold(callSid: string): Promise<void> {
    const { store } = rig.app.deps;
    const [rule] = await store.listRules({ userId: john.id });
    const owner = await store.getUser(john.id);
    if (!rule || !owner) throw new Error('John and his rule must exist');
    const now = rig.clock.now();
    await store.createHunt(newHunt({ callSid, owner, from: CALLER, to: JOHNS_NUMBER, rule, now }), 3600);
    await store.createCall({
      callSid, userId: john.id, from: CALLER, to: JOHNS_NUMBER, ruleId: rule.id, ruleName: rule.name, mode: 'extendRing',
      startedAt: new Date(now).toISOString(), events: [{ at: now, type: 'incoming' }],
    });
  }

  beforeEach(async () => {
    john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, { mode: 'extendRing', name: 'Hold and ring' });
  });

  it('a callback number confirmed on hold is announced once with the number', async () => {
    await callerOnHold('CA00000000000000000000000000000310');
    const confirm = `${VoicePath.ExtendRingCallbackConfirm}?number=15551112222`;
    await rig.post(confirm, inbound('CA00000000000000000000000000000310', JOHNS_NUMBER, { CallStatus: 'in-progress', Digits: '1' }));
    await rig.post(confirm, inbound('CA00000000000000000000000000000310', JOHNS_NUMBER, { CallStatus: 'in-progress', Digits: '1' }));
    await rig.settle();
    expect(hook.events()).toEqual([{
      type: 'callback',
      id: 'evt_callback_cbk_CA00000000000000000000000000000310',
      occurredAt: expect.any(String),
      user: { id: john.id, name: 'John' },
      call: { callSid: 'CA00000000000000000000000000000310', from: CALLER, to: JOHNS_NUMBER },
      callback: { id: 'cbk_CA00000000000000000000000000000310', number: '15551112222', status: 'open' },
    }]);
  });

  it('a caller who hangs up on hold is one missed call, though the queue and the status callback both report it', async () => {
    await callerOnHold('CA00000000000000000000000000000311');
    await rig.post(VoicePath.ExtendRingQueueExit, inbound('CA00000000000000000000000000000311', JOHNS_NUMBER, { CallStatus: 'completed', QueueResult: 'hangup' }));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000311'));
    await rig.settle();
    const events = hook.events();
    expect(events.map((e) => e.type)).toEqual(['missed-call']);
    expect(events[0]).toMatchObject({ call: { callSid: 'CA00000000000000000000000000000311' }, missedCall: { outcome: 'missed', mode: 'extendRing', ruleName: 'Hold and ring' } });
  });

  it('a hang-up on hold only the status callback reports, whose outcome the store failed to record, is one missed call', async () => {
    await callerOnHold('CA00000000000000000000000000000314');
    const { store } = rig.app.deps;
    failOnce(store, 'finishCall');
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000314'));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000314'));
    await rig.settle();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'missed-call', missedCall: expect.objectContaining({ outcome: 'missed' }) })]);
    const log = await store.getCall('CA00000000000000000000000000000314');
    expect(log?.outcome).toBe('missed');
    expect(log?.events.filter((e) => e.type === 'abandoned' || e.type === 'ended')).toHaveLength(2);
  });

  it('a hang-up on hold that an older version logged as abandoned is announced as missed (a retry after an upgrade)', async () => {
    await callerOnHold('CA00000000000000000000000000000313');
    const { store, notifier } = rig.app.deps;
    await store.finishCall('CA00000000000000000000000000000313', 'abandoned', new Date(rig.clock.now()).toISOString());
    notifier?.callMissed('CA00000000000000000000000000000313');
    await rig.settle();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'missed-call', missedCall: expect.objectContaining({ outcome: 'missed' }) })]);
  });

  it('a caller whose hang-up on hold only the status callback reports is one missed call too', async () => {
    await callerOnHold('CA00000000000000000000000000000312');
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000312'));
    await rig.post(VoicePath.Status, completed('CA00000000000000000000000000000312'));
    await rig.settle();
    expect(hook.events()).toEqual([expect.objectContaining({ type: 'missed-call', call: { callSid: 'CA00000000000000000000000000000312', from: CALLER, to: JOHNS_NUMBER } })]);
  });
});
