import { silentLogger } from '../../src/log';
import { TwilioEmulator } from '../../src/simulator/emulator';
import type { CallerScript } from '../../src/simulator/types';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { RedisStore } from '../../src/store/redis';
import type { Rule } from '../../src/domain/types';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import { signedPost } from '../support/twilio';
import { VoicePath } from '../../src/voice/urls';
import { describeRedis, type RedisTestContext } from '../support/redis';
import { InstanceProxy } from '../extend-ring/proxy';
import { CALLER, configureJohnsNumber, john, JOHNS_NUMBER, ringRule } from '../extend-ring/rig';
import { SIGNING_SECRET } from './helpers';
import { Receiver } from './receiver';

/**
 * Two app instances on one Redis behind a round-robin load balancer: Twilio's requests about one call (a Dial or
 * queue action, the status callback, the recording callback) land on different instances, often both reporting
 * the end. The receiver still gets one event per call.
 */

interface Pair {
  readonly em: TwilioEmulator;
  readonly hook: Receiver;
  readonly apps: readonly RunningApp[];
  /** The balancer's URL: the apps' PUBLIC_BASE_URL, which Twilio signs. */
  readonly publicUrl: string;
  close(): Promise<void>;
}

async function startPair(redis: RedisTestContext, rule: Rule): Promise<Pair> {
  const clock = new VirtualClock();
  const hook = await Receiver.start([200]);
  const proxy = await new InstanceProxy('round-robin').start();
  const apps: RunningApp[] = [];
  const prefix = redis.subPrefix();
  const em = new TwilioEmulator({
    accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, clock,
    quiesce: async () => {
      for (const app of apps) {
        await app.deps.background.idle();
        await app.sweeper?.idle();
      }
    },
  });
  await em.start();
  for (let i = 0; i < 2; i++) {
    const store = new RedisStore({ url: redis.url, prefix, logger: silentLogger, now: () => clock.now() });
    apps.push(await startApp({
      store, clock, twilio: 'env', sweeper: { intervalMs: 250 },
      env: {
        PUBLIC_BASE_URL: proxy.url, TWILIO_API_BASE_URL: em.apiBaseUrl,
        NOTIFY_WEBHOOK_URL: hook.url, NOTIFY_SIGNING_SECRET: SIGNING_SECRET,
      },
    }));
    proxy.add(apps[i]!.baseUrl);
  }
  configureJohnsNumber(em, proxy.url);
  await apps[0]!.deps.store.createUser(structuredClone(john));
  await apps[0]!.deps.store.saveRule(rule);
  return {
    em, hook, apps, publicUrl: proxy.url,
    async close() {
      await em.close();
      await proxy.close();
      await Promise.all(apps.map((app) => app.close()));
      await hook.close();
    },
  };
}

describeRedis('notifications from two app instances on one Redis', (redis) => {
  let pair: Pair;
  afterEach(() => pair.close());

  /** One call with `caller`'s script, played to its end and past the app's graces for lost requests. */
  async function typesAfter(rule: Rule, caller: CallerScript): Promise<unknown[]> {
    pair = await startPair(redis, rule);
    await pair.em.placeCall({ from: CALLER, to: JOHNS_NUMBER, caller });
    await pair.em.run({ maxSeconds: 600 });
    await pair.em.advance(150);
    return pair.hook.events().map((e) => e.type);
  }

  it('Extend Ring: a caller who hangs up on hold is one missed call', async () => {
    expect(await typesAfter(ringRule(), { hangUpAfter: 30 })).toEqual(['missed-call']);
  });

  it('Extend Ring: a caller who leaves a message after the maximum hold is one voicemail', async () => {
    expect(await typesAfter(ringRule({ maxHoldMinutes: 1 }), { message: { seconds: 10 } })).toEqual(['voicemail']);
  });

  it('Extend Ring: a callback number is one callback event', async () => {
    const digits = [{ at: 3, digits: '2' }, { at: 6, digits: '5551234567#' }, { at: 9, digits: '1' }];
    expect(await typesAfter(ringRule(), { holdDigits: digits })).toEqual(['callback']);
  });

  it('Follow Me: a caller who hangs up while the phones ring is one missed call', async () => {
    expect(await typesAfter(ringRule({ mode: 'followMe' }), { hangUpAfter: 10 })).toEqual(['missed-call']);
  });

  it('Follow Me: a caller who hangs up in the voicemail greeting is one missed call', async () => {
    expect(await typesAfter(ringRule({ mode: 'followMe' }), { hangUpAfter: 42, message: 'none' })).toEqual(['missed-call']);
  });

  it('Follow Me, a transcribed message: Twilio\'s transcription callback repeated to both instances at once is still one voicemail-transcribed event', async () => {
    const voicemail = { greeting: 'Please leave a message.', maxLengthSeconds: 60, transcribe: true };
    expect(await typesAfter(ringRule({ mode: 'followMe', voicemail }), { message: { seconds: 8, transcript: 'Call me back.' } }))
      .toEqual(['voicemail', 'voicemail-transcribed']);
    const [recording] = pair.em.recordings();
    const { callSid } = recording!;
    const params = {
      AccountSid: TEST_ACCOUNT_SID, CallSid: callSid, RecordingSid: recording!.sid, TranscriptionSid: 'TR00000000000000000000000000000009',
      TranscriptionStatus: 'completed', TranscriptionText: 'Call me back.', TranscriptionType: 'fast',
    };
    const url = `${pair.publicUrl}${VoicePath.Transcription}?call=${callSid}`;
    const answers = await Promise.all(pair.apps.map((app) => signedPost(app, url, params)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    for (const app of pair.apps) await app.deps.background.idle();
    await pair.em.advance(60);

    expect(pair.hook.events().map((e) => e.type)).toEqual(['voicemail', 'voicemail-transcribed']);
  });
});
