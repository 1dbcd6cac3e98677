import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { HUNT_TTL_SECONDS, newHunt } from '../domain/hunt-plan';
import type { CallRecord, Hunt, Leg, Mode, Rule, UserRecord } from '../domain/types';
import { stepCheckKey } from '../extend-ring/due-keys';
import { legIdOf } from '../extend-ring/leg-ids';
import { STEP_CHECK_SLACK_MS } from '../extend-ring/legs';
import type { Store } from '../store/store';
import { TWILIO_SIGNATURE_HEADER } from '../twilio/constants';

/**
 * What every benchmark part shares: the bench account's credentials, the business number's owner and rules,
 * realistic Extend Ring hunts, and Twilio-shaped signed /voice/incoming requests. Bench-only code: nothing
 * in the app imports src/bench.
 */

export const BENCH_ACCOUNT_SID = `AC${'be0c'.padEnd(32, '0')}`;
export const BENCH_AUTH_TOKEN = 'bench-auth-token-0123456789abcdef';
export const BUSINESS_NUMBER = '+15557770100';
export const CALLER_NUMBER = '+15558675309';

const OWNER: UserRecord = {
  id: 'bench-owner', name: 'John Bench', role: 'user', numbers: [BUSINESS_NUMBER], canManageRules: true,
  tokenHash: 'b'.repeat(64), createdAt: '2026-01-05T09:00:00.000Z', updatedAt: '2026-01-05T09:00:00.000Z',
};

/** John's example as a Follow Me rule (office 40 s, home 30 s, cell and app together). */
function followMeRule(): Rule {
  return {
    ...ruleBase('bench-follow-me', 'Weekday follow me', 'followMe'),
    steps: [
      { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: '+15551230002', label: 'Home' }], ringSeconds: 30 },
      { destinations: [{ type: 'number', to: '+15551230003', label: 'Cell' }, { type: 'client', to: 'john' }], ringSeconds: 30 },
    ],
  };
}

/** A two-step Extend Ring rule: office phone and John's app together, then his cell. */
export function extendRingRule(): Rule {
  return {
    ...ruleBase('bench-extend-ring', 'Hold and hunt', 'extendRing'),
    steps: [
      { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }, { type: 'client', to: 'john' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: '+15551230003', label: 'Cell' }], ringSeconds: 30 },
    ],
    holdMusicUrl: 'https://example.com/hold-music.mp3',
    holdAnnouncement: 'Thanks for holding. We are trying to reach John.',
  };
}

function ruleBase(id: string, name: string, mode: Mode): Omit<Rule, 'steps'> {
  return {
    id, userId: OWNER.id, name, enabled: true, priority: 0, mode, confirm: false,
    callerId: mode === 'followMe' ? 'caller' : 'called', maxHoldMinutes: 10,
    voicemail: { greeting: "John can't take your call right now. Please leave a message after the tone.", maxLengthSeconds: 120, transcribe: false },
    createdAt: '2026-01-05T09:00:00.000Z', updatedAt: '2026-01-05T09:00:00.000Z',
  };
}

/** Stores the owner of BUSINESS_NUMBER and one enabled rule of the given mode. */
export async function seedOwner(store: Store, mode: Mode): Promise<void> {
  await store.createUser(OWNER);
  await store.saveRule(mode === 'followMe' ? followMeRule() : extendRingRule());
}

/** CallSids unique to this process run: CA + 8 random hex + 24 hex of a counter (34 characters, like Twilio's). */
export class CallSids {
  private readonly run = randomBytes(4).toString('hex');
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `CA${this.run}${this.counter.toString(16).padStart(24, '0')}`;
  }
}

/** The parameters Twilio sends to a number's Voice URL for a new inbound call. */
function incomingParams(callSid: string): Record<string, string> {
  return {
    AccountSid: BENCH_ACCOUNT_SID, ApiVersion: '2010-04-01', CallSid: callSid, CallStatus: 'ringing',
    Called: BUSINESS_NUMBER, CalledCity: 'BROOKLYN', CalledCountry: 'US', CalledState: 'NY', CalledZip: '11201',
    Caller: CALLER_NUMBER, CallerCity: 'CHICAGO', CallerCountry: 'US', CallerState: 'IL', CallerZip: '60601',
    Direction: 'inbound', From: CALLER_NUMBER, FromCity: 'CHICAGO', FromCountry: 'US', FromState: 'IL', FromZip: '60601',
    To: BUSINESS_NUMBER, ToCity: 'BROOKLYN', ToCountry: 'US', ToState: 'NY', ToZip: '11201',
  };
}

export const INCOMING_PATH = '/voice/incoming';

/** A form body and headers for /voice/incoming, signed like Twilio does for `publicBaseUrl` + the path. */
export function signedIncoming(publicBaseUrl: string, callSid: string): { body: string; headers: Record<string, string> } {
  const params = incomingParams(callSid);
  const signature = twilio.getExpectedTwilioSignature(BENCH_AUTH_TOKEN, publicBaseUrl + INCOMING_PATH, params);
  return {
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', [TWILIO_SIGNATURE_HEADER.toLowerCase()]: signature },
  };
}

/** An Extend Ring hunt as /voice/incoming stores it: 2-step plan snapshot, queue, deadline `due`. */
export function holdingHunt(callSid: string, now: number, due: number): Hunt {
  const hunt = newHunt({ callSid, owner: OWNER, from: CALLER_NUMBER, to: BUSINESS_NUMBER, rule: extendRingRule(), now });
  return { ...hunt, deadline: due, queueName: `hunt-${callSid}` };
}

/** The legs of step 0, cycle 0 as placeStep records them. */
export function stepZeroLegs(hunt: Hunt): Leg[] {
  const step = hunt.plan?.steps[0];
  if (!step) throw new Error('bench hunt has no step 0');
  return step.destinations.map((destination, index) => ({
    id: legIdOf({ cycle: 0, step: 0, index }), cycle: 0, step: 0, index, destination, status: 'placing',
  }));
}

/** Stores a hunt the way an Extend Ring call on hold leaves it: snapshot, step 0 placed and ringing, deadline, step watchdog. */
export async function storeHoldingHunt(store: Store, hunt: Hunt, legSid: (index: number) => string): Promise<void> {
  await store.createHunt(hunt, HUNT_TTL_SECONDS);
  const legs = stepZeroLegs(hunt);
  await store.startStep(hunt.callSid, 0, 0, legs);
  await Promise.all(legs.map((leg) => store.updateLeg(hunt.callSid, leg.id, { sid: legSid(leg.index), status: 'ringing' })));
  if (hunt.deadline !== undefined) await store.addDeadline(hunt.callSid, hunt.deadline);
  const ringMs = (hunt.plan?.steps[0]?.ringSeconds ?? 0) * 1000;
  await store.setDeadline(stepCheckKey(hunt.callSid), hunt.createdAt + ringMs + STEP_CHECK_SLACK_MS);
}

/** The call log entry /voice/incoming starts for a hunt, with the step event placeStep appends. */
export function callRecordOf(hunt: Hunt): CallRecord {
  const at = hunt.createdAt;
  return {
    callSid: hunt.callSid, userId: hunt.userId, from: hunt.from, to: hunt.to,
    ruleId: hunt.plan?.ruleId, ruleName: hunt.plan?.ruleName, mode: hunt.plan?.mode,
    startedAt: new Date(at).toISOString(),
    events: [{ at, type: 'incoming', detail: hunt.from }, { at, type: 'rule', detail: hunt.plan?.ruleName }],
  };
}
