import { verifyNotificationSignature } from '../../src/notify';
import { createLogger } from '../../src/log';
import { DEFAULT_RETRY_POLICY } from '../../src/notify/notifier';
import { JOHNS_NUMBER, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver, type Answer } from './receiver';

/**
 * A receiver that is down or busy gets the event again later: after 1 s, 2 s, 4 s and 8 s (virtual time), five
 * attempts in all; 5xx, 429, a dropped connection or no answer are retried, other refusals are not.
 */

let rig: NotifyRig;
let hook: Receiver;
let logLines: Array<{ level: number; msg: string; [key: string]: unknown }>;

const WARN = 40;

async function start(answers: Answer[], requestTimeoutMs = DEFAULT_RETRY_POLICY.requestTimeoutMs): Promise<void> {
  hook = await Receiver.start(answers);
  logLines = [];
  const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
  rig = await startNotifyRig(
    { NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET },
    { logger, notifyRetry: { ...DEFAULT_RETRY_POLICY, requestTimeoutMs } },
  );
  await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
}

/** Moves virtual time on and lets the attempts that became due finish. */
async function wait(ms: number): Promise<void> {
  rig.clock.advanceBy(ms);
  await rig.settle();
}

afterEach(async () => {
  await rig.close();
  await hook.close();
});

it('a receiver answering 503 twice gets the event on the third attempt, after 1 s and 2 s more', async () => {
  await start([503, 503, 200]);
  await rig.leaveVoicemail('CA200', 'RE200');
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

it('a receiver that keeps failing is tried five times in all (waits of 1, 2, 4, 8 s), then given up with a warning', async () => {
  await start([500]);
  await rig.leaveVoicemail('CA201', 'RE201');
  await rig.settle();
  for (const ms of [1000, 2000, 4000, 8000]) await wait(ms);
  expect(hook.received).toHaveLength(5);
  await wait(10 * 60_000);
  expect(hook.received).toHaveLength(5);
  const warnings = logLines.filter((l) => l.level === WARN && /giving up/.test(l.msg));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ eventId: 'evt_voicemail_RE201', attempt: 5 });
});

it('429 (too many requests) is retried like a server error', async () => {
  await start([429, 200]);
  await rig.leaveVoicemail('CA202', 'RE202');
  await rig.settle();
  await wait(1000);
  expect(hook.received).toHaveLength(2);
});

it('a connection dropped without an answer is retried', async () => {
  await start(['drop', 200]);
  await rig.leaveVoicemail('CA203', 'RE203');
  await rig.settle();
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});

it('a refusal such as 404 or 400 is not retried, and is logged as a warning', async () => {
  await start([404, 200]);
  await rig.leaveVoicemail('CA204', 'RE204');
  await rig.settle();
  await wait(10 * 60_000);
  expect(hook.received).toHaveLength(1);
  expect(logLines.filter((l) => l.level === WARN && /refused/.test(l.msg))).toHaveLength(1);
});

it('a receiver that never answers delays neither the webhook nor the next attempt (each attempt has a short timeout)', async () => {
  await start(['hang', 200], 1000);
  await rig.leaveVoicemail('CA205', 'RE205');
  expect(rig.app.deps.background.size).toBeGreaterThan(0);
  await rig.settle();
  expect(hook.received).toHaveLength(1);
  await wait(1000);
  expect(hook.received).toHaveLength(2);
  expect(logLines.some((l) => /delivered/.test(l.msg) && l.attempt === 2)).toBe(true);
});
