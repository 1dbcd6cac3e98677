import { systemClock, type Clock } from '../../src/clock';
import type { Rule, UserRecord } from '../../src/domain/types';
import type { Store } from '../../src/store/store';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, type RunningApp, type StartOptions } from '../support/app';
import type { StoreFactory } from '../support/stores';
import { attr, find, parseTwiml, signedPost, type TwilioParams, type TwimlNode } from '../support/twilio';

/** Tuesday 14 January 2025, 10:00 in New York. */
export const TUESDAY_10_NY = Date.parse('2025-01-14T15:00:00.000Z');

/** A clock the test sets by hand. */
export class ManualClock implements Clock {
  constructor(private nowMs = TUESDAY_10_NY) {}
  now(): number {
    return this.nowMs;
  }
  set(ms: number): void {
    this.nowMs = ms;
  }
  setTimeout: Clock['setTimeout'] = (fn, ms) => systemClock.setTimeout(fn, ms);
  clearTimeout: Clock['clearTimeout'] = (handle) => systemClock.clearTimeout(handle);
}

export const JOHNS_NUMBER = '+15550001000';
export const CALLER = '+15557654321';
export const OFFICE = '+15551230001';
export const HOME = '+15551230002';
export const CELL = '+15551230003';

export const john: UserRecord = {
  id: 'usr_john', name: 'John', role: 'user', numbers: [JOHNS_NUMBER], canManageRules: true,
  tokenHash: 'hash-john', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
};

/** John's rule from the product manual: office 40 s, home 30 s, cell (default 30 s) with his app, then voicemail. */
export function johnsRule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'rul_john', userId: john.id, name: 'Weekday hunting', enabled: true, priority: 0, mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: HOME, label: 'Home' }], ringSeconds: 30 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'client', to: 'john' }], ringSeconds: 30 },
    ],
    confirm: false, callerId: 'caller', maxHoldMinutes: 10,
    voicemail: { greeting: "John can't take your call. Leave a message after the tone.", maxLengthSeconds: 120, transcribe: false },
    createdAt: '2025-01-02T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z',
    ...overrides,
  };
}

export interface VoiceTestApp {
  readonly app: RunningApp;
  readonly store: Store;
  readonly clock: ManualClock;
  /** Posts a signed webhook and parses its TwiML (after checking 200 text/xml). */
  post(target: string, params: TwilioParams): Promise<TwimlNode>;
  close(): Promise<void>;
}

/** The real app on a port, with the given store (memory by default) and a hand-set clock. */
export async function startVoiceApp(
  options: { factory?: StoreFactory; store?: Store; env?: StartOptions['env']; logger?: StartOptions['logger'] } = {},
): Promise<VoiceTestApp> {
  const clock = new ManualClock();
  const store = options.store ?? (options.factory ? await options.factory.make(() => clock.now()) : undefined);
  const app = await startApp({
    clock, ...(store ? { store } : {}), ...(options.env ? { env: options.env } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    // A factory's stores are closed by its cleanup().
    closeStore: !options.factory,
  });
  return {
    app,
    store: app.deps.store,
    clock,
    async post(target, params) {
      const res = await signedPost(app, target, params);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      return parseTwiml(res.text);
    },
    close: () => app.close(),
  };
}

/** Seeds John and the given rules directly in the store. */
export async function seedJohn(store: Store, ...rules: Rule[]): Promise<void> {
  await store.createUser(structuredClone(john));
  for (const rule of rules) await store.saveRule(rule);
}

/** The parameters of Twilio's first request for an inbound call. */
export function incomingParams(callSid: string, to = JOHNS_NUMBER, from = CALLER): TwilioParams {
  return {
    CallSid: callSid, AccountSid: TEST_ACCOUNT_SID, From: from, To: to, CallStatus: 'ringing',
    Direction: 'inbound', ApiVersion: '2010-04-01',
  };
}

/** What Twilio posts to a Dial action when the dialled step ended with `dialCallStatus`. */
export function dialActionParams(callSid: string, dialCallStatus: string, extra: TwilioParams = {}): TwilioParams {
  return {
    ...incomingParams(callSid), CallStatus: 'in-progress', DialCallStatus: dialCallStatus,
    DialCallSid: `CA${Buffer.from(dialCallStatus).toString('hex').padStart(32, '0')}`, ...extra,
  };
}

/** The path (without origin) of an absolute URL the app handed out. */
export const pathOf = (url: string): string => new URL(url).pathname;

/** The Dial of a TwiML answer and the URL Twilio will request when it ends. */
export function dialOf(twiml: TwimlNode): { dial: TwimlNode; action: string } {
  const dial = find(twiml, 'Dial');
  return { dial, action: attr(dial, 'action') };
}

export { VoicePath };
