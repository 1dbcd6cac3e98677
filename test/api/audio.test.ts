import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { User, Voicemail } from '../../src/domain/types';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/app';
import { asAdmin, bearer, BUSINESS_NUMBER, startFlow, type FlowRig } from '../support/flow';
import { startApi } from './helpers';

/**
 * Listening to a voicemail: GET /api/voicemails/:id/audio plays the recording Twilio (here the emulator) made of
 * the caller's message. The owner and administrators may listen; to anyone else the voicemail does not exist.
 */

let rig: FlowRig;
let john: User & { token: string };
let mary: User & { token: string };
let message: Voicemail;

const SILENT_OFFICE = '+15551230001';

/** A caller who nobody answers leaves a message of `seconds`; the voicemail John then finds in his list. */
async function leaveMessage(seconds: number): Promise<Voicemail> {
  await rig.placeCall({ caller: { message: { seconds } } });
  await rig.run();
  const mine = await rig.voicemails(john.token);
  const newest = mine.find((v) => v.durationSeconds === seconds);
  if (!newest) throw new Error(`no ${seconds} s voicemail in ${JSON.stringify(mine)}`);
  return newest;
}

/** What Twilio hands out for the recording itself (`<RecordingUrl>.mp3` with the account's credentials). */
async function twilioAudio(voicemail: Voicemail): Promise<Buffer> {
  const res = await fetch(`${voicemail.recordingUrl}.mp3`, {
    headers: { Authorization: `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const audio = (id: string) => rig.http().get(`/api/voicemails/${id}/audio`).buffer(true).parse((res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
});

beforeAll(async () => {
  rig = await startFlow();
  john = await rig.createUser({ name: 'John', numbers: [BUSINESS_NUMBER] });
  mary = await rig.createUser({ name: 'Mary', numbers: ['+15550002000'] });
  await rig.createRule({
    userId: john.id, name: 'Office, then voicemail', mode: 'followMe',
    steps: [{ destinations: [{ type: 'number', to: SILENT_OFFICE }], ringSeconds: 10 }],
  });
  message = await leaveMessage(12);
});
afterAll(() => rig.close());

describe('who may listen', () => {
  test('John hears his voicemail: the recording\'s MP3 bytes, as audio/mpeg with its length', async () => {
    const res = await audio(message.id).set(bearer(john.token));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    const body = res.body as Buffer;
    expect(body.equals(await twilioAudio(message))).toBe(true);
    expect(body.length).toBeGreaterThan(1000);
    expect(res.headers['content-length']).toBe(String(body.length));
  });

  test('an administrator hears it too', async () => {
    const res = await audio(message.id).set(asAdmin);
    expect(res.status).toBe(200);
    expect((res.body as Buffer).equals(await twilioAudio(message))).toBe(true);
  });

  test('to Mary, John\'s voicemail does not exist (404); without a token it is 401', async () => {
    const other = await rig.http().get(`/api/voicemails/${message.id}/audio`).set(bearer(mary.token));
    expect(other.status).toBe(404);
    expect(other.body.error).toMatchObject({ code: 'not_found', details: [] });
    const anonymous = await rig.http().get(`/api/voicemails/${message.id}/audio`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
  });

  test('an unknown voicemail is 404', async () => {
    expect((await rig.http().get('/api/voicemails/RE00000000000000000000000000000000/audio').set(asAdmin)).status).toBe(404);
  });
});

describe('when Twilio cannot hand the recording out', () => {
  test('a recording Twilio no longer has (deleted in the console) is 404 in the error shape', async () => {
    const gone = await leaveMessage(7);
    const deleted = await fetch(`${gone.recordingUrl}.json`, {
      method: 'DELETE', headers: { Authorization: `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}` },
    });
    expect(deleted.status).toBe(204);
    const res = await rig.http().get(`/api/voicemails/${gone.id}/audio`).set(bearer(john.token));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('a Twilio server error is 502 in the error shape', async () => {
    rig.em.injectRestFault({ method: 'GET', pathMatch: '/Recordings/', status: 500 });
    const res = await rig.http().get(`/api/voicemails/${message.id}/audio`).set(bearer(john.token));
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'recording_unavailable', details: [] });
    expect((await audio(message.id).set(bearer(john.token))).status).toBe(200);
  });
});

describe('where the audio is fetched from', () => {
  test('a recording URL on api.twilio.com (what Twilio sends) is fetched from TWILIO_API_BASE_URL', async () => {
    const path = new URL(message.recordingUrl).pathname;
    const copy: Voicemail = { ...message, id: 'RE_api_twilio_com', recordingUrl: `https://api.twilio.com${path}` };
    await rig.app.deps.store.saveVoicemail(copy);
    const res = await audio(copy.id).set(bearer(john.token));
    expect(res.status).toBe(200);
    expect((res.body as Buffer).equals(await twilioAudio(message))).toBe(true);
  });

  test('a recording URL on another host gets 502, and the account\'s credentials are not sent there', async () => {
    const seen: Array<string | undefined> = [];
    const elsewhere = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'audio/mpeg' }).end('not a recording');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = elsewhere.address() as AddressInfo;
      await rig.app.deps.store.saveVoicemail({ ...message, id: 'RE_elsewhere', recordingUrl: `http://127.0.0.1:${port}/rec/RE1` });
      const res = await rig.http().get('/api/voicemails/RE_elsewhere/audio').set(bearer(john.token));
      expect(res.status).toBe(502);
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  test('a stored recording URL that is not a URL at all gets 502 in the error shape, not a server error', async () => {
    await rig.app.deps.store.saveVoicemail({ ...message, id: 'RE_not_a_url', recordingUrl: 'x}{' });
    const res = await rig.http().get('/api/voicemails/RE_not_a_url/audio').set(bearer(john.token));
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'recording_unavailable' });
  });
});

test('without Twilio credentials configured the audio is 503 with a message naming them', async () => {
  const api = await startApi({ env: { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' } });
  try {
    const owner = await api.createUser({ name: 'John', numbers: [BUSINESS_NUMBER] });
    await api.app.deps.store.saveVoicemail({ ...message, userId: owner.id });
    const res = await api.http().get(`/api/voicemails/${message.id}/audio`).set(bearer(owner.token));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('twilio_not_configured');
    expect(res.body.error.message).toMatch(/TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
  } finally {
    await api.close();
  }
});
