import type { Redis } from 'ioredis';
import type { CallRecord } from '../../domain/types';
import { CALL_RECORD_TTL_MS, type CallPageRequest } from '../store';
import { CALL_FIELDS, decodeCall } from './codec';
import type { RedisKeys } from './keys';
import { execPipeline } from './scripts';

/**
 * Reading the call log in Redis: the indexes (sorted sets of CallSids scored by each call's start, all calls and per
 * user) are cleaned of entries older than an entry lives, then the entries are read in one pipeline. Entries gone
 * meanwhile (expired) leave the index.
 */

type UserFilter = { userId?: string };

function indexOf(keys: RedisKeys, filter?: UserFilter): string {
  return filter?.userId === undefined ? keys.calls : keys.userCalls(filter.userId);
}

/** Every call of the last 30 days (of one user). */
export async function listCalls(redis: Redis, keys: RedisKeys, now: number, filter?: UserFilter): Promise<CallRecord[]> {
  const index = indexOf(keys, filter);
  const [, sids] = (await execPipeline(redis.pipeline()
    .zremrangebyscore(index, '-inf', `(${now - CALL_RECORD_TTL_MS}`)
    .zrange(index, '0', '-1'))) as [number, string[]];
  return readCalls(redis, keys, index, sids);
}

/** One page by start time: the index with its scores is put in order here, and only the page's entries are read. */
export async function pageCalls(
  redis: Redis, keys: RedisKeys, now: number, filter: UserFilter, page: CallPageRequest,
): Promise<{ items: CallRecord[]; total: number }> {
  const index = indexOf(keys, filter);
  const [, flat] = (await execPipeline(redis.pipeline()
    .zremrangebyscore(index, '-inf', `(${now - CALL_RECORD_TTL_MS}`)
    .zrange(index, '0', '-1', 'WITHSCORES'))) as [number, string[]];
  const entries: Array<{ sid: string; at: number }> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ sid: flat[i]!, at: Number(flat[i + 1]) });
  // ZRANGE puts equal scores in CallSid order, ascending: newest first keeps that order within a millisecond
  if (page.newestFirst) entries.sort((a, b) => b.at - a.at || (a.sid < b.sid ? -1 : 1));
  const sids = entries.slice(page.offset, page.offset + page.limit).map((entry) => entry.sid);
  const items = await readCalls(redis, keys, index, sids);
  return { items, total: entries.length - (sids.length - items.length) };
}

/** The entries of `sids` in that order, read in one pipeline; entries gone meanwhile leave the index. */
async function readCalls(redis: Redis, keys: RedisKeys, index: string, sids: readonly string[]): Promise<CallRecord[]> {
  if (sids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const sid of sids) pipeline.hmget(keys.call(sid), ...CALL_FIELDS);
  const found = (await execPipeline(pipeline)).map((fields) => decodeCall(fields as (string | null)[]));
  const gone = sids.filter((_, i) => found[i] === null);
  if (gone.length > 0) await redis.zrem(index, ...gone);
  return found.filter((call): call is CallRecord => call !== null);
}
