import { verifyNotificationSignature } from '../../src/notify';
import { createLogger } from '../../src/log';
import { DEFAULT_RETRY_POLICY } from '../../src/notify/notifier';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { RedisStore } from '../../src/store/redis';
import { silentLogger } from '../../src/log';
import { newHunt } from '../../src/domain/hunt-plan';
import { VoicePath } from '../../src/voice/urls';
import { failOnce } from '../support/faults';
import { describeRedis } from '../support/redis';
import { storeFactories } from '../support/stores';
import type { Store } from '../../src/store/store';
import { CALLER, inbound, JOHNS_NUMBER, RIG_START, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver, type Answer } from './receiver';

/**
 * A receiver that is down or busy gets the event again later: after 1 s, 2 s, 4 s … (virtual time), each wait twice
 * the last and at most an hour, 16 attempts in all over about 4 hours; 5xx, 429, 408, a dropped connection or no answer are
 * retried, other refusals are not. A retry waits in the store, not in the instance: a deploy loses none.
 */

let rig: NotifyRig;
let hook: Receiver;
let logLines: Array<{ level: number; msg: string; [key: string]: unknown }>;

const WARN = 40;

async function start(answers: Answer[], requestTimeoutMs = DEFAULT_RETRY_POLICY.requestTimeoutMs, rule: Record<string, unknown> = {}): Promise<void> {
  hook = await Receiver.start(answers);
  logLines = [];
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
  rig = await startNotifyRig(
    { NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET },
    { logger, notifyRetry: { ...DEFAULT_RETRY_POLICY, requestTimeoutMs } },
  );
  await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] }, rule);
}

/** Moves virtual time on and lets the attempts that became due finish. */
const wait = (ms: number): Promise<void> => rig.advance(ms);

afterEach(async () => {
  await rig.close();
  await hook.close();
});

it('a receiver answering 503 twice gets the event on the third attempt, after 1 s and 2 s more', async () => {
  await start([503, 503, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000200', 'RE00000000000000000000000000000200');
  await rig.settle();
  expect(hook.received).toHaveLength(1);

  await wait(999);
  expect(hook.received).toHaveLength(1);
  await wait(1);
  expect(hook.received).toHaveLength(2);
  await wait(1999);
  expect(hook.received).toHaveLength(2);
  await wait(1);
  expect(hook.received).toHaveLength(3);

  await wait(60_000);
  expect(hook.received).toHaveLength(3);
  const ids = hook.received.map((r) => r.headers['x-notify-event-id']);
  expect(new Set(ids).size).toBe(1);
  expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
  for (const r of hook.received) {
    expect(verifyNotificationSignature(SIGNING_SECRET, String(r.headers['x-notify-timestamp']), r.body, String(r.headers['x-notify-signature']))).toBe(true);
  }
  expect(hook.received.map((r) => Number(r.headers['x-notify-timestamp']) - Number(hook.received[0]?.headers['x-notify-timestamp']))).toEqual([0, 1, 3]);
});

it('a receiver that keeps failing is tried 16 times over about 4 hours (waits of 1 s doubling to at most 1 h), then given up with a warning', async () => {
  await start([500]);
  await rig.leaveVoicemail('CA00000000000000000000000000000201', 'RE00000000000000000000000000000201');
  await rig.settle();
  const waitsS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600];
  for (const s of waitsS) {
    // most of the wait in one jump, then the last second tick by tick
    rig.clock.advanceBy(s * 1000 - 1000);
    await rig.settle();
    await wait(1000);
  }
  expect(hook.received).toHaveLength(16);
  const sentAt = hook.received.map((r) => Number(r.headers['x-notify-timestamp']) - Number(hook.received[0]?.headers['x-notify-timestamp']));
  expect(sentAt).toEqual([0, ...waitsS.map((_, i) => waitsS.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
  rig.clock.advanceBy(24 * 3_600_000);
  await wait(1000);
  expect(hook.received).toHaveLength(16);
  const warnings = logLines.filter((l) => l.level === WARN && /giving up/.test(l.msg));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ eventId: 'evt_voicemail_RE00000000000000000000000000000201', attempt: 16 });
  expect(await rig.app.deps.store.claimDueDeadlines(rig.clock.now() + 365 * 24 * 3_600_000, 10)).toEqual([]);
});

it('an operator who logs warnings only learns of a receiver that is down at its first failed attempt, once per event, not 4 hours later', async () => {
  await start([503]);
  await rig.leaveVoicemail('CA00000000000000000000000000000213', 'RE00000000000000000000000000000213');
  await rig.settle();
  await wait(1000 + 2000 + 4000);
  expect(hook.received).toHaveLength(4);
  const warnings = logLines.filter((l) => l.level >= WARN);
  expect(warnings).toEqual([expect.objectContaining({
    msg: 'notify: attempt failed: will retry', attempt: 1, reason: 'HTTP 503',
    receiver: new URL(hook.url).origin, eventId: 'evt_voicemail_RE00000000000000000000000000000213',
  })]);
  expect(logLines.filter((l) => /attempt failed/.test(l.msg)).map((l) => l.attempt)).toEqual([1, 2, 3, 4]);
  expect(JSON.stringify(logLines)).not.toContain(SIGNING_SECRET);
});

it('a receiver asking to wait (Retry-After: 120) gets the next attempt after 2 minutes, not 1 s', async () => {
  await start([{ status: 503, retryAfter: '120' }, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000206', 'RE00000000000000000000000000000206');
  await rig.settle();
  rig.clock.advanceBy(119_000);
  await rig.settle();
  await wait(750);
  expect(hook.received).toHaveLength(1);
  await wait(250);
  expect(hook.received).toHaveLength(2);
});

it('a store failure while the event is first built does not lose it: it is built again and sent 1 s later', async () => {
  await start([200]);
  failOnce(rig.app.deps.store, 'getUser');
  await rig.leaveVoicemail('CA00000000000000000000000000000208', 'RE00000000000000000000000000000208');
  await rig.settle();
  expect(hook.received).toHaveLength(0);
  await wait(1000);
  expect(hook.events().map((e) => e.id)).toEqual(['evt_voicemail_RE00000000000000000000000000000208']);
});

it('a voicemail deleted before its retry is not sent again', async () => {
  await start([503, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000207', 'RE00000000000000000000000000000207');
  await rig.settle();
  await rig.app.deps.store.deleteVoicemail('RE00000000000000000000000000000207');
  await wait(60_000);
  expect(hook.received).toHaveLength(1);
  expect(logLines.some((l) => /is gone: retry not sent/.test(l.msg))).toBe(true);
});

it('429 (too many requests) is retried like a server error', async () => {
  await start([429, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000202', 'RE00000000000000000000000000000202');
  await rig.settle();
  await wait(1000);
  expect(hook.received).toHaveLength(2);
});

it('408 (the receiver or its proxy gave up waiting for the request) is retried, as HTTP says a client may', async () => {
  await start([408, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000209', 'RE00000000000000000000000000000209');
  await rig.settle();
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});

it('a connection dropped without an answer is retried', async () => {
  await start(['drop', 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000203', 'RE00000000000000000000000000000203');
  await rig.settle();
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});

it('a refusal such as 404 or 400 is not retried, and is logged as a warning', async () => {
  await start([404, 200]);
  await rig.leaveVoicemail('CA00000000000000000000000000000204', 'RE00000000000000000000000000000204');
  await rig.settle();
  await wait(10 * 60_000);
  expect(hook.received).toHaveLength(1);
  expect(logLines.filter((l) => l.level === WARN && /refused/.test(l.msg))).toHaveLength(1);
});

it('a receiver that never answers delays neither the webhook nor the next attempt (each attempt has a short timeout)', async () => {
  await start(['hang', 200], 1000);
  await rig.leaveVoicemail('CA00000000000000000000000000000205', 'RE00000000000000000000000000000205');
  expect(rig.app.deps.background.size).toBeGreaterThan(0);
  await rig.settle();
  expect(hook.received).toHaveLength(1);
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});

it('an attempt still waiting for its answer is not sent again meanwhile: the next one waits for its timeout as well', async () => {
  await start(['hang', 200], 2000);
  await rig.leaveVoicemail('CA00000000000000000000000000000209', 'RE00000000000000000000000000000209');
  // the first attempt is in flight (no answer yet) while 1.5 s of virtual time pass, tick by tick: more than the first wait of 1 s
  while (hook.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  for (let passed = 0; passed < 1500; passed += 250) {
    rig.clock.advanceBy(250);
    await rig.app.sweeper?.idle();
  }
  await rig.settle();
  expect(hook.received).toHaveLength(1);
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});

it('while an attempt waits for its answer, its next attempt already waits in the store: an instance stopped mid-attempt loses no event', async () => {
  await start(['hang'], 1000);
  await rig.leaveVoicemail('CA00000000000000000000000000000213', 'RE00000000000000000000000000000213');
  while (hook.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(await rig.app.deps.store.claimDueDeadlines(rig.clock.now() + 3_600_000, 10)).toEqual(['notify/voicemail/RE00000000000000000000000000000213/2']);
  await rig.settle();
});

it('a missed call whose receiver was down is sent again, the same event', async () => {
  await start([503, 200]);
  const completed = inbound('CA00000000000000000000000000000211', JOHNS_NUMBER, { CallStatus: 'completed', CallDuration: '25' });
  const dial = (await rig.post(VoicePath.Incoming, inbound('CA00000000000000000000000000000211'))).children.find((c) => c.name === 'Dial');
  await rig.post(VoicePath.Status, completed);
  await rig.post(dial?.attributes.action ?? '', inbound('CA00000000000000000000000000000211', JOHNS_NUMBER, { CallStatus: 'completed', DialCallStatus: 'canceled' }));
  await rig.settle();
  expect(hook.received).toHaveLength(1);
  await wait(1000);
  expect(hook.events().map((e) => e.id)).toEqual(['evt_missed-call_CA00000000000000000000000000000211', 'evt_missed-call_CA00000000000000000000000000000211']);
  expect(logLines.some((l) => /is gone: retry not sent/.test(l.msg))).toBe(false);
});

it('a callback number whose receiver was down is sent again, the same event', async () => {
  await start([503, 200], DEFAULT_RETRY_POLICY.requestTimeoutMs, { mode: 'extendRing', name: 'Hold and ring' });
  // a caller on hold, as the incoming webhook leaves them, keys in a number to be called back on
  const { store } = rig.app.deps;
  const [rule] = await store.listRules();
  const owner = rule && await store.getUser(rule.userId);
  if (!rule || !owner) throw new Error('John and his rule must exist');
  const now = rig.clock.now();
  await store.createHunt(newHunt({ callSid: 'CA00000000000000000000000000000212', owner, from: CALLER, to: JOHNS_NUMBER, rule, now }), 3600);
  await store.createCall({
    callSid: 'CA00000000000000000000000000000212', userId: owner.id, from: CALLER, to: JOHNS_NUMBER, ruleId: rule.id, ruleName: rule.name, mode: 'extendRing',
    startedAt: new Date(now).toISOString(), events: [{ at: now, type: 'incoming' }],
  });
  await rig.post(`${VoicePath.ExtendRingCallbackConfirm}?number=15551112222`, inbound('CA00000000000000000000000000000212', JOHNS_NUMBER, { CallStatus: 'in-progress', Digits: '1' }));
  await rig.settle();
  expect(hook.received).toHaveLength(1);
  await wait(1000);
  expect(hook.events().map((e) => e.id)).toEqual(['evt_callback_cbk_CA00000000000000000000000000000212', 'evt_callback_cbk_CA00000000000000000000000000000212']);
  expect(hook.events()[1]).toMatchObject({ callback: { number: '15551112222' } });
});

/** After `skip` of them, the store refuses the next `times` notification retry entries (a Redis outage of a few seconds); the rest work. */
function refuseRetryEntries(store: Store, times: number, skip = 0): void {
  const setDeadline = store.setDeadline.bind(store);
  let seen = 0;
  store.setDeadline = async (key, dueMs) => {
    if (!key.startsWith('notify/')) return setDeadline(key, dueMs);
    seen += 1;
    if (seen <= skip || seen > skip + times) return setDeadline(key, dueMs);
    throw new Error('Command timed out');
  };
}

describe.each(storeFactories())('a store that cannot keep the next attempt for a moment ($name store)', (factory) => {
  afterAll(() => factory.cleanup());

  async function startOn(answers: Answer[]): Promise<void> {
    hook = await Receiver.start(answers);
    logLines = [];
    const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
    const clock = new VirtualClock(RIG_START);
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { clock, logger, store: await factory.make(() => clock.now()) });
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
  }

  it('a receiver that failed while the store was out still gets the event 1 s later, from this instance', async () => {
    await startOn([503, 200]);
    refuseRetryEntries(rig.app.deps.store, 2);
    await rig.leaveVoicemail('CA00000000000000000000000000000214', 'RE00000000000000000000000000000214');
    await rig.settle();
    expect(hook.received).toHaveLength(1);
    await wait(1000);
    expect(hook.events().map((e) => e.id)).toEqual(['evt_voicemail_RE00000000000000000000000000000214', 'evt_voicemail_RE00000000000000000000000000000214']);
    expect(logLines.filter((l) => /this instance keeps the next attempt/.test(l.msg))).toEqual([expect.objectContaining({ attempt: 2, retryInMs: 1000 })]);
    await wait(60_000);
    expect(hook.received).toHaveLength(2);
  });

  it('when the store kept the attempt\'s next entry but could not move it sooner, the receiver gets the event once more, not twice', async () => {
    await startOn([503, 200]);
    refuseRetryEntries(rig.app.deps.store, 1, 1);
    await rig.leaveVoicemail('CA00000000000000000000000000000216', 'RE00000000000000000000000000000216');
    await rig.settle();
    await wait(60_000);
    expect(hook.received).toHaveLength(2);
  });

  it('an event the store failed to build while it could not keep the next attempt either is built again and sent 1 s later', async () => {
    await startOn([200]);
    failOnce(rig.app.deps.store, 'getUser');
    refuseRetryEntries(rig.app.deps.store, 1);
    await rig.leaveVoicemail('CA00000000000000000000000000000215', 'RE00000000000000000000000000000215');
    await rig.settle();
    expect(hook.received).toHaveLength(0);
    await wait(1000);
    expect(hook.events().map((e) => e.id)).toEqual(['evt_voicemail_RE00000000000000000000000000000215']);
    await wait(60_000);
    expect(hook.received).toHaveLength(1);
  });
});

describeRedis('notification retries kept in Redis', (redis) => {
  it('a retry the instance that took the voicemail had scheduled is sent by another instance once the first has stopped (a deploy)', async () => {
    hook = await Receiver.start([503, 200]);
    logLines = [];
    const clock = new VirtualClock(RIG_START);
    const prefix = redis.subPrefix();
    const storeOf = (): RedisStore => new RedisStore({ url: redis.url, prefix, logger: silentLogger, now: () => clock.now() });
    const env = { NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET };
    const first = await startNotifyRig(env, { clock, store: storeOf() });
    await first.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    await first.leaveVoicemail('CA00000000000000000000000000000210', 'RE00000000000000000000000000000210');
    await first.settle();
    expect(hook.received).toHaveLength(1);
    await first.close();

    rig = await startNotifyRig(env, { clock, store: storeOf() });
    await rig.advance(1000);
    expect(hook.received).toHaveLength(2);
    expect(new Set(hook.received.map((r) => r.headers['x-notify-event-id']))).toEqual(new Set(['evt_voicemail_RE00000000000000000000000000000210']));
    await rig.advance(10_000);
    expect(hook.received).toHaveLength(2);
  });
});
