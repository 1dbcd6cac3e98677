import { silentLogger } from '../../src/log';
import { TwilioEmulator, type RestRequestLog } from '../../src/simulator/emulator';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { RedisStore } from '../../src/store/redis';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import { describeRedis, type RedisTestContext } from '../support/redis';
import { InstanceProxy } from './proxy';
import { apiLegs, CALLER, CELL, configureJohnsNumber, HOME, john, JOHNS_NUMBER, OFFICE, requestsTo, ringingRounds, ringRule, sinceStart } from './rig';

interface Cluster {
  readonly em: TwilioEmulator;
  readonly clock: VirtualClock;
  readonly apps: RunningApp[];
  readonly proxy: InstanceProxy;
  /** Takes instance `i` out of service and shuts it down (sweeper stopped, server closed), as on a deploy. */
  stop(i: number): void;
  close(): Promise<void>;
}

/** Two app instances on one Redis (one key prefix) behind one PUBLIC_BASE_URL, with the emulator in front. */
async function startCluster(redis: RedisTestContext, mode: 'failover' | 'round-robin', rule = ringRule()): Promise<Cluster> {
  const clock = new VirtualClock();
  const proxy = await new InstanceProxy(mode).start();
  const apps: RunningApp[] = [];
  const stopping: Array<Promise<void>> = [];
  const prefix = redis.subPrefix();
  const em = new TwilioEmulator({
    // 45 s of music a round: 3:00 falls mid-round, so the sweeper (not the hold stage) must move the caller.
    accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, clock, playSeconds: 45,
    quiesce: async () => {
      await Promise.all(stopping);
      for (const app of apps) {
        await app.deps.background.idle();
        await app.sweeper?.idle();
      }
    },
  });
  await em.start();
  for (let i = 0; i < 2; i++) {
    const store = new RedisStore({ url: redis.url, prefix, logger: silentLogger, now: () => clock.now() });
    const app = await startApp({
      store, clock, twilio: 'env', sweeper: { intervalMs: 250 },
      env: { PUBLIC_BASE_URL: proxy.url, TWILIO_API_BASE_URL: em.apiBaseUrl },
    });
    apps.push(app);
    proxy.add(app.baseUrl);
  }
  configureJohnsNumber(em, proxy.url);
  const [first] = apps;
  await first?.deps.store.createUser(structuredClone(john));
  await first?.deps.store.saveRule(rule);
  const stopped = new Set<number>();
  return {
    em, clock, apps, proxy,
    stop(i) {
      const app = apps[i];
      if (!app || stopped.has(i)) return;
      stopped.add(i);
      proxy.drain(app.baseUrl);
      stopping.push(app.close());
    },
    async close() {
      await em.close();
      await proxy.close();
      await Promise.all(stopping);
      await Promise.all(apps.filter((_, i) => !stopped.has(i)).map((app) => app.close()));
    },
  };
}

describeRedis('Extend Ring across two app instances on one Redis', (redis) => {
  let cluster: Cluster;
  afterEach(() => cluster.close());

  it('when the instance that took the call stops, the other places the next step and sends the caller to voicemail once, at 3:00', async () => {
    cluster = await startCluster(redis, 'failover');
    const { em, clock } = cluster;
    const call = await em.placeCall({ from: CALLER, to: JOHNS_NUMBER, caller: { label: 'caller' } });
    clock.setTimeout(() => cluster.stop(0), 5000);
    await em.run({ maxSeconds: 600 });

    expect(ringingRounds(em).slice(0, 3)).toEqual([[OFFICE], [CELL, HOME].sort(), [OFFICE]]);
    expect(sinceStart(call, apiLegs(em)[1]?.startedAt ?? Infinity)).toBe(20);
    const redirects = redirectsOf(em, call.sid);
    expect(redirects).toHaveLength(1);
    expect(String(redirects[0]?.params.Url)).toContain(VoicePath.Voicemail);
    const voicemail = requestsTo(call.requests, VoicePath.Voicemail);
    expect(voicemail).toHaveLength(1);
    expect(sinceStart(call, voicemail[0]?.at ?? Infinity)).toBeLessThanOrEqual(181);
    const events = (await cluster.apps[1]?.deps.store.getCall(call.sid))?.events ?? [];
    expect(events.filter((e) => e.type === 'deadline')).toHaveLength(1);
    expect(em.recordings()).toHaveLength(1);
  });

  it('when the instance that paused a round (every phone busy) stops, the other starts that round on time', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 25 };
    cluster = await startCluster(redis, 'failover', ringRule({ maxHoldMinutes: 2, steps: [office] }));
    const { em, clock } = cluster;
    em.callee(OFFICE, { kind: 'busy' });
    const call = await em.placeCall({ from: CALLER, to: JOHNS_NUMBER });
    clock.setTimeout(() => cluster.stop(0), 5000);
    await em.run({ maxSeconds: 600 });

    const starts = apiLegs(em).map((leg) => sinceStart(call, leg.startedAt));
    expect(starts).toHaveLength(5);
    starts.forEach((at, round) => expect(Math.abs(at - 25 * round)).toBeLessThanOrEqual(1));
    expect(requestsTo(call.requests, VoicePath.Voicemail)).toHaveLength(1);
  });

  it('with webhooks spread over both instances, every step rings once and the deadline fires once', async () => {
    cluster = await startCluster(redis, 'round-robin');
    const { em } = cluster;
    const call = await em.placeCall({ from: CALLER, to: JOHNS_NUMBER });
    await em.run({ maxSeconds: 600 });

    const rounds = ringingRounds(em);
    rounds.forEach((round, i) => expect(round).toEqual(i % 2 === 0 ? [OFFICE] : [CELL, HOME].sort()));
    const events = (await cluster.apps[0]?.deps.store.getCall(call.sid))?.events ?? [];
    expect(events.filter((e) => e.type === 'deadline')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(rounds.length);
    expect(redirectsOf(em, call.sid)).toHaveLength(1);
  });
});

/** REST requests that moved the caller: a call update, or (the queue's SID known) a queue member update. */
function redirectsOf(em: TwilioEmulator, callSid: string): RestRequestLog[] {
  return em.restRequests.filter((r) => r.method === 'POST' && (r.path.endsWith(`/Calls/${callSid}.json`) || r.path.endsWith(`/Members/${callSid}.json`)));
}
