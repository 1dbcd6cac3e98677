import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createLogger } from '../../src/log';
import { NotifyHeader, verifyNotificationSignature } from '../../src/notify';
import { JOHNS_NUMBER, MARYS_NUMBER, SIGNING_SECRET, startNotifyRig, type NotifyRig } from './helpers';
import { Receiver, type Answer } from './receiver';

/** A voicemail is left: the owner's system is told, once, with a signed JSON event. */

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

describe('a stored voicemail is announced to the webhook', () => {
  it('the receiver gets one JSON event describing the voicemail, its id in X-Notify-Event-Id', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    await rig.leaveVoicemail('CA00000000000000000000000000000100', 'RE00000000000000000000000000000100');
    await rig.settle();

    expect(hook.received).toHaveLength(1);
    const [request] = hook.received;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      type: 'voicemail',
      id: expect.any(String),
      occurredAt: '2026-03-03T15:00:00.000Z',
      user: { id: john.id, name: 'John' },
      call: { callSid: 'CA00000000000000000000000000000100', from: '+15557654321', to: JOHNS_NUMBER },
      voicemail: {
        id: 'RE00000000000000000000000000000100',
        durationSeconds: 17,
        ruleId: expect.any(String),
        recordingUrl: expect.stringMatching(/\/Recordings\/RE00000000000000000000000000000100$/),
        audioUrl: `${rig.app.baseUrl}/api/voicemails/RE00000000000000000000000000000100/audio`,
      },
    });
    expect(request?.headers[NotifyHeader.EventId.toLowerCase()]).toBe(JSON.parse(request?.body ?? '').id);
  });

  it('the signature verifies with the exported helper and with a plain HMAC-SHA256 over "timestamp.body"', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    await rig.leaveVoicemail('CA00000000000000000000000000000101', 'RE00000000000000000000000000000101');
    await rig.settle();

    const { headers, body } = hook.received[0] ?? { headers: {}, body: '' };
    const timestamp = String(headers['x-notify-timestamp']);
    const signature = String(headers['x-notify-signature']);
    expect(timestamp).toBe(String(Date.parse('2026-03-03T15:00:00.000Z') / 1000));
    expect(verifyNotificationSignature(SIGNING_SECRET, timestamp, body, signature)).toBe(true);
    const independent = createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(signature).toBe(`sha256=${independent}`);
    expect(verifyNotificationSignature('another-secret-0123456789', timestamp, body, signature)).toBe(false);
  });

  it('Twilio repeating the recording callback does not announce the voicemail twice', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    const { url, params } = await rig.leaveVoicemail('CA00000000000000000000000000000102', 'RE00000000000000000000000000000102');
    await rig.post(url, params);
    await rig.post(url, params);
    await rig.settle();
    expect(hook.events().map((e) => e.type)).toEqual(['voicemail']);
  });

  it("a user's own notifyUrl is used instead of the global webhook", async () => {
    const global = await receiver();
    const johns = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: global.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: johns.url });
    await rig.createUserWithRule({ name: 'Mary', numbers: [MARYS_NUMBER] });
    await rig.leaveVoicemail('CA00000000000000000000000000000103', 'RE00000000000000000000000000000103', JOHNS_NUMBER);
    await rig.leaveVoicemail('CA00000000000000000000000000000104', 'RE00000000000000000000000000000104', MARYS_NUMBER);
    await rig.settle();
    expect(johns.events().map((e) => (e.call as { callSid: string }).callSid)).toEqual(['CA00000000000000000000000000000103']);
    expect(global.events().map((e) => (e.call as { callSid: string }).callSid)).toEqual(['CA00000000000000000000000000000104']);
  });

  it('without a signing secret the event is sent unsigned (timestamp and event id still present)', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url });
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    await rig.leaveVoicemail('CA00000000000000000000000000000105', 'RE00000000000000000000000000000105');
    await rig.settle();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.headers['x-notify-signature']).toBeUndefined();
    expect(hook.received[0]?.headers['x-notify-timestamp']).toMatch(/^\d+$/);
    expect(hook.received[0]?.headers['x-notify-event-id']).toBe('evt_voicemail_RE00000000000000000000000000000105');
  });

  it('a voicemail John deleted does not come back, nor is it announced again, when Twilio repeats the recording callback', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    const { url, params } = await rig.leaveVoicemail('CA00000000000000000000000000000108', 'RE00000000000000000000000000000108');
    await rig.settle();
    const deleted = await request(rig.app.server).delete('/api/voicemails/RE00000000000000000000000000000108').set('Authorization', `Bearer ${john.token}`);
    expect(deleted.status).toBe(204);

    await rig.post(url, params);
    await rig.settle();
    expect(await rig.app.deps.store.listVoicemails({ userId: john.id })).toEqual([]);
    expect(hook.events().map((e) => e.type)).toEqual(['voicemail']);
  });

  it('with neither a notifyUrl nor NOTIFY_WEBHOOK_URL the voicemail is stored and nothing is sent', async () => {
    const bystander = await receiver();
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    const john = await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER] });
    await rig.leaveVoicemail('CA00000000000000000000000000000106', 'RE00000000000000000000000000000106');
    await rig.settle();
    expect(bystander.received).toHaveLength(0);
    expect(await rig.app.deps.store.listVoicemails({ userId: john.id })).toHaveLength(1);
  });
});

describe('a notification URL with a user and password in it (basic auth)', () => {
  it('gets the event with Basic auth, and the password never reaches the logs', async () => {
    const hook = await receiver();
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { logger });
    const notifyUrl = hook.url.replace('http://', 'http://hooks:pa55word-s3cret@');
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl });
    await rig.leaveVoicemail('CA00000000000000000000000000000107', 'RE00000000000000000000000000000107');
    await rig.settle();
    await rig.advance(60_000);

    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('hooks:pa55word-s3cret').toString('base64')}`);
    expect(lines.join('\n')).not.toContain('pa55word-s3cret');
  });

  it('a password with characters a URL must escape is sent as typed, and a user with no password (an API key) is sent too', async () => {
    const hook = await receiver();
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET });
    // "p@ss:w/rd" and "hook user", percent-encoded as a URL carries them
    const encoded = hook.url.replace('http://', 'http://hook%20user:p%40ss%3Aw%2Frd@');
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl: encoded });
    await rig.createUserWithRule({ name: 'Mary', numbers: [MARYS_NUMBER], notifyUrl: hook.url.replace('http://', 'http://key_0123456789@') });
    await rig.leaveVoicemail('CA00000000000000000000000000000108', 'RE00000000000000000000000000000108');
    await rig.leaveVoicemail('CA00000000000000000000000000000110', 'RE00000000000000000000000000000110', MARYS_NUMBER);
    await rig.settle();

    const authOf = (callSid: string) => hook.received.find((r) => r.body.includes(callSid))?.headers.authorization;
    expect(authOf('CA00000000000000000000000000000108')).toBe(`Basic ${Buffer.from('hook user:p@ss:w/rd').toString('base64')}`);
    expect(authOf('CA00000000000000000000000000000110')).toBe(`Basic ${Buffer.from('key_0123456789:').toString('base64')}`);
  });

  it('a receiver that cannot be reached is retried, and the password is not in the failure lines either', async () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    rig = await startNotifyRig({ NOTIFY_SIGNING_SECRET: SIGNING_SECRET }, { logger });
    // a port nothing listens on
    const closed = await receiver();
    const notifyUrl = closed.url.replace('http://', 'http://hooks:pa55word-s3cret@');
    await closed.close();
    receivers = receivers.filter((r) => r !== closed);
    await rig.createUserWithRule({ name: 'John', numbers: [JOHNS_NUMBER], notifyUrl });
    await rig.leaveVoicemail('CA00000000000000000000000000000109', 'RE00000000000000000000000000000109');
    await rig.settle();
    await rig.advance(4000);

    expect(lines.filter((l) => /attempt failed: will retry/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).not.toContain('pa55word-s3cret');
  });
});
