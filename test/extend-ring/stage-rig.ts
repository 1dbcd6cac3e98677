import type { Rule } from '../../src/domain/types';
import { TwilioEmulator, type RestRequestLog } from '../../src/simulator/emulator';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import type { StoreFactory } from '../support/stores';
import { attr, find, parseTwiml, signedPost, type TwilioParams, type TwimlNode } from '../support/twilio';
import { CALLER, configureJohnsNumber, john, JOHNS_NUMBER, ringRule } from './rig';

/** A CallSid as Twilio makes them: CA + 32 hex digits. */
export function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, '0')}`;
}

export const CALLER_SID = callSid(1);

/**
 * One webhook at a time, the way Twilio would send them, with exact answers to check. The app reaches the
 * emulator's REST API (so placed legs and REST changes can be looked at), but no call is played: the emulator's
 * clock never moves, and the app has a clock of its own that only the test moves.
 */
export interface StageRig {
  readonly app: RunningApp;
  readonly store: Store;
  readonly em: TwilioEmulator;
  readonly clock: VirtualClock;
  post(target: string, params: TwilioParams): Promise<TwimlNode>;
  /** Waits for the app's background work (placing and ending legs). */
  settle(): Promise<void>;
  /** The REST requests the app made (optionally only those matching). */
  rest(filter?: (r: RestRequestLog) => boolean): RestRequestLog[];
  close(): Promise<void>;
}

export async function startStageRig(factory: StoreFactory, options: { rule?: Rule; twilio?: boolean } = {}): Promise<StageRig> {
  const clock = new VirtualClock();
  const em = new TwilioEmulator({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, clock: new VirtualClock() });
  await em.start();
  const store = await factory.make(() => clock.now());
  const app = await startApp({
    store, clock, closeStore: false, env: { TWILIO_API_BASE_URL: em.apiBaseUrl },
    ...(options.twilio === false ? {} : { twilio: 'env' as const }),
  });
  configureJohnsNumber(em, app.baseUrl);
  await store.createUser(structuredClone(john));
  await store.saveRule(options.rule ?? ringRule());
  return {
    app, store, em, clock,
    async post(target, params) {
      const res = await signedPost(app, target, params);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      return parseTwiml(res.text);
    },
    settle: () => app.deps.background.idle(),
    rest: (filter = () => true) => em.restRequests.filter(filter),
    async close() {
      await em.close();
      await app.close();
    },
  };
}

/** What Twilio sends about the inbound call (the caller). */
export function callerParams(extra: TwilioParams = {}): TwilioParams {
  return {
    CallSid: CALLER_SID, AccountSid: TEST_ACCOUNT_SID, From: CALLER, To: JOHNS_NUMBER, CallStatus: 'in-progress',
    Direction: 'inbound', ApiVersion: '2010-04-01', ...extra,
  };
}

/** What Twilio sends about an API-created leg. */
export function legParams(legSid: string, to: string, extra: TwilioParams = {}): TwilioParams {
  return {
    CallSid: legSid, AccountSid: TEST_ACCOUNT_SID, From: JOHNS_NUMBER, To: to, CallStatus: 'in-progress',
    Direction: 'outbound-api', ApiVersion: '2010-04-01', ...extra,
  };
}

/** A leg placed through REST: its SID (from the emulator's answer) and the URLs the app handed over. */
export interface PlacedLeg {
  sid: string;
  to: string;
  whisperUrl: string;
  statusUrl: string;
  timeout: string;
  from: string;
}

/** The legs placed so far, in order (each create request matched with the emulator's call to that target). */
export function placedLegs(rig: StageRig): PlacedLeg[] {
  const calls = rig.em.legs().filter((leg) => leg.direction === 'outbound-api');
  const creates = rig.rest((r) => r.method === 'POST' && r.path.endsWith('/Calls.json') && r.status === 201);
  return creates.map((r) => {
    const call = calls.splice(calls.findIndex((c) => c.target === r.params.To), 1)[0];
    return {
      sid: call?.sid ?? '',
      to: String(r.params.To),
      from: String(r.params.From),
      timeout: String(r.params.Timeout),
      whisperUrl: String(r.params.Url),
      statusUrl: String(r.params.StatusCallback),
    };
  });
}

/** The incoming webhook of the caller, then the legs of step 0 placed. */
export async function incoming(rig: StageRig): Promise<TwimlNode> {
  const twiml = await rig.post(VoicePath.Incoming, callerParams({ CallStatus: 'ringing' }));
  await rig.settle();
  return twiml;
}

/**
 * Awaits `work` (a webhook the app is answering) while the app's virtual time moves on, timer by timer, each timer as
 * soon as the app has set it; fails once the next timer would pass `limitMs` from now (the answer would come too late).
 */
export async function answeredAsTimePasses<T>(rig: StageRig, work: Promise<T>, limitMs: number): Promise<T> {
  let done = false;
  const settled = work.finally(() => { done = true; });
  const giveUpAt = rig.clock.now() + limitMs;
  while (!done) {
    const due = rig.clock.nextDueAt();
    if (due !== undefined && due > giveUpAt) throw new Error(`no answer within ${limitMs} ms of virtual time`);
    if (due !== undefined) rig.clock.runNext();
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return settled;
}

/** The first leg placed (the office) answers its whisper and presses `digits`; the app's work then settles. */
export async function firstLegPresses(rig: StageRig, digits: string): Promise<PlacedLeg> {
  const [leg] = placedLegs(rig);
  if (!leg) throw new Error('no leg was placed');
  const whisper = await rig.post(leg.whisperUrl, legParams(leg.sid, leg.to));
  await rig.post(attr(find(whisper, 'Gather'), 'action'), legParams(leg.sid, leg.to, { Digits: digits }));
  await rig.settle();
  return leg;
}
