import request from 'supertest';
import twilio from 'twilio';
import type { Rule } from '../../src/domain/types';
import { silentLogger } from '../../src/log';
import { TwilioEmulator } from '../../src/simulator/emulator';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { TWILIO_SIGNATURE_HEADER } from '../../src/twilio/constants';
import { VoicePath } from '../../src/voice/urls';
import { CALLER, configureJohnsNumber, john, JOHNS_NUMBER, OFFICE, ringRule } from '../extend-ring/rig';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import { prefixProxy, type PrefixProxy } from '../support/prefix-proxy';
import { storeFactories } from '../support/stores';

/**
 * PUBLIC_BASE_URL with a path (README): the app behind a reverse proxy that serves it under https://example.com/calls
 * and forwards /calls/… to the app without the prefix. Twilio requests and signs the URLs with the prefix.
 */
const PREFIX = '/calls';

describe.each(storeFactories())('an app served under a path prefix (PUBLIC_BASE_URL https://…/calls) ($name store)', (factory) => {
  let em: TwilioEmulator;
  let app: RunningApp;
  let proxy: PrefixProxy;
  let base: string;

  async function start(rule: Rule): Promise<void> {
    const clock = new VirtualClock();
    em = new TwilioEmulator({
      accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, clock,
      quiesce: async () => {
        await app.deps.background.idle();
      },
    });
    await em.start();
    proxy = await prefixProxy(PREFIX, () => app.baseUrl);
    base = proxy.url + PREFIX;
    const store = await factory.make(() => clock.now());
    app = await startApp({ store, clock, twilio: 'env', logger: silentLogger, env: { PUBLIC_BASE_URL: base, TWILIO_API_BASE_URL: em.apiBaseUrl } });
    configureJohnsNumber(em, base);
    await store.createUser(structuredClone(john));
    await store.saveRule(rule);
  }

  afterEach(async () => {
    await em.close();
    await proxy.close();
    await app.close();
  });
  afterAll(() => factory.cleanup());

  /** Every webhook went to a URL under the prefix and was answered (signatures checked against it: no 403). */
  function expectEveryWebhookUnderThePrefix(): void {
    expect(em.webhooks.length).toBeGreaterThan(3);
    for (const exchange of em.webhooks) {
      expect(exchange.url.startsWith(`${base}/voice/`)).toBe(true);
      expect(exchange.status).toBe(200);
    }
    expect(em.errors).toEqual([]);
  }

  it('Extend Ring: the whisper, the leg status callbacks and the hold stage are reached under /calls, and the office takes the call', async () => {
    await start(ringRule());
    em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', pressAfter: 2, talkSeconds: 30 });
    const call = await em.placeCall({ from: CALLER, to: JOHNS_NUMBER });
    await em.run({ maxSeconds: 300 });

    expect(call.outcome).toMatchObject({ kind: 'connected', to: OFFICE });
    const created = em.restRequests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'));
    expect(created.length).toBeGreaterThan(0);
    for (const leg of created) {
      expect(String(leg.params.Url)).toMatch(new RegExp(`^${base}${VoicePath.ExtendRingWhisper}\\?`));
      expect(String(leg.params.StatusCallback)).toMatch(new RegExp(`^${base}${VoicePath.ExtendRingLegStatus}\\?`));
    }
    expectEveryWebhookUnderThePrefix();
  });

  it('Follow Me with confirm: the dial action and the whisper are reached under /calls, and the office takes the call', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 20 };
    await start(ringRule({ mode: 'followMe', confirm: true, steps: [office] }));
    em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', pressAfter: 2, talkSeconds: 30 });
    const call = await em.placeCall({ from: CALLER, to: JOHNS_NUMBER });
    await em.run({ maxSeconds: 300 });

    expect(call.outcome).toMatchObject({ kind: 'connected', to: OFFICE });
    expect(call.requests.some((r) => r.url.startsWith(`${base}${VoicePath.FollowMeDialAction}?`))).toBe(true);
    expectEveryWebhookUnderThePrefix();
  });

  it('a webhook signed for the URL without the prefix (not the one Twilio was given) is refused with 403', async () => {
    await start(ringRule({ mode: 'followMe' }));
    const params = { CallSid: 'CA00000000000000000000000000000009', From: CALLER, To: JOHNS_NUMBER, CallStatus: 'ringing' };
    const signedFor = (url: string) => request(proxy.url).post(PREFIX + VoicePath.Incoming).type('form').send(params)
      .set(TWILIO_SIGNATURE_HEADER, twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params));
    expect((await signedFor(proxy.url + VoicePath.Incoming)).status).toBe(403);
    expect((await signedFor(base + VoicePath.Incoming)).status).toBe(200);
  });
});
