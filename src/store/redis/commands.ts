import type { Redis } from 'ioredis';
import type { CallEvent, CallRecord, Rule, UserRecord, Voicemail } from '../../domain/types';
import { NumberTakenError, type VoicemailUpdate } from '../store';
import { encodeCall, encodeEvent } from './codec';
import type { RedisKeys } from './keys';
import { runScript } from './scripts';

/** One typed wrapper per Lua script: arguments in domain terms, return codes as values or typed errors. */

/** save_user.lua. False only when `updateOnly` and the user is unknown. Throws NumberTakenError. */
export async function saveUser(redis: Redis, keys: RedisKeys, user: UserRecord, updateOnly: boolean, expected?: UserRecord): Promise<boolean> {
  const reply = (await runScript(redis, 'saveUser', [keys.users, keys.numbers, keys.tokens], [
    user.id, JSON.stringify(user), user.tokenHash, updateOnly ? '1' : '0', expected ? JSON.stringify(expected) : '', ...user.numbers,
  ])) as [number, string?, string?];
  if (reply[0] === -1) throw new NumberTakenError(String(reply[1]), String(reply[2]));
  return reply[0] === 1;
}

/** delete_user.lua. */
export async function deleteUser(redis: Redis, keys: RedisKeys, userId: string): Promise<boolean> {
  const reply = await runScript(redis, 'deleteUser',
    [keys.users, keys.numbers, keys.tokens, keys.rules, keys.userRules(userId)], [userId]);
  return reply === 1;
}

/** find_user.lua: the user JSON indexed under `value` in `indexKey` (e.g. keys.tokens). */
export async function findUser(redis: Redis, keys: RedisKeys, indexKey: string, value: string): Promise<string | null> {
  const reply = await runScript(redis, 'findUser', [indexKey, keys.users], [value]);
  return typeof reply === 'string' ? reply : null;
}

/** find_owner_with_rules.lua: the owner's JSON and a JSON array of their rules, or null when nobody owns the number. */
export async function findOwnerWithRules(redis: Redis, keys: RedisKeys, number: string): Promise<[string, string] | null> {
  const reply = await runScript(redis, 'findOwnerWithRules', [keys.numbers, keys.users, keys.rules],
    [number, keys.userRulesPrefix]);
  return Array.isArray(reply) ? (reply as [string, string]) : null;
}

/** Where items owned by users live: a hash of JSON plus one id set per user. */
export interface OwnedCollection {
  items: string;
  ownerSet(userId: string): string;
  ownerSetPrefix: string;
}

export function ownedRules(keys: RedisKeys): OwnedCollection {
  return { items: keys.rules, ownerSet: keys.userRules, ownerSetPrefix: keys.userRulesPrefix };
}

export function ownedCallbacks(keys: RedisKeys): OwnedCollection {
  return { items: keys.callbacks, ownerSet: keys.userCallbacks, ownerSetPrefix: keys.userCallbacksPrefix };
}

/** save_rule.lua: false when the owner is gone, or the rule is not (or no longer) as `expected` (absent: a new rule). */
export async function saveRuleChecked(redis: Redis, keys: RedisKeys, rule: Rule, expected?: Rule): Promise<boolean> {
  const reply = await runScript(redis, 'saveRule', [keys.rules, keys.userRules(rule.userId), keys.users],
    [rule.id, JSON.stringify(rule), rule.userId, keys.userRulesPrefix, expected ? JSON.stringify(expected) : '']);
  return reply === 1;
}

/** save_owned.lua: creates or replaces the item, moving its index entry when the owner changed. */
export async function saveOwned(redis: Redis, where: OwnedCollection, item: { id: string; userId: string }): Promise<void> {
  await runScript(redis, 'saveOwned', [where.items, where.ownerSet(item.userId)],
    [item.id, JSON.stringify(item), item.userId, where.ownerSetPrefix]);
}

/** delete_owned.lua. */
export async function deleteOwned(redis: Redis, where: OwnedCollection, id: string): Promise<boolean> {
  return (await runScript(redis, 'deleteOwned', [where.items], [id, where.ownerSetPrefix])) === 1;
}

/** list_owned.lua: the JSON of every item the user owns. */
export async function listOwned(redis: Redis, where: OwnedCollection, userId: string): Promise<string[]> {
  return (await runScript(redis, 'listOwned', [where.items, where.ownerSet(userId)], [])) as string[];
}

/** save_voicemail.lua: false when this recording is already stored. */
export async function saveVoicemail(redis: Redis, keys: RedisKeys, voicemail: Voicemail): Promise<boolean> {
  const reply = await runScript(redis, 'saveVoicemail',
    [keys.voicemail(voicemail.id), keys.voicemails, keys.userVoicemails(voicemail.userId)],
    [voicemail.id, JSON.stringify(voicemail)]);
  return reply === 1;
}

/** update_voicemail.lua: 0 unknown, 1 updated, 2 transcribed (see VoicemailUpdate). */
export async function updateVoicemail(
  redis: Redis, keys: RedisKeys, id: string, patch: Partial<Pick<Voicemail, 'transcription' | 'transcriptionStatus'>>,
): Promise<VoicemailUpdate> {
  const fields: string[] = [];
  if (patch.transcription !== undefined) fields.push('transcription', patch.transcription);
  if (patch.transcriptionStatus !== undefined) fields.push('transcriptionStatus', patch.transcriptionStatus);
  const reply = await runScript(redis, 'updateVoicemail', [keys.voicemail(id)], fields);
  return reply === 2 ? 'transcribed' : reply === 1 ? 'updated' : 'unknown';
}

/** delete_voicemail.lua. */
export async function deleteVoicemail(redis: Redis, keys: RedisKeys, id: string): Promise<boolean> {
  const reply = await runScript(redis, 'deleteVoicemail', [keys.voicemail(id), keys.voicemails],
    [id, keys.userVoicemailsPrefix]);
  return reply === 1;
}

/**
 * create_call.lua, sent together with index_call.lua (auto-pipelined): the entry is indexed (once) under every call
 * and under its user, scored by `now`; index entries older than the entry's lifetime are dropped.
 */
export async function createCall(
  redis: Redis, keys: RedisKeys, call: CallRecord, now: number, ttlMs: number,
): Promise<boolean> {
  const encoded = encodeCall(call);
  const [created] = await Promise.all([
    runScript(redis, 'createCall', [keys.call(call.callSid)],
      [encoded.data, encoded.events, ttlMs, encoded.outcome, encoded.endedAt]),
    runScript(redis, 'indexCall', [keys.calls, keys.userCalls(call.userId)], [call.callSid, indexScoreOf(call, now), now - ttlMs, ttlMs]),
  ]);
  return created === 1;
}

/** A call's place in the call-log indexes: its start (epoch ms), so that a page by start time is read off the index. */
function indexScoreOf(call: CallRecord, now: number): number {
  const startedAt = Date.parse(call.startedAt);
  return Number.isFinite(startedAt) ? startedAt : now;
}

/** append_call_event.lua. */
export async function appendCallEvent(redis: Redis, keys: RedisKeys, callSid: string, event: CallEvent): Promise<void> {
  const encoded = encodeEvent(event);
  // encodeEvent writes `at` first ({"at":N,"type":…}): what follows it is the event's identity (callEventKey)
  const identity = encoded.slice(encoded.indexOf(','));
  await runScript(redis, 'appendCallEvent', [keys.call(callSid)], [encoded, identity]);
}

/** finish_call.lua: false when the call is unknown or already has an outcome. */
export async function finishCall(
  redis: Redis, keys: RedisKeys, callSid: string, outcome: string, endedAt: string,
): Promise<boolean> {
  return (await runScript(redis, 'finishCall', [keys.call(callSid)], [outcome, endedAt])) === 1;
}
