import type { CallEvent, CallRecord, CallbackRequest, Hunt, Rule, UserRecord, Voicemail } from '../domain/types';

/** A number is already owned by another user. */
export class NumberTakenError extends Error {
  constructor(readonly number: string, readonly ownerId: string) {
    super(`number ${number} already belongs to another user`);
    this.name = 'NumberTakenError';
  }
}

/** The store did not answer in time or is unreachable. Maps to 503 in the API and to safe TwiML on webhooks. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** Call log entries (createCall) are forgotten this long after they are logged, by both stores. */
export const CALL_RECORD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Everything the app keeps. Two implementations pass the same contract suite (test/store):
 * Redis (production, several instances) and the embedded in-process store (REDIS_URL unset).
 * All methods return copies: mutating a returned object never changes the store.
 * Lists return every matching item; the API sorts and pages them (see domain/paging).
 */
export interface Store {
  readonly kind: 'redis' | 'memory';
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Atomically checks and takes the user's numbers. Throws NumberTakenError if one belongs to another user. */
  createUser(user: UserRecord): Promise<void>;
  /** Replaces the user; numbers dropped are released, numbers added are taken atomically (NumberTakenError). */
  updateUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Removes the user, their numbers and their rules. False when unknown. */
  deleteUser(id: string): Promise<boolean>;
  /** The id of the user owning an E.164 number, or null. */
  findOwnerOfNumber(number: string): Promise<string | null>;

  /** Creates or replaces. */
  saveRule(rule: Rule): Promise<void>;
  getRule(id: string): Promise<Rule | null>;
  listRules(filter?: { userId?: string }): Promise<Rule[]>;
  deleteRule(id: string): Promise<boolean>;

  /** Records a hunt snapshot that expires after ttlSeconds. False (and no change) when one exists for that CallSid. */
  createHunt(hunt: Hunt, ttlSeconds: number): Promise<boolean>;
  getHunt(callSid: string): Promise<Hunt | null>;

  /** Stores once per recording SID: false (and no change) when already stored. */
  saveVoicemail(voicemail: Voicemail): Promise<boolean>;
  /** Merges fields into a stored voicemail; false when unknown. */
  updateVoicemail(id: string, patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>): Promise<boolean>;
  getVoicemail(id: string): Promise<Voicemail | null>;
  listVoicemails(filter?: { userId?: string }): Promise<Voicemail[]>;
  deleteVoicemail(id: string): Promise<boolean>;

  saveCallback(callback: CallbackRequest): Promise<void>;
  getCallback(id: string): Promise<CallbackRequest | null>;
  listCallbacks(filter?: { userId?: string }): Promise<CallbackRequest[]>;

  /** Starts a call log entry; false (no change) when one exists. */
  createCall(call: CallRecord): Promise<boolean>;
  /** Appends to the timeline of a known call (no-op for an unknown one). */
  appendCallEvent(callSid: string, event: CallEvent): Promise<void>;
  /** Sets outcome/endedAt (only the first outcome sticks: repeated callbacks change nothing). */
  finishCall(callSid: string, outcome: string, endedAt: string): Promise<void>;
  getCall(callSid: string): Promise<CallRecord | null>;
  listCalls(filter?: { userId?: string }): Promise<CallRecord[]>;
}
