import request from 'supertest';
import type { Rule, User, Voicemail } from '../../src/domain/types';
import type { EmulatedCall } from '../../src/simulator/views';
import { TwilioEmulator } from '../../src/simulator/emulator';
import type { CallerScript, EmulatorOptions, LegView } from '../../src/simulator/types';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, TEST_ADMIN_TOKEN, TEST_AUTH_TOKEN, type RunningApp } from './app';
import type { StoreFactory } from './stores';

/** The business number the flow tests call (John's), and the customer calling it. */
export const BUSINESS_NUMBER = '+15550001000';
export const CUSTOMER = '+15557654321';

export interface FlowOptions {
  /** Where the store comes from (one per rig); or `store` for a store the rig closes itself. */
  factory?: StoreFactory;
  store?: Store;
  /** Virtual epoch ms the call starts at (default: the emulator's Tuesday 10:00 in New York). */
  startAt?: number;
  emulator?: Partial<Omit<EmulatorOptions, 'clock' | 'quiesce'>>;
  /** Business numbers configured in the emulator with the app's webhooks (default: BUSINESS_NUMBER). */
  numbers?: string[];
  /**
   * PUBLIC_BASE_URL when the app is reached another way than directly (a proxy, maybe with a path prefix): the app
   * builds its callback URLs under it and the business numbers' webhooks point at it. Default: the app's own URL.
   */
  publicBaseUrl?: string;
}

export interface FlowRig {
  readonly app: RunningApp;
  readonly em: TwilioEmulator;
  readonly clock: VirtualClock;
  /** supertest bound to the running app. */
  http(): ReturnType<typeof request>;
  /** POST /api/users as the administrator → the user with its token. */
  createUser(body: Record<string, unknown>): Promise<User & { token: string }>;
  /** POST /api/rules (as the administrator unless a token is given). */
  createRule(body: Record<string, unknown>, token?: string): Promise<Rule>;
  /** GET /api/voicemails as the given user: every item of the first page (100 a page). */
  voicemails(token: string): Promise<Voicemail[]>;
  /** A customer dials a business number; virtual time moves with run(). */
  placeCall(p?: { from?: string; to?: string; caller?: CallerScript }): Promise<EmulatedCall>;
  /** Plays virtual time until every call is over (or `maxSeconds` passed). */
  run(maxSeconds?: number): Promise<void>;
  close(): Promise<void>;
}

export const asAdmin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/**
 * The real app (real HTTP, the given store, the emulator's VirtualClock, TWILIO_API_BASE_URL = the emulator's
 * REST API) and the Twilio emulator in front of it, signing with the app's auth token. The business numbers
 * are configured the way an operator configures them in the Twilio console: voice URL /voice/incoming,
 * status callback /voice/status, fallback /voice/fallback.
 */
export async function startFlow(options: FlowOptions = {}): Promise<FlowRig> {
  const clock = new VirtualClock(options.startAt);
  const store = options.store ?? (options.factory ? await options.factory.make(() => clock.now()) : undefined);
  let started: RunningApp | undefined;
  const em = new TwilioEmulator({
    accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, ...options.emulator,
    clock, quiesce: async () => {
      await started?.deps.background.idle();
      await started?.sweeper?.idle();
    },
  });
  await em.start();
  const app = await startApp({
    clock, ...(store ? { store } : {}), closeStore: !options.factory,
    env: { TWILIO_API_BASE_URL: em.apiBaseUrl, ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}) },
    sweeper: { intervalMs: 250 },
  });
  started = app;
  const base = options.publicBaseUrl ?? app.baseUrl;
  for (const number of options.numbers ?? [BUSINESS_NUMBER]) {
    em.configureNumber(number, {
      voiceUrl: base + VoicePath.Incoming,
      statusCallback: base + VoicePath.Status,
      fallbackUrl: base + VoicePath.Fallback,
    });
  }
  const http = () => request(app.server);
  return {
    app, em, clock, http,
    async createUser(body) {
      const res = await http().post('/api/users').set(asAdmin).send(body);
      if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async createRule(body, token = TEST_ADMIN_TOKEN) {
      const res = await http().post('/api/rules').set(bearer(token)).send(body);
      if (res.status !== 201) throw new Error(`creating a rule failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async voicemails(token) {
      const res = await http().get('/api/voicemails?pageSize=100').set(bearer(token));
      if (res.status !== 200) throw new Error(`listing voicemails failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.items;
    },
    placeCall: (p = {}) => em.placeCall({ from: p.from ?? CUSTOMER, to: p.to ?? BUSINESS_NUMBER, ...(p.caller ? { caller: p.caller } : {}) }),
    run: (maxSeconds) => em.run(maxSeconds === undefined ? {} : { maxSeconds }),
    async close() {
      await em.close();
      await app.close();
    },
  };
}

/** Seconds from the call's start to a virtual instant (undefined stays undefined). */
export function secondsInto(call: EmulatedCall, at: number | undefined): number | undefined {
  return at === undefined ? undefined : (at - call.startedAt) / 1000;
}

/** When a leg rang, was answered and ended, in seconds from the call's start. */
export function ringTimes(call: EmulatedCall, leg: LegView): { from: number; until?: number; answeredAt?: number } {
  const from = (leg.startedAt - call.startedAt) / 1000;
  const until = secondsInto(call, leg.endedAt);
  const answeredAt = secondsInto(call, leg.answeredAt);
  return { from, ...(until !== undefined ? { until } : {}), ...(answeredAt !== undefined ? { answeredAt } : {}) };
}

/** The legs placed to one destination ('+1555…' or 'client:john'), in order. */
export function legsTo(em: TwilioEmulator, target: string): LegView[] {
  return em.legs().filter((l) => l.target === target);
}
