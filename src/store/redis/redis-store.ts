import type { Redis } from 'ioredis';
import type { CallEvent, CallRecord, CallbackRequest, Hunt, HuntState, Leg, LegStatus, Rule, UserRecord, Voicemail } from '../../domain/types';
import { silentLogger, type Logger } from '../../log';
import { CALL_RECORD_TTL_MS, type CallPageRequest, type ClaimResult, type FinishLegResult, type OwnerWithRules, type Store, type VoicemailUpdate } from '../store';
import { CALL_FIELDS, VOICEMAIL_FIELDS, decodeCall, decodeVoicemail } from './codec';
import * as calls from './calls';
import * as commands from './commands';
import { connectRedis, toStoreError, UnansweredGuard, whenReady } from './connection';
import * as hunts from './hunts';
import { redisKeys, type RedisKeys } from './keys';
import { IncompatibleSchemaError, SchemaGuard } from './schema';
import { defineScripts, execPipeline } from './scripts';

export interface RedisStoreOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Put before every key (REDIS_PREFIX), so several apps or test suites can share one Redis. */
  prefix: string;
  logger?: Logger;
  /** Epoch ms, for call-log index scores; scripts never read the clock themselves. */
  now?: () => number;
  /** False: a rediss:// URL's certificate is not checked (REDIS_TLS_REJECT_UNAUTHORIZED). Default true. */
  tlsRejectUnauthorized?: boolean;
  /** Redis holds data of a newer schema than this version's (every store call fails meanwhile; see schema.ts). */
  onIncompatibleSchema?: (error: IncompatibleSchemaError) => void;
}

type UserFilter = { userId?: string };

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));
const parseAll = <T>(jsons: readonly string[]): T[] => jsons.map((json) => JSON.parse(json) as T);

/**
 * The production store: several app instances share one Redis. Every atomic multi-key change is a Lua script
 * (./lua, wrappers in ./commands); values are compact JSON strings. Connection trouble rejects with
 * StoreUnavailableError within about two seconds (at once for up to two seconds after one timed out, until Redis
 * answers again), and the connection heals itself when Redis is back.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  readonly keys: RedisKeys;
  private readonly redis: Redis;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly unanswered: UnansweredGuard;
  private readonly schema: SchemaGuard;

  constructor(options: RedisStoreOptions) {
    this.keys = redisKeys(options.prefix);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.redis = connectRedis(options.url, this.logger, { tlsRejectUnauthorized: options.tlsRejectUnauthorized ?? true });
    this.unanswered = new UnansweredGuard(this.redis, this.logger);
    this.schema = new SchemaGuard(this.redis, this.keys.schema, this.logger, options.onIncompatibleSchema);
    defineScripts(this.redis);
  }

  async ping(): Promise<void> {
    await this.run((redis) => redis.ping());
  }

  /** Quits politely when connected; otherwise drops the connection (and stops reconnecting) at once. */
  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    if (this.redis.status !== 'ready') {
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch (error) {
      this.logger.debug({ err: error }, 'Redis QUIT failed; disconnecting');
      this.redis.disconnect();
    }
  }

  createUser(user: UserRecord): Promise<void> {
    return this.run(async (redis) => {
      await commands.saveUser(redis, this.keys, user, false);
    });
  }

  /** Unknown user: no change (a user deleted meanwhile stays deleted). */
  updateUser(user: UserRecord, expected?: UserRecord): Promise<boolean> {
    return this.run((redis) => commands.saveUser(redis, this.keys, user, true, expected));
  }

  getUser(id: string): Promise<UserRecord | null> {
    return this.run(async (redis) => parse<UserRecord>(await redis.hget(this.keys.users, id)));
  }

  findUserByTokenHash(tokenHash: string): Promise<UserRecord | null> {
    return this.run(async (redis) => parse<UserRecord>(await commands.findUser(redis, this.keys, this.keys.tokens, tokenHash)));
  }

  listUsers(): Promise<UserRecord[]> {
    return this.run(async (redis) => parseAll<UserRecord>(await redis.hvals(this.keys.users)));
  }

  deleteUser(id: string): Promise<boolean> {
    return this.run((redis) => commands.deleteUser(redis, this.keys, id));
  }

  findOwnerWithRules(number: string): Promise<OwnerWithRules | null> {
    return this.run(async (redis) => {
      const found = await commands.findOwnerWithRules(redis, this.keys, number);
      return found && { owner: JSON.parse(found[0]) as UserRecord, rules: JSON.parse(found[1]) as Rule[] };
    });
  }

  saveRule(rule: Rule): Promise<void> {
    return this.run((redis) => commands.saveOwned(redis, commands.ownedRules(this.keys), rule));
  }

  saveRuleChecked(rule: Rule, expected?: Rule): Promise<boolean> {
    return this.run((redis) => commands.saveRuleChecked(redis, this.keys, rule, expected));
  }

  getRule(id: string): Promise<Rule | null> {
    return this.run(async (redis) => parse<Rule>(await redis.hget(this.keys.rules, id)));
  }

  listRules(filter?: UserFilter): Promise<Rule[]> {
    return this.run(async (redis) => parseAll<Rule>(filter?.userId === undefined
      ? await redis.hvals(this.keys.rules)
      : await commands.listOwned(redis, commands.ownedRules(this.keys), filter.userId)));
  }

  deleteRule(id: string): Promise<boolean> {
    return this.run((redis) => commands.deleteOwned(redis, commands.ownedRules(this.keys), id));
  }

  /** The snapshot and the live state, created together with one expiry (create_hunt.lua). */
  createHunt(hunt: Hunt, ttlSeconds: number): Promise<boolean> {
    const ttlMs = Math.max(1, Math.round(ttlSeconds * 1000));
    return this.run((redis) => hunts.createHunt(redis, this.keys, hunt, ttlMs));
  }

  getHunt(callSid: string): Promise<Hunt | null> {
    return this.run((redis) => hunts.getHunt(redis, this.keys, callSid));
  }

  setQueueSid(callSid: string, queueSid: string): Promise<void> {
    return this.run((redis) => hunts.setQueueSid(redis, this.keys, callSid, queueSid));
  }

  transitionHunt(callSid: string, from: HuntState[], to: HuntState): Promise<Hunt | null> {
    return this.run((redis) => hunts.transitionHunt(redis, this.keys, callSid, from, to));
  }

  claimHunt(callSid: string, legId: string, to: 'connected' | 'voicemail', legSid?: string): Promise<ClaimResult> {
    return this.run((redis) => hunts.claimHunt(redis, this.keys, callSid, legId, to, legSid));
  }

  startStep(callSid: string, step: number, cycle: number, legs: Leg[], logEvent?: CallEvent): Promise<boolean> {
    return this.run((redis) => hunts.startStep(redis, this.keys, callSid, step, cycle, legs, logEvent));
  }

  updateLeg(callSid: string, legId: string, patch: { sid?: string; status?: Exclude<LegStatus, 'done'> }): Promise<HuntState | null> {
    return this.run((redis) => hunts.updateLeg(redis, this.keys, callSid, legId, patch));
  }

  finishLeg(callSid: string, legId: string, result: string): Promise<FinishLegResult> {
    return this.run((redis) => hunts.finishLeg(redis, this.keys, callSid, legId, result));
  }

  advanceIdleStep(callSid: string): Promise<FinishLegResult['next']> {
    return this.run((redis) => hunts.advanceIdleStep(redis, this.keys, callSid));
  }

  listLegs(callSid: string): Promise<Leg[]> {
    return this.run((redis) => hunts.listLegs(redis, this.keys, callSid));
  }

  /** A call's deadline stays until claimed or removed: a second one for the same call changes nothing (ZADD NX). */
  addDeadline(callSid: string, dueMs: number): Promise<void> {
    return this.run(async (redis) => {
      await redis.zadd(this.keys.deadlines, 'NX', dueMs, callSid);
    });
  }

  setDeadline(key: string, dueMs: number): Promise<void> {
    return this.run(async (redis) => {
      await redis.zadd(this.keys.deadlines, dueMs, key);
    });
  }

  removeDeadline(callSid: string): Promise<void> {
    return this.run(async (redis) => {
      await redis.zrem(this.keys.deadlines, callSid);
    });
  }

  claimDueDeadlines(nowMs: number, limit: number, leaseMs?: number): Promise<string[]> {
    return this.run((redis) => hunts.claimDueDeadlines(redis, this.keys, nowMs, limit, leaseMs));
  }

  deadlineOf(key: string): Promise<number | undefined> {
    return this.run(async (redis) => {
      const score = await redis.zscore(this.keys.deadlines, key);
      return score === null ? undefined : Number(score);
    });
  }

  releaseDeadline(key: string, leasedUntilMs: number): Promise<void> {
    return this.run(async (redis) => {
      await hunts.releaseDeadline(redis, this.keys, key, leasedUntilMs);
    });
  }

  saveVoicemail(voicemail: Voicemail): Promise<boolean> {
    return this.run((redis) => commands.saveVoicemail(redis, this.keys, voicemail));
  }

  updateVoicemail(id: string, patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>): Promise<VoicemailUpdate> {
    return this.run((redis) => commands.updateVoicemail(redis, this.keys, id, patch));
  }

  getVoicemail(id: string): Promise<Voicemail | null> {
    return this.run(async (redis) => decodeVoicemail(await redis.hmget(this.keys.voicemail(id), ...VOICEMAIL_FIELDS)));
  }

  /** The index, then every voicemail in one pipeline. */
  listVoicemails(filter?: UserFilter): Promise<Voicemail[]> {
    return this.run(async (redis) => {
      const index = filter?.userId === undefined ? this.keys.voicemails : this.keys.userVoicemails(filter.userId);
      const ids = await redis.smembers(index);
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hmget(this.keys.voicemail(id), ...VOICEMAIL_FIELDS);
      const replies = ids.length === 0 ? [] : await execPipeline(pipeline);
      return replies.map((fields) => decodeVoicemail(fields as (string | null)[])).filter((v): v is Voicemail => v !== null);
    });
  }

  deleteVoicemail(id: string): Promise<boolean> {
    return this.run((redis) => commands.deleteVoicemail(redis, this.keys, id));
  }

  saveCallback(callback: CallbackRequest): Promise<void> {
    return this.run((redis) => commands.saveOwned(redis, commands.ownedCallbacks(this.keys), callback));
  }

  getCallback(id: string): Promise<CallbackRequest | null> {
    return this.run(async (redis) => parse<CallbackRequest>(await redis.hget(this.keys.callbacks, id)));
  }

  listCallbacks(filter?: UserFilter): Promise<CallbackRequest[]> {
    return this.run(async (redis) => parseAll<CallbackRequest>(filter?.userId === undefined
      ? await redis.hvals(this.keys.callbacks)
      : await commands.listOwned(redis, commands.ownedCallbacks(this.keys), filter.userId)));
  }

  createCall(call: CallRecord): Promise<boolean> {
    return this.run((redis) => commands.createCall(redis, this.keys, call, this.now(), CALL_RECORD_TTL_MS));
  }

  appendCallEvent(callSid: string, event: CallEvent): Promise<void> {
    return this.run((redis) => commands.appendCallEvent(redis, this.keys, callSid, event));
  }

  finishCall(callSid: string, outcome: string, endedAt: string): Promise<boolean> {
    return this.run((redis) => commands.finishCall(redis, this.keys, callSid, outcome, endedAt));
  }

  getCall(callSid: string): Promise<CallRecord | null> {
    return this.run(async (redis) => decodeCall(await redis.hmget(this.keys.call(callSid), ...CALL_FIELDS)));
  }

  listCalls(filter?: UserFilter): Promise<CallRecord[]> {
    return this.run((redis) => calls.listCalls(redis, this.keys, this.now(), filter));
  }

  pageCalls(filter: UserFilter, page: CallPageRequest): Promise<{ items: CallRecord[]; total: number }> {
    return this.run((redis) => calls.pageCalls(redis, this.keys, this.now(), filter, page));
  }

  /** Runs one operation once the connection is ready; connection trouble becomes StoreUnavailableError. */
  private async run<T>(operation: (redis: Redis) => Promise<T>): Promise<T> {
    this.schema.check();
    this.unanswered.check();
    try {
      if (this.redis.status !== 'ready') await whenReady(this.redis);
      const result = await operation(this.redis);
      this.unanswered.answered();
      return result;
    } catch (error) {
      this.unanswered.failed(error);
      throw toStoreError(error);
    }
  }
}
