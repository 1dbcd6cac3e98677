import type { CallEvent, CallRecord, CallbackRequest, Hunt, Rule, UserRecord, Voicemail } from '../domain/types';
import { CALL_RECORD_TTL_MS, NumberTakenError, type Store } from './store';

/** Expired entries are swept at most this often (reads check expiry themselves). */
const SWEEP_INTERVAL_MS = 60 * 1000;

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

type UserFilter = { userId?: string };

const copy = <T>(value: T): T => structuredClone(value);

function matching<T extends { userId: string }>(items: Iterable<T>, filter?: UserFilter): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (filter?.userId === undefined || item.userId === filter.userId) out.push(copy(item));
  }
  return out;
}

/**
 * The embedded in-process store (REDIS_URL unset): one instance, nothing survives a restart.
 * Every value goes in and comes out as a deep copy. Expiry (hunts, call records) is checked against
 * the injected `now`, so tests drive time instead of sleeping.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly users = new Map<string, UserRecord>();
  private readonly numberOwners = new Map<string, string>();
  private readonly tokenHashes = new Map<string, string>();
  private readonly rules = new Map<string, Rule>();
  private readonly hunts = new Map<string, Expiring<Hunt>>();
  private readonly voicemails = new Map<string, Voicemail>();
  private readonly callbacks = new Map<string, CallbackRequest>();
  private readonly calls = new Map<string, Expiring<CallRecord>>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** An existing user with the same id is replaced. */
  async createUser(user: UserRecord): Promise<void> {
    this.checkNumbersFree(user);
    const previous = this.users.get(user.id);
    if (previous) this.unindexUser(previous);
    this.indexUser(user);
  }

  /** Unknown user: no change (a user deleted meanwhile stays deleted). */
  async updateUser(user: UserRecord): Promise<void> {
    const previous = this.users.get(user.id);
    if (!previous) return;
    this.checkNumbersFree(user);
    this.unindexUser(previous);
    this.indexUser(user);
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const user = this.users.get(id);
    return user ? copy(user) : null;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const id = this.tokenHashes.get(tokenHash);
    return id === undefined ? null : this.getUser(id);
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.users.values()].map(copy);
  }

  async deleteUser(id: string): Promise<boolean> {
    const user = this.users.get(id);
    if (!user) return false;
    this.unindexUser(user);
    for (const rule of [...this.rules.values()]) {
      if (rule.userId === id) this.rules.delete(rule.id);
    }
    return true;
  }

  async findOwnerOfNumber(number: string): Promise<string | null> {
    return this.numberOwners.get(number) ?? null;
  }

  async saveRule(rule: Rule): Promise<void> {
    this.rules.set(rule.id, copy(rule));
  }

  async getRule(id: string): Promise<Rule | null> {
    const rule = this.rules.get(id);
    return rule ? copy(rule) : null;
  }

  async listRules(filter?: UserFilter): Promise<Rule[]> {
    return matching(this.rules.values(), filter);
  }

  async deleteRule(id: string): Promise<boolean> {
    return this.rules.delete(id);
  }

  async createHunt(hunt: Hunt, ttlSeconds: number): Promise<boolean> {
    this.sweepIfDue();
    if (this.live(this.hunts, hunt.callSid)) return false;
    this.hunts.set(hunt.callSid, { value: copy(hunt), expiresAt: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async getHunt(callSid: string): Promise<Hunt | null> {
    const hunt = this.live(this.hunts, callSid);
    return hunt ? copy(hunt) : null;
  }

  async saveVoicemail(voicemail: Voicemail): Promise<boolean> {
    if (this.voicemails.has(voicemail.id)) return false;
    this.voicemails.set(voicemail.id, copy(voicemail));
    return true;
  }

  async updateVoicemail(
    id: string,
    patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>,
  ): Promise<boolean> {
    const voicemail = this.voicemails.get(id);
    if (!voicemail) return false;
    if (patch.transcription !== undefined) voicemail.transcription = patch.transcription;
    if (patch.transcriptionStatus !== undefined) voicemail.transcriptionStatus = patch.transcriptionStatus;
    return true;
  }

  async getVoicemail(id: string): Promise<Voicemail | null> {
    const voicemail = this.voicemails.get(id);
    return voicemail ? copy(voicemail) : null;
  }

  async listVoicemails(filter?: UserFilter): Promise<Voicemail[]> {
    return matching(this.voicemails.values(), filter);
  }

  async deleteVoicemail(id: string): Promise<boolean> {
    return this.voicemails.delete(id);
  }

  async saveCallback(callback: CallbackRequest): Promise<void> {
    this.callbacks.set(callback.id, copy(callback));
  }

  async getCallback(id: string): Promise<CallbackRequest | null> {
    const callback = this.callbacks.get(id);
    return callback ? copy(callback) : null;
  }

  async listCallbacks(filter?: UserFilter): Promise<CallbackRequest[]> {
    return matching(this.callbacks.values(), filter);
  }

  async createCall(call: CallRecord): Promise<boolean> {
    this.sweepIfDue();
    if (this.live(this.calls, call.callSid)) return false;
    this.calls.set(call.callSid, { value: copy(call), expiresAt: this.now() + CALL_RECORD_TTL_MS });
    return true;
  }

  async appendCallEvent(callSid: string, event: CallEvent): Promise<void> {
    this.live(this.calls, callSid)?.events.push(copy(event));
  }

  async finishCall(callSid: string, outcome: string, endedAt: string): Promise<void> {
    const call = this.live(this.calls, callSid);
    if (!call || call.outcome !== undefined) return;
    call.outcome = outcome;
    call.endedAt = endedAt;
  }

  async getCall(callSid: string): Promise<CallRecord | null> {
    const call = this.live(this.calls, callSid);
    return call ? copy(call) : null;
  }

  async listCalls(filter?: UserFilter): Promise<CallRecord[]> {
    const now = this.now();
    const live = [...this.calls.values()].filter((entry) => entry.expiresAt > now).map((entry) => entry.value);
    return matching(live, filter);
  }

  private checkNumbersFree(user: UserRecord): void {
    for (const number of user.numbers) {
      const owner = this.numberOwners.get(number);
      if (owner !== undefined && owner !== user.id) throw new NumberTakenError(number, owner);
    }
  }

  private indexUser(user: UserRecord): void {
    this.users.set(user.id, copy(user));
    for (const number of user.numbers) this.numberOwners.set(number, user.id);
    this.tokenHashes.set(user.tokenHash, user.id);
  }

  private unindexUser(user: UserRecord): void {
    this.users.delete(user.id);
    for (const number of user.numbers) {
      if (this.numberOwners.get(number) === user.id) this.numberOwners.delete(number);
    }
    if (this.tokenHashes.get(user.tokenHash) === user.id) this.tokenHashes.delete(user.tokenHash);
  }

  /** The stored value when present and not expired (an expired one is dropped). */
  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private sweepIfDue(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const map of [this.hunts, this.calls] as Map<string, Expiring<unknown>>[]) {
      for (const [key, entry] of map) {
        if (entry.expiresAt <= now) map.delete(key);
      }
    }
  }
}
