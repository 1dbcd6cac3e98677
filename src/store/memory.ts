import { copyJson } from '../domain/copy';
import type { CallEvent, CallRecord, CallbackRequest, Hunt, HuntState, Leg, LegStatus, Rule, UserRecord, Voicemail } from '../domain/types';
import { ExpiringMap } from './expiring-map';
import { MemoryHunts } from './memory-hunts';
import { MemoryVoicemails } from './memory-voicemails';
import {
  callEventKey, CALL_RECORD_TTL_MS, NumberTakenError, type CallPageRequest, type ClaimResult, type FinishLegResult, type OwnerWithRules, type Store,
  type VoicemailUpdate,
} from './store';

type UserFilter = { userId?: string };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function matching<T extends { userId: string }>(items: Iterable<T>, filter?: UserFilter): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (filter?.userId === undefined || item.userId === filter.userId) out.push(copyJson(item));
  }
  return out;
}

/**
 * The embedded in-process store (REDIS_URL unset): one instance, nothing survives a restart.
 * Every value goes in and comes out as a deep copy (copyJson: unset fields are left out, as in Redis's JSON).
 * Expiry (hunts, call records) is checked against the injected `now`, so tests drive time instead of sleeping.
 * Extend Ring operations live in MemoryHunts, voicemails in MemoryVoicemails.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly users = new Map<string, UserRecord>();
  private readonly numberOwners = new Map<string, string>();
  private readonly tokenHashes = new Map<string, string>();
  private readonly rules = new Map<string, Rule>();
  private readonly hunts: MemoryHunts;
  private readonly voicemails: MemoryVoicemails;
  private readonly callbacks = new Map<string, CallbackRequest>();
  private readonly calls: ExpiringMap<CallRecord>;

  constructor(now: () => number = Date.now) {
    this.hunts = new MemoryHunts(now);
    this.calls = new ExpiringMap(now);
    this.voicemails = new MemoryVoicemails(now);
  }

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
  async updateUser(user: UserRecord, expected?: UserRecord): Promise<boolean> {
    const previous = this.users.get(user.id);
    if (!previous || (expected && JSON.stringify(previous) !== JSON.stringify(expected))) return false;
    this.checkNumbersFree(user);
    this.unindexUser(previous);
    this.indexUser(user);
    return true;
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const user = this.users.get(id);
    return user ? copyJson(user) : null;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    const id = this.tokenHashes.get(tokenHash);
    return id === undefined ? null : this.getUser(id);
  }

  async listUsers(): Promise<UserRecord[]> {
    return [...this.users.values()].map(copyJson);
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

  async findOwnerWithRules(number: string): Promise<OwnerWithRules | null> {
    const ownerId = this.numberOwners.get(number);
    const owner = ownerId === undefined ? undefined : this.users.get(ownerId);
    if (!owner) return null;
    return { owner: copyJson(owner), rules: matching(this.rules.values(), { userId: owner.id }) };
  }

  async saveRule(rule: Rule): Promise<void> {
    this.rules.set(rule.id, copyJson(rule));
  }

  async saveRuleChecked(rule: Rule, expected?: Rule): Promise<boolean> {
    const previous = this.rules.get(rule.id);
    const unchanged = expected ? previous !== undefined && JSON.stringify(previous) === JSON.stringify(expected) : previous === undefined;
    if (!this.users.has(rule.userId) || !unchanged) return false;
    this.rules.set(rule.id, copyJson(rule));
    return true;
  }

  async getRule(id: string): Promise<Rule | null> {
    const rule = this.rules.get(id);
    return rule ? copyJson(rule) : null;
  }

  async listRules(filter?: UserFilter): Promise<Rule[]> {
    return matching(this.rules.values(), filter);
  }

  async deleteRule(id: string): Promise<boolean> {
    return this.rules.delete(id);
  }

  async createHunt(hunt: Hunt, ttlSeconds: number): Promise<boolean> {
    return this.hunts.create(hunt, ttlSeconds);
  }

  async getHunt(callSid: string): Promise<Hunt | null> {
    return this.hunts.get(callSid);
  }

  async transitionHunt(callSid: string, from: HuntState[], to: HuntState): Promise<Hunt | null> {
    return this.hunts.transition(callSid, from, to);
  }

  async claimHunt(callSid: string, legId: string, to: 'connected' | 'voicemail', legSid?: string): Promise<ClaimResult> {
    return this.hunts.claim(callSid, legId, to, legSid);
  }

  async setQueueSid(callSid: string, queueSid: string): Promise<void> {
    this.hunts.setQueueSid(callSid, queueSid);
  }

  async startStep(callSid: string, step: number, cycle: number, legs: Leg[], logEvent?: CallEvent): Promise<boolean> {
    const started = this.hunts.startStep(callSid, step, cycle, legs);
    if (started && logEvent) await this.appendCallEvent(callSid, logEvent);
    return started;
  }

  async updateLeg(callSid: string, legId: string, patch: { sid?: string; status?: Exclude<LegStatus, 'done'> }): Promise<HuntState | null> {
    return this.hunts.updateLeg(callSid, legId, patch);
  }

  async finishLeg(callSid: string, legId: string, result: string): Promise<FinishLegResult> {
    return this.hunts.finishLeg(callSid, legId, result);
  }

  async advanceIdleStep(callSid: string): Promise<FinishLegResult['next']> {
    return this.hunts.advanceIdleStep(callSid);
  }

  async listLegs(callSid: string): Promise<Leg[]> {
    return this.hunts.listLegs(callSid);
  }

  async addDeadline(callSid: string, dueMs: number): Promise<void> {
    this.hunts.addDeadline(callSid, dueMs);
  }

  async setDeadline(key: string, dueMs: number): Promise<void> {
    this.hunts.setDeadline(key, dueMs);
  }

  async removeDeadline(callSid: string): Promise<void> {
    this.hunts.removeDeadline(callSid);
  }

  async claimDueDeadlines(nowMs: number, limit: number, leaseMs?: number): Promise<string[]> {
    return this.hunts.claimDueDeadlines(nowMs, limit, leaseMs);
  }

  async deadlineOf(key: string): Promise<number | undefined> {
    return this.hunts.deadlineOf(key);
  }

  async releaseDeadline(key: string, leasedUntilMs: number): Promise<void> {
    this.hunts.releaseDeadline(key, leasedUntilMs);
  }

  async saveVoicemail(voicemail: Voicemail): Promise<boolean> {
    return this.voicemails.save(voicemail);
  }

  async updateVoicemail(id: string, patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>): Promise<VoicemailUpdate> {
    return this.voicemails.update(id, patch);
  }

  async getVoicemail(id: string): Promise<Voicemail | null> {
    const voicemail = this.voicemails.get(id);
    return voicemail ? copyJson(voicemail) : null;
  }

  async listVoicemails(filter?: UserFilter): Promise<Voicemail[]> {
    return matching(this.voicemails.values(), filter);
  }

  async deleteVoicemail(id: string): Promise<boolean> {
    return this.voicemails.delete(id);
  }

  async saveCallback(callback: CallbackRequest): Promise<void> {
    this.callbacks.set(callback.id, copyJson(callback));
  }

  async getCallback(id: string): Promise<CallbackRequest | null> {
    const callback = this.callbacks.get(id);
    return callback ? copyJson(callback) : null;
  }

  async listCallbacks(filter?: UserFilter): Promise<CallbackRequest[]> {
    return matching(this.callbacks.values(), filter);
  }

  async createCall(call: CallRecord): Promise<boolean> {
    if (this.calls.get(call.callSid)) return false;
    this.calls.set(call.callSid, copyJson(call), CALL_RECORD_TTL_MS);
    return true;
  }

  async appendCallEvent(callSid: string, event: CallEvent): Promise<void> {
    const call = this.calls.get(callSid);
    if (!call) return;
    const key = callEventKey(event);
    if (call.events.some((e) => callEventKey(e) === key)) return;
    call.events.push(copyJson(event));
  }

  async finishCall(callSid: string, outcome: string, endedAt: string): Promise<boolean> {
    const call = this.calls.get(callSid);
    if (!call || call.outcome !== undefined) return false;
    call.outcome = outcome;
    call.endedAt = endedAt;
    return true;
  }

  async getCall(callSid: string): Promise<CallRecord | null> {
    const call = this.calls.get(callSid);
    return call ? copyJson(call) : null;
  }

  async listCalls(filter?: UserFilter): Promise<CallRecord[]> {
    return matching(this.calls.values(), filter);
  }

  async pageCalls(filter: UserFilter, page: CallPageRequest): Promise<{ items: CallRecord[]; total: number }> {
    const calls = [...this.calls.values()].filter((call) => filter.userId === undefined || call.userId === filter.userId);
    const direction = page.newestFirst ? -1 : 1;
    calls.sort((a, b) => direction * compareText(a.startedAt, b.startedAt) || compareText(a.callSid, b.callSid));
    return { items: calls.slice(page.offset, page.offset + page.limit).map(copyJson), total: calls.length };
  }

  private checkNumbersFree(user: UserRecord): void {
    for (const number of user.numbers) {
      const owner = this.numberOwners.get(number);
      if (owner !== undefined && owner !== user.id) throw new NumberTakenError(number, owner);
    }
  }

  private indexUser(user: UserRecord): void {
    this.users.set(user.id, copyJson(user));
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
}
