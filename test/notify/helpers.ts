import request from 'supertest';
import type { User } from '../../src/domain/types';
import { VirtualClock } from '../../src/simulator/virtual-clock';
import { VoicePath } from '../../src/voice/urls';
import { startApp, TEST_ACCOUNT_SID, TEST_ADMIN_TOKEN, type RunningApp, type StartOptions } from '../support/app';
import { attr, find, parseTwiml, signedPost, type TwilioParams, type TwimlNode } from '../support/twilio';

export const JOHNS_NUMBER = '+15550001000';
export const MARYS_NUMBER = '+15550002000';
export const CALLER = '+15557654321';
export const SIGNING_SECRET = 'notify-signing-secret-0123456789';

/** When a rig's virtual clock starts, unless given one. */
export const RIG_START = Date.parse('2026-03-03T15:00:00.000Z');

/** The deadline sweeper's interval, as in production: a retry is sent at most this late. */
const SWEEP_MS = 250;

const asAdmin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

export interface NotifyRig {
  readonly app: RunningApp;
  /** The app's clock: retries wait on it, so the test moves them on with advanceBy. */
  readonly clock: VirtualClock;
  /** POST /api/users as the administrator, then a one-step Follow Me rule (or with `rule` overrides) for the user. */
  createUserWithRule(body: Record<string, unknown>, rule?: Record<string, unknown>): Promise<User & { token: string }>;
  /** Posts a signed webhook; expects 200 TwiML. */
  post(target: string, params: TwilioParams): Promise<ReturnType<typeof parseTwiml>>;
  /** A caller reaches the user's voicemail: the `<Record>` the app answers with. */
  reachVoicemail(callSid: string, to?: string): Promise<TwimlNode>;
  /** A caller reaches the user's voicemail and Twilio reports the recording: the recording status request, to repeat. */
  leaveVoicemail(callSid: string, recordingSid: string, to?: string): Promise<{ url: string; params: TwilioParams }>;
  /** Waits until the app's deadline sweeper and background work (a notification attempt included) are done. */
  settle(): Promise<void>;
  /** Moves virtual time on by `ms`, one sweeper tick at a time, letting the attempts that fall due finish. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function inbound(callSid: string, to = JOHNS_NUMBER, extra: TwilioParams = {}): TwilioParams {
  return { CallSid: callSid, AccountSid: TEST_ACCOUNT_SID, From: CALLER, To: to, CallStatus: 'ringing', Direction: 'inbound', ...extra };
}

/** The real app with the given environment, a VirtualClock (its own unless given), the default retry policy and a deadline sweeper (retries). */
export async function startNotifyRig(env: Record<string, string> = {}, options: Omit<StartOptions, 'env' | 'clock'> & { clock?: VirtualClock } = {}): Promise<NotifyRig> {
  const clock = options.clock ?? new VirtualClock(RIG_START);
  const app = await startApp({ sweeper: { intervalMs: SWEEP_MS }, ...options, clock, env });
  const http = () => request(app.server);
  const rig: NotifyRig = {
    app,
    clock,
    async createUserWithRule(body, overrides = {}) {
      const created = await http().post('/api/users').set(asAdmin).send(body);
      if (created.status !== 201) throw new Error(`creating a user failed: ${created.status} ${JSON.stringify(created.body)}`);
      const rule = {
        userId: created.body.id, name: 'Office only', mode: 'followMe',
        steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 }],
        ...overrides,
      };
      const ruled = await http().post('/api/rules').set(asAdmin).send(rule);
      if (ruled.status !== 201) throw new Error(`creating a rule failed: ${ruled.status} ${JSON.stringify(ruled.body)}`);
      return created.body;
    },
    async post(target, params) {
      const res = await signedPost(app, target, params);
      if (res.status !== 200 || !String(res.headers['content-type']).startsWith('text/xml')) {
        throw new Error(`webhook ${target} answered ${res.status} ${res.text}`);
      }
      return parseTwiml(res.text);
    },
    async reachVoicemail(callSid, to = JOHNS_NUMBER) {
      const dial = find(await rig.post(VoicePath.Incoming, inbound(callSid, to)), 'Dial');
      const voicemail = await rig.post(attr(dial, 'action'), inbound(callSid, to, { CallStatus: 'in-progress', DialCallStatus: 'no-answer' }));
      return find(voicemail, 'Record');
    },
    async leaveVoicemail(callSid, recordingSid, to = JOHNS_NUMBER) {
      const url = attr(await rig.reachVoicemail(callSid, to), 'recordingStatusCallback');
      const params: TwilioParams = {
        AccountSid: TEST_ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, RecordingStatus: 'completed',
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/${recordingSid}`,
        RecordingDuration: '17', RecordingChannels: '1', RecordingSource: 'RecordVerb',
      };
      await rig.post(url, params);
      return { url, params };
    },
    async settle() {
      // a retry falls due in the sweeper's tick, which hands it to a background task
      await app.sweeper?.idle();
      await app.deps.background.idle();
    },
    async advance(ms) {
      for (let left = ms; left > 0; left -= SWEEP_MS) {
        clock.advanceBy(Math.min(SWEEP_MS, left));
        await rig.settle();
      }
    },
    close: () => app.close(),
  };
  return rig;
}
