import type { CallEvent, CallRecord, CallbackRequest, Hunt, HuntState, Leg, LegStatus, Rule, UserRecord, Voicemail } from '../domain/types';

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

/** Outcome of a leg's claim on a hunt: it won, another outcome was already decided, or the caller is gone. */
/** 'not-a-leg': the claimer is not a live leg of the hunt (see claimHunt). */
export type ClaimResult = 'claimed' | 'taken' | 'gone' | 'not-a-leg';

/** Result of a leg's final status: counted once; `next` is set for the one call that moved the hunt on. */
export interface FinishLegResult {
  counted: boolean;
  next?: { step: number; cycle: number };
}

/** A number's owner with every rule they have (in no particular order). */
export interface OwnerWithRules {
  owner: UserRecord;
  rules: Rule[];
}

/**
 * What makes two call-log events the same event: everything but its time. A webhook Twilio repeats logs the same
 * event again; appendCallEvent drops it (the timeline says each thing once).
 */
export function callEventKey(event: CallEvent): string {
  const { at: _at, ...rest } = event;
  return JSON.stringify(rest);
}

/**
 * What updateVoicemail did: `unknown` (the voicemail is not stored yet, the transcription then kept for it, or was
 * deleted); `transcribed` when this update gave a stored voicemail its first result (`completed` or `failed`, where it
 * was `pending` or had none): exactly one update of a voicemail answers it, whatever repeats land together; `updated`
 * for any other (a repeat of the result).
 */
export type VoicemailUpdate = 'unknown' | 'updated' | 'transcribed';

/** Call log entries (createCall) are forgotten this long after they are logged, by both stores. */
export const CALL_RECORD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Everything the app keeps. Two implementations pass the same contract suite (test/store):
 * Redis (production, several instances) and the embedded in-process store (REDIS_URL unset).
 * All methods return copies: mutating a returned object never changes the store.
 * Lists return every matching item; the API sorts and pages them (see domain/paging).
 */
export interface Store extends ExtendRingStore {
  readonly kind: 'redis' | 'memory';
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Atomically checks and takes the user's numbers. Throws NumberTakenError if one belongs to another user. */
  createUser(user: UserRecord): Promise<void>;
  /**
   * Replaces the user; numbers dropped are released, numbers added are taken atomically (NumberTakenError). False (no
   * change) for an unknown user, or, given `expected` (the user as read before the change), when the stored user is no
   * longer that: another request changed it meanwhile, and the caller reads it again.
   */
  updateUser(user: UserRecord, expected?: UserRecord): Promise<boolean>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Removes the user, their numbers and their rules. False when unknown. */
  deleteUser(id: string): Promise<boolean>;
  /** The owner of an E.164 number and their rules (as listRules({ userId })), read together; null when nobody owns it. */
  findOwnerWithRules(number: string): Promise<OwnerWithRules | null>;

  /** Creates or replaces. */
  saveRule(rule: Rule): Promise<void>;
  /**
   * Saves a rule for a request that read the store first: only while its owner exists, and only if the rule is still
   * `expected` (as read before the change), or, without `expected`, does not exist yet. False (no change) otherwise.
   */
  saveRuleChecked(rule: Rule, expected?: Rule): Promise<boolean>;
  getRule(id: string): Promise<Rule | null>;
  listRules(filter?: { userId?: string }): Promise<Rule[]>;
  deleteRule(id: string): Promise<boolean>;

  /** Records a hunt snapshot that expires after ttlSeconds. False (and no change) when one exists for that CallSid. */
  createHunt(hunt: Hunt, ttlSeconds: number): Promise<boolean>;
  getHunt(callSid: string): Promise<Hunt | null>;

  /** Stores once per recording SID: false (and no change) when already stored. */
  saveVoicemail(voicemail: Voicemail): Promise<boolean>;
  /** Merges Twilio's transcription into a stored voicemail (or keeps it for one not stored yet): see VoicemailUpdate. */
  updateVoicemail(id: string, patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>): Promise<VoicemailUpdate>;
  getVoicemail(id: string): Promise<Voicemail | null>;
  listVoicemails(filter?: { userId?: string }): Promise<Voicemail[]>;
  deleteVoicemail(id: string): Promise<boolean>;

  saveCallback(callback: CallbackRequest): Promise<void>;
  getCallback(id: string): Promise<CallbackRequest | null>;
  listCallbacks(filter?: { userId?: string }): Promise<CallbackRequest[]>;

  /** Starts a call log entry; false (no change) when one exists. */
  createCall(call: CallRecord): Promise<boolean>;
  /** Appends to the timeline of a known call (no-op for an unknown one, or for an event already logged: see callEventKey). */
  appendCallEvent(callSid: string, event: CallEvent): Promise<void>;
  /** Sets outcome/endedAt (only the first outcome sticks: repeated callbacks change nothing). True when this call set it. */
  finishCall(callSid: string, outcome: string, endedAt: string): Promise<boolean>;
  getCall(callSid: string): Promise<CallRecord | null>;
  listCalls(filter?: { userId?: string }): Promise<CallRecord[]>;
  /**
   * One page of the call log by start time (`newestFirst` or oldest first; calls that started in the same millisecond
   * by CallSid), and how many calls there are: GET /api/calls as it lists by default, reading only that page's entries.
   */
  pageCalls(filter: { userId?: string }, page: CallPageRequest): Promise<{ items: CallRecord[]; total: number }>;
}

export interface CallPageRequest {
  offset: number;
  limit: number;
  newestFirst: boolean;
}

/** Extend Ring operations: every method is atomic in both stores (Lua scripts in Redis). */
export interface ExtendRingStore {
  /** Moves a hunt whose state is one of `from` to `to`; the updated hunt, or null (no change) otherwise or when unknown. */
  transitionHunt(callSid: string, from: HuntState[], to: HuntState): Promise<Hunt | null>;
  /**
   * A leg claims the call for an outcome: only a hunt still `hunting` can be claimed and exactly one claim wins
   * ('claimed', state becomes `to`). 'taken' when another outcome was decided, 'gone' when the caller hung up
   * (`abandoned`) or the hunt is unknown. The winning leg repeating its claim (a repeated webhook) gets 'claimed' again.
   * Only a leg the hunt placed and that has not ended may claim, and only from its own call: 'not-a-leg' (no change)
   * when `legId` is not such a leg, or when its SID is recorded and `legSid` is another; a leg of the hunt that ended once
   * the hunt was decided gets 'taken' (hung up by the app while its key press was on its way). A leg that ended `completed`
   * (answered) may still claim 'voicemail' from its recorded SID: it pressed 2 and hung up, and its final status came first.
   * A leg that ended `failed` with no SID recorded (its placement's outcome unknown: Twilio may have made the call) may
   * claim from a call of its own, whose CallSid becomes its SID.
   */
  claimHunt(callSid: string, legId: string, to: 'connected' | 'voicemail', legSid?: string): Promise<ClaimResult>;
  /** Records the SID of the hunt's queue; the first one recorded stays. No-op for an unknown hunt. */
  setQueueSid(callSid: string, queueSid: string): Promise<void>;
  /**
   * Records the legs of (step, cycle) before they are placed: only when the hunt is `hunting` at exactly that
   * step and cycle and they are not recorded yet. False (no change) otherwise — e.g. a duplicate advance.
   * Legs of cycles older than the previous one are forgotten then (listLegs no longer returns them; late
   * callbacks for them count nothing), so a long hold with short steps stays small.
   * `logEvent` (the step's call-log event) is appended to the call's timeline in the same atomic step, only when
   * the legs are recorded (and only when the call has a log entry).
   */
  startStep(callSid: string, step: number, cycle: number, legs: Leg[], logEvent?: CallEvent): Promise<boolean>;
  /**
   * Sets a leg's REST SID and/or live status; a leg already `done` does not change, and a live status never moves
   * back (placing < queued < ringing < in-progress: status callbacks may arrive out of order). Unknown leg: no-op.
   * Answers the hunt's state as it is once the leg is updated (null: no such hunt), so that whoever just placed a
   * leg learns in the same step whether the hunt ended meanwhile.
   */
  updateLeg(callSid: string, legId: string, patch: { sid?: string; status?: Exclude<LegStatus, 'done'> }): Promise<HuntState | null>;
  /**
   * A leg's final result, counted once (repeats and late callbacks: counted false). When it was the last
   * pending leg of the hunt's current step and the hunt is still `hunting`, the hunt moves to the next step
   * (after the last step: step 0 of the next cycle) and `next` says where.
   */
  finishLeg(callSid: string, legId: string, result: string): Promise<FinishLegResult>;
  /** Every leg recorded for the hunt (all steps and cycles), ordered by cycle, step, index; [] when unknown. */
  /**
   * Moves on a hunt that is hunting at a started step with no leg pending, as finishLeg does for the last result: for
   * a step whose last result was counted while the hunt was not hunting (it went back to hunting after). Returns where
   * the hunt moved, or undefined (no change).
   */
  advanceIdleStep(callSid: string): Promise<FinishLegResult['next']>;
  listLegs(callSid: string): Promise<Leg[]>;
  /**
   * Max-hold deadlines: one entry per call, scored by due time (epoch ms). A call's deadline stays until it is claimed
   * or removed: adding another for the same call (a repeated incoming webhook) does not move it.
   */
  addDeadline(callSid: string, dueMs: number): Promise<void>;
  /** Sets an entry's due time whether or not it exists (a watchdog re-armed for a hunt's next step). */
  setDeadline(key: string, dueMs: number): Promise<void>;
  removeDeadline(callSid: string): Promise<void>;
  /**
   * Hands out up to `limit` entries due at `nowMs`, earliest first, each to exactly one caller. Without `leaseMs` they
   * are removed; with it they are leased: due again at `nowMs + leaseMs`, so that an entry whose handler never finished
   * (its instance died, the store failed) is handed out again, unless releaseDeadline removed it first.
   */
  claimDueDeadlines(nowMs: number, limit: number, leaseMs?: number): Promise<string[]>;
  /** When an entry is due (epoch ms), or undefined when there is none. */
  deadlineOf(key: string): Promise<number | undefined>;
  /** Removes an entry its handler has finished with: only while it is still due at `leasedUntilMs` (not set again since). */
  releaseDeadline(key: string, leasedUntilMs: number): Promise<void>;
}
