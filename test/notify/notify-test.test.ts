import request from 'supertest';
import { verifyNotificationSignature, DEFAULT_RETRY_POLICY } from '../../src/notify';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { JOHNS_NUMBER, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver, type Answer } from './receiver';

/**
 * POST /api/users/:id/notify-test: an administrator checks that a user's receiver works. One signed `test` event,
 * sent at once and never again, and the answer says what the receiver did.
 */

let rig: NotifyRig;
let receivers: Receiver[] = [];

async function receiver(...answers: Answer[]): Promise<Receiver> {
  const r = await Receiver.start(answers.length > 0 ? answers : [200]);
  receivers.push(r);
  return r;
}

afterEach(async () => {
  await rig.close();
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

const asAdmin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const sendTest = (userId: string, headers: Record<string, string> = asAdmin) =>
  request(rig.app.server).post(`/api/users/${userId}/notify-test`).set(headers);

describe('an administrator sends a test notification to a user\'s receiver', () => {
  it('the receiver gets one signed test event naming the user, and the administrator reads "delivered" with its status', async () => {
    const hook = await receiver(204);
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: hook.url });

    const res = await sendTest(john.id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ delivered: true, status: 204 });
    expect(hook.received).toHaveLength(1);
    const [sent] = hook.received;
    const event = JSON.parse(sent?.body ?? '');
    expect(event).toEqual({ type: 'test', id: expect.stringMatching(/^evt_test_/), occurredAt: '2026-03-03T15:00:00.000Z', user: { id: john.id, name: 'John' } });
    expect(sent?.headers['x-notify-event-id']).toBe(event.id);
    expect(verifyNotificationSignature(SIGNING_SECRET, String(sent?.headers['x-notify-timestamp']), sent?.body ?? '', String(sent?.headers['x-notify-signature']))).toBe(true);
  });

  it('a user without a notifyUrl is tested on NOTIFY_WEBHOOK_URL', async () => {
    const global = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: global.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });

    expect((await sendTest(john.id)).body).toEqual({ delivered: true, status: 200 });
    expect(global.events().map((e) => e.type)).toEqual(['test']);
  });

  it('a receiver answering 503 is reported as not delivered with its status, and the test is not retried', async () => {
    const hook = await receiver(503);
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: hook.url });

    const res = await sendTest(john.id);
    await rig.settle();
    await rig.advance(120_000);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ delivered: false, status: 503, reason: 'HTTP 503' });
    expect(hook.received).toHaveLength(1);
  });

  it('a receiver that cannot be reached is reported with the network error, and never with the URL\'s password', async () => {
    const gone = await receiver();
    await gone.close();
    receivers = [];
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const notifyUrl = gone.url.replace('http://', 'http://hooks:pa55word-s3cret@');
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl });

    const res = await sendTest(john.id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ delivered: false, reason: expect.stringContaining('fetch failed') });
    expect(JSON.stringify(res.body)).not.toContain('pa55word-s3cret');
  });

  it('a receiver that never answers is reported after the notifier\'s request timeout, and a second test meanwhile is refused with 409', async () => {
    const hook = await receiver('hang');
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { notifyRetry: { ...DEFAULT_RETRY_POLICY, requestTimeoutMs: 1000 } });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: hook.url });

    const first = sendTest(john.id).then((r) => r);
    for (let i = 0; i < 200 && hook.received.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    const second = await sendTest(john.id);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('notify_test_in_progress');

    expect((await first).body).toEqual({ delivered: false, reason: 'no answer within 1000 ms' });
    expect(hook.received).toHaveLength(1);
  });

  it('with neither a notifyUrl nor NOTIFY_WEBHOOK_URL the answer is 409 no_receiver, saying why', async () => {
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });

    const res = await sendTest(john.id);

    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'no_receiver', message: expect.stringContaining('NOTIFY_WEBHOOK_URL'), details: [] });
  });

  it('a user may not send one, even to their own receiver (403), and an unknown user is 404; nothing is sent', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: hook.url });

    expect((await sendTest(john.id, { Authorization: `Bearer ${john.token}` })).status).toBe(403);
    expect((await sendTest('usr_nobody')).status).toBe(404);
    expect(hook.received).toHaveLength(0);
  });
});
