import request from 'supertest';
import { hashToken } from '../../src/domain/ids';
import type { Rule, UserRecord } from '../../src/domain/types';
import type { Logger } from '../../src/log';
import { TwilioEmulator } from '../../src/simulator/emulator';
import type { CallerScript, EmulatorOptions, LegView, WebhookExchange } from '../../src/simulator/types';
import type { EmulatedCall } from '../../src/simulator/views';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type RunningApp } from '../support/app';
import type { StoreFactory } from '../support/stores';
import { parseTwiml, signedPost, type TwilioParams, type TwimlNode } from '../support/twilio';
import { LossyProxy } from './lossy-proxy';

/** John's business number, his phones, and a customer calling him. */
export const JOHNS_NUMBER = '+15550001000';
export const CALLER = '+15557654321';
export const OFFICE = '+15551230001';
export const HOME = '+15551230002';
export const CELL = '+15551230003';
export const JOHNS_TOKEN = 'chr_john-test-token-0123456789';
export const HOLD_MUSIC = 'https://music.example.com/hold.mp3';

export const john: UserRecord = {
  id: 'usr_john', name: 'John', role: 'user', numbers: [JOHNS_NUMBER], canManageRules: true,
  tokenHash: hashToken(JOHNS_TOKEN), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};

/** The Extend Ring rule: the office for 20 s, then cell and home together for 20 s; at most 3 minutes on hold. */
export function ringRule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'rul_ring', userId: john.id, name: 'Extend Ring', enabled: true, priority: 0, mode: 'extendRing',
    steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 20 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'number', to: HOME, label: 'Home' }], ringSeconds: 20 },
    ],
    confirm: false, callerId: 'called', maxHoldMinutes: 3, holdMusicUrl: HOLD_MUSIC,
    voicemail: { greeting: 'John cannot take your call. Please leave a message.', maxLengthSeconds: 60, transcribe: false },
    createdAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  };
}

export interface RigOptions {
  factory: StoreFactory;
  rule?: Rule;
  emulator?: Partial<Omit<EmulatorOptions, 'clock' | 'quiesce' | 'accountSid' | 'authToken'>>;
  /** Twilio reaches the app through a LossyProxy (rig.proxy), which can lose one request. */
  lossy?: boolean;
  /** The app's logger (default: silent). */
  logger?: Logger;
  /** The auth token Twilio signs webhooks with and accepts on its REST API (default: the app's TWILIO_AUTH_TOKEN). */
  twilioAuthToken?: string;
  /** More of the app's environment (e.g. TWILIO_AUTH_TOKEN_SECONDARY). */
  env?: Record<string, string>;
}

/**
 * The real app (real HTTP, the given store, REST through the production gateway to the emulator's fake
 * API, a deadline sweeper) behind the Twilio emulator, all on one VirtualClock. Virtual time only moves
 * once the app's background work and its sweeper are idle.
 */
export interface RingRig {
  readonly app: RunningApp;
  readonly em: TwilioEmulator;
  readonly clock: VirtualClock;
  readonly store: Store;
  /** With `lossy`: the proxy between Twilio and the app. */
  readonly proxy?: LossyProxy;
  /** The customer dials John's number. */
  placeCall(caller?: CallerScript): Promise<EmulatedCall>;
  /** Plays virtual time until every call is over (or `maxSeconds` passed). */
  run(maxSeconds?: number): Promise<void>;
  /** Posts a signed webhook, checks 200 text/xml, parses the TwiML. */
  post(target: string, params: TwilioParams): Promise<TwimlNode>;
  close(): Promise<void>;
}

export async function startRig(options: RigOptions): Promise<RingRig> {
  const clock = new VirtualClock();
  const store = await options.factory.make(() => clock.now());
  let app: RunningApp | undefined;
  const em = new TwilioEmulator({
    accountSid: TEST_ACCOUNT_SID, authToken: options.twilioAuthToken ?? TEST_AUTH_TOKEN, ...options.emulator,
    clock, quiesce: async () => {
      await app?.deps.background.idle();
      await app?.sweeper?.idle();
    },
  });
  await em.start();
  const proxy = options.lossy ? await new LossyProxy().start() : undefined;
  app = await startApp({
    store, clock, closeStore: false, twilio: 'env', sweeper: { intervalMs: 250 }, ...(options.logger ? { logger: options.logger } : {}),
    env: { TWILIO_API_BASE_URL: em.apiBaseUrl, ...(proxy ? { PUBLIC_BASE_URL: proxy.url } : {}), ...options.env },
  });
  const running = app;
  if (proxy) proxy.target = running.baseUrl;
  configureJohnsNumber(em, proxy?.url ?? running.baseUrl);
  await store.createUser(structuredClone(john));
  await store.saveRule(options.rule ?? ringRule());
  return {
    app: running, em, clock, store, ...(proxy ? { proxy } : {}),
    placeCall: (caller) => em.placeCall({ from: CALLER, to: JOHNS_NUMBER, ...(caller ? { caller } : {}) }),
    run: (maxSeconds) => em.run(maxSeconds === undefined ? {} : { maxSeconds }),
    async post(target, params) {
      const res = await signedPost(running, target, params);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      return parseTwiml(res.text);
    },
    async close() {
      await em.close();
      await running.close();
      await proxy?.close();
    },
  };
}

/** The number as an operator configures it in the Twilio console (DESIGN §5). */
export function configureJohnsNumber(em: TwilioEmulator, baseUrl: string): void {
  em.configureNumber(JOHNS_NUMBER, {
    voiceUrl: baseUrl + VoicePath.Incoming,
    statusCallback: baseUrl + VoicePath.Status,
    fallbackUrl: baseUrl + VoicePath.Fallback,
  });
}

/** Legs the app placed through the REST API, in creation order. */
export function apiLegs(em: TwilioEmulator): LegView[] {
  return em.legs().filter((leg) => leg.direction === 'outbound-api');
}

/** Seconds since the customer's call started. */
export function sinceStart(call: EmulatedCall, at: number): number {
  return (at - call.startedAt) / 1000;
}

/** The legs placed, grouped by the step they rang in (legs starting within 2 s of each other), as sorted targets. */
export function ringingRounds(em: TwilioEmulator): string[][] {
  const rounds: Array<{ at: number; targets: string[] }> = [];
  for (const leg of apiLegs(em)) {
    const last = rounds[rounds.length - 1];
    if (last && leg.startedAt - last.at <= 2000) last.targets.push(leg.target);
    else rounds.push({ at: leg.startedAt, targets: [leg.target] });
  }
  return rounds.map((r) => r.targets.sort());
}

/** The app's requests about a call whose path is `path`. */
export function requestsTo(exchanges: readonly WebhookExchange[], path: string): WebhookExchange[] {
  return exchanges.filter((ex) => new URL(ex.url).pathname === path);
}

/** Everything the app said (Say text) in its answers to `exchanges`. */
export function spoken(exchanges: readonly WebhookExchange[]): string[] {
  return exchanges.flatMap((ex) => (ex.body ? sayTexts(parseTwiml(ex.body)) : []));
}

function sayTexts(node: TwimlNode): string[] {
  const own = node.name === 'Say' && node.text ? [node.text] : [];
  return own.concat(...node.children.map(sayTexts));
}

/** GET /api/callbacks as John. */
export async function johnsCallbacks(app: RunningApp): Promise<Array<{ number: string; from: string; to: string }>> {
  const res = await request(app.server).get('/api/callbacks').set({ Authorization: `Bearer ${JOHNS_TOKEN}` });
  expect(res.status).toBe(200);
  return res.body.items;
}
