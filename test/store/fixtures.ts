import type { CallRecord, CallbackRequest, Hunt, Leg, Rule, UserRecord, Voicemail } from '../../src/domain/types';

/** Plain domain objects for store tests; each call gives a fresh object. */

export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 'user-1',
    name: 'Ann Office',
    role: 'user',
    numbers: ['+15550000001'],
    canManageRules: true,
    email: 'ann@example.com',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    tokenHash: `hash-of-${overrides.id ?? 'user-1'}`,
    ...overrides,
  };
}

export function aRule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'rule-1',
    userId: 'user-1',
    name: 'Weekday hunting',
    enabled: true,
    priority: 0,
    mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: '+15551230003' }, { type: 'client', to: 'john' }], ringSeconds: 30 },
    ],
    schedule: { timezone: 'America/New_York', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
    confirm: false,
    callerId: 'caller',
    maxHoldMinutes: 10,
    voicemail: { greeting: 'Leave a message after the tone.', maxLengthSeconds: 120, transcribe: false },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function aHunt(overrides: Partial<Hunt> = {}): Hunt {
  return {
    callSid: 'CA00000000000000000000000000000001',
    userId: 'user-1',
    userName: 'Ann Office',
    from: '+15559990000',
    to: '+15550000001',
    plan: {
      ruleId: 'rule-1',
      ruleName: 'Weekday hunting',
      mode: 'extendRing',
      steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 }],
      confirm: true,
      callerId: 'called',
      maxHoldMinutes: 10,
      holdMusicUrl: 'https://example.com/hold.mp3',
      voicemail: { maxLengthSeconds: 120, transcribe: true },
    },
    state: 'hunting',
    step: 0,
    cycle: 0,
    deadline: 1735690200000,
    queueName: 'hold-CA00000000000000000000000000000001',
    createdAt: 1735689600000,
    ...overrides,
  };
}

export function aVoicemail(overrides: Partial<Voicemail> = {}): Voicemail {
  return {
    id: 'RE00000000000000000000000000000001',
    callSid: 'CA00000000000000000000000000000001',
    userId: 'user-1',
    ruleId: 'rule-1',
    from: '+15559990000',
    to: '+15550000001',
    durationSeconds: 17,
    recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE00000000000000000000000000000001',
    transcriptionStatus: 'pending',
    createdAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aCallback(overrides: Partial<CallbackRequest> = {}): CallbackRequest {
  return {
    id: 'cb-1',
    callSid: 'CA00000000000000000000000000000001',
    userId: 'user-1',
    from: '+15559990000',
    to: '+15550000001',
    number: '+15557770000',
    status: 'open',
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aCall(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    callSid: 'CA00000000000000000000000000000001',
    userId: 'user-1',
    from: '+15559990000',
    to: '+15550000001',
    ruleId: 'rule-1',
    ruleName: 'Weekday hunting',
    mode: 'followMe',
    startedAt: '2025-01-01T10:00:00.000Z',
    events: [{ at: 1735725600000, type: 'incoming' }],
    ...overrides,
  };
}

const byId = <T extends { id: string }>(a: T, b: T): number => a.id.localeCompare(b.id);

/** Lists come back in no particular order; tests compare them sorted. */
export function sortedById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort(byId);
}

/** An Extend Ring hunt whose rule has two steps (office + John's app, then home), at step 0 of cycle 0. */
export function anExtendRingHunt(overrides: Partial<Hunt> = {}): Hunt {
  const hunt = aHunt(overrides);
  hunt.plan!.steps = [
    { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }, { type: 'client', to: 'john' }], ringSeconds: 40 },
    { destinations: [{ type: 'number', to: '+15551230002', label: 'Home' }], ringSeconds: 30 },
  ];
  return hunt;
}

/** The legs a flow would record for (step, cycle) of a hunt's plan, before placing them. */
export function legsOf(hunt: Hunt, step: number, cycle: number): Leg[] {
  return hunt.plan!.steps[step]!.destinations.map((destination, index) => ({
    id: `${cycle}.${step}.${index}`, cycle, step, index, destination, status: 'placing' as const,
  }));
}
