import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { VoicePath } from '../../src/voice/urls';
import { TEST_ACCOUNT_SID } from '../support/app';
import { asAdmin, BUSINESS_NUMBER, CUSTOMER, legsTo, ringTimes, startFlow, type FlowRig } from '../support/flow';
import { uniquePrefix } from '../support/redis';
import { storeFactories } from '../support/stores';
import { attr, find, parseTwiml, signedPost } from '../support/twilio';
import { createJohn, describeEachStore, HOME, johnsRule, OFFICE } from './fixtures';

const FORGER_TOKEN = 'forger-token-0123456789abcdef';
const NOBODYS_NUMBER = '+15550009999';

let rig: FlowRig;
afterEach(() => rig.close());

/** What the caller heard from the app (Say texts, in order). */
function heardByCaller(callSid: string): string[] {
  return rig.em.timeline.filter((e) => e.callSid === callSid && e.event === 'say').map((e) => e.detail ?? '');
}

/** Forged or missing X-Twilio-Signature → 403 and nothing changes (DESIGN §5). */
describeEachStore('Webhooks not sent by Twilio', (factory) => {
  it('a call relayed by someone signing with another token is refused: no hunt starts, nobody rings, nothing is logged', async () => {
    rig = await startFlow({ factory: factory(), emulator: { authToken: FORGER_TOKEN } });
    const john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id));
    await rig.placeCall();
    await rig.run();

    expect(rig.em.webhooks.length).toBeGreaterThan(0);
    expect(rig.em.webhooks.map((w) => w.status)).toEqual(rig.em.webhooks.map(() => 403));
    expect(rig.em.legs()).toEqual([]);
    const calls = await rig.http().get('/api/calls').set(asAdmin);
    expect(calls.body.total).toBe(0);
    expect(await rig.voicemails(john.token)).toEqual([]);
  });

  it('while the office rings, a forged “nobody answered” and a forged recording change nothing about the call', async () => {
    rig = await startFlow({ factory: factory() });
    const john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id));
    const call = await rig.placeCall();
    await rig.run(10);

    const incoming = rig.em.webhooks.find((w) => w.purpose === 'voice-url');
    const action = attr(find(parseTwiml(incoming?.body ?? ''), 'Dial'), 'action');
    const dialAction = {
      CallSid: call.sid, AccountSid: TEST_ACCOUNT_SID, From: CUSTOMER, To: BUSINESS_NUMBER, CallStatus: 'in-progress',
      DialCallStatus: 'no-answer', DialBridged: 'false',
    };
    const recording = `${VoicePath.RecordingStatus}?call=${call.sid}`;
    const fakeRecording = {
      CallSid: call.sid, AccountSid: TEST_ACCOUNT_SID, RecordingSid: 'RE0000forged', RecordingStatus: 'completed',
      RecordingUrl: 'https://example.com/forged.mp3', RecordingDuration: '12',
    };
    const forged = [
      await signedPost(rig.app, action, dialAction, { token: null }),
      await signedPost(rig.app, action, dialAction, { token: FORGER_TOKEN }),
      await signedPost(rig.app, recording, fakeRecording, { token: null }),
      await signedPost(rig.app, recording, fakeRecording, { token: FORGER_TOKEN }),
    ];
    expect(forged.map((res) => res.status)).toEqual([403, 403, 403, 403]);
    expect(forged.every((res) => !res.text.includes('<Response'))).toBe(true);
    expect(await rig.voicemails(john.token)).toEqual([]);

    await rig.run();
    expect(ringTimes(call, legsTo(rig.em, OFFICE)[0])).toEqual({ from: 0, until: 40 });
    expect(ringTimes(call, legsTo(rig.em, HOME)[0])).toEqual({ from: 40, until: 70 });
    const voicemails = await rig.voicemails(john.token);
    expect(voicemails.map((v) => v.id)).toEqual(rig.em.recordings().map((r) => r.sid));
    expect(voicemails.map((v) => v.id)).not.toContain('RE0000forged');
  });
}, storeFactories());

describeEachStore('Calls the app cannot hunt for', (factory) => {
  it('a caller who dials a number nobody owns hears an apology and the call ends; nobody rings', async () => {
    rig = await startFlow({ factory: factory(), numbers: [BUSINESS_NUMBER, NOBODYS_NUMBER] });
    const john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id));
    const call = await rig.placeCall({ to: NOBODYS_NUMBER });
    await rig.run();

    expect(heardByCaller(call.sid)).toEqual([expect.stringMatching(/sorry/i)]);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
    expect(rig.em.legs()).toEqual([]);
    expect(rig.em.errors).toEqual([]);
    expect(await rig.voicemails(john.token)).toEqual([]);
  });
}, storeFactories());

describe('When the store is down', () => {
  it('the caller hears valid TwiML (an apology), never Twilio’s application error, and no webhook answers 5xx', async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: uniquePrefix(), logger: silentLogger });
    rig = await startFlow({ store });
    const call = await rig.placeCall();
    await rig.run();

    expect(rig.em.webhooks.map((w) => [w.purpose, w.status])).toEqual([['voice-url', 200], ['status-callback', 200]]);
    expect(rig.em.webhooks.every((w) => /^text\/xml/.test(w.contentType ?? ''))).toBe(true);
    expect(rig.em.errors).toEqual([]);
    expect(rig.em.timeline.some((e) => e.event === 'application-error' || e.event === 'fallback')).toBe(false);
    expect(heardByCaller(call.sid)).toEqual([expect.stringMatching(/sorry/i)]);
    expect(call.outcome).toEqual({ kind: 'hangup-by-app' });
  });
});

/** A TCP port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
