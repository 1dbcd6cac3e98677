import type { Redis } from 'ioredis';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { CALL_RECORD_TTL_MS } from '../../src/store/store';
import { describeRedis } from '../support/redis';
import { TestClock } from './contract';
import { aCall, aHunt, aRule, aUser, aVoicemail } from './fixtures';

describeRedis('Redis store key layout', (redis) => {
  const made: RedisStore[] = [];
  const storeOn = (clock = new TestClock()): RedisStore => {
    const store = new RedisStore({ url: redis.url, prefix: redis.subPrefix(), logger: silentLogger, now: clock.now });
    made.push(store);
    return store;
  };
  afterAll(() => Promise.all(made.map((store) => store.close())));

  it('writes its keys under its own prefix, and the keys of one call share the CallSid hash tag', async () => {
    const store = storeOn();
    await store.createUser(aUser());
    await store.saveRule(aRule());
    await store.createHunt(aHunt(), 60);
    await store.addDeadline(aHunt().callSid, aHunt().deadline!);
    await store.createCall(aCall());
    await store.saveVoicemail(aVoicemail());

    const written = await scanAll(redis.client(), `${store.keys.prefix}*`);
    expect(written).toEqual(expect.arrayContaining([store.keys.users, store.keys.numbers, store.keys.tokens,
      store.keys.rules, store.keys.hunt(aHunt().callSid), store.keys.huntState(aHunt().callSid),
      store.keys.deadlines, store.keys.call(aCall().callSid)]));
    for (const key of [store.keys.hunt('CA42'), store.keys.huntState('CA42'), store.keys.call('CA42')]) {
      expect(key).toContain('{CA42}');
    }
  });

  it('stores a typical hunt in well under 2 KB', async () => {
    const store = storeOn();
    await store.createHunt(aHunt(), 3600);
    const bytes = await redis.client().call('MEMORY', 'USAGE', store.keys.hunt(aHunt().callSid));
    expect(Number(bytes)).toBeLessThan(2048);
  });

  it('a deleted voicemail leaves only a mark, which expires after a week (it would otherwise stay for good)', async () => {
    const store = storeOn();
    await store.saveVoicemail(aVoicemail());
    await store.deleteVoicemail(aVoicemail().id);
    // its transcription, late, neither stays nor shortens the mark to the day an early transcription is kept
    await store.updateVoicemail(aVoicemail().id, { transcription: 'Call me', transcriptionStatus: 'completed' });

    const key = store.keys.voicemail(aVoicemail().id);
    expect(await redis.client().hgetall(key)).toEqual({ deleted: '1' });
    const ttl = await redis.client().pttl(key);
    expect(ttl).toBeGreaterThan(7 * 24 * 3_600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3_600_000);
  });

  it('recording the queue of a hunt that has expired creates no key (it would never expire)', async () => {
    const store = storeOn();
    await store.setQueueSid('CA-expired', 'QU00000000000000000000000000000001');
    expect(await redis.client().exists(store.keys.huntState('CA-expired'))).toBe(0);
  });

  it('a user\'s call index expires with its newest entry: a user who gets no more calls (one deleted, say) leaves nothing behind', async () => {
    const store = storeOn();
    await store.createCall(aCall({ callSid: 'CA1', userId: 'gone' }));
    for (const key of [store.keys.userCalls('gone'), store.keys.calls]) {
      const ttl = await redis.client().pttl(key);
      expect(ttl).toBeGreaterThan(CALL_RECORD_TTL_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(CALL_RECORD_TTL_MS);
    }
  });

  it('drops a call from the lists once its log entry has expired', async () => {
    const store = storeOn();
    await store.createCall(aCall({ callSid: 'CA1', userId: 'ann' }));
    await store.createCall(aCall({ callSid: 'CA2', userId: 'ann' }));
    await redis.client().del(store.keys.call('CA1'));

    expect((await store.listCalls({ userId: 'ann' })).map((call) => call.callSid)).toEqual(['CA2']);
    expect(await redis.client().zscore(store.keys.userCalls('ann'), 'CA1')).toBeNull();
  });

  it('indexes a new call once under every call and its user, scored by its start, dropping expired entries', async () => {
    const clock = new TestClock();
    const store = storeOn(clock);
    await store.createCall(aCall({ callSid: 'CA-old', userId: 'ann' }));
    clock.advance(CALL_RECORD_TTL_MS + 1);
    const startedAt = clock.now() - 5;
    await store.createCall(aCall({ callSid: 'CA-new', userId: 'ann', startedAt: new Date(startedAt).toISOString() }));
    clock.advance(1000);
    await store.createCall(aCall({ callSid: 'CA-new', userId: 'ann', startedAt: new Date(clock.now()).toISOString() }));

    for (const index of [store.keys.calls, store.keys.userCalls('ann')]) {
      expect(await redis.client().zrange(index, '0', '-1', 'WITHSCORES')).toEqual(['CA-new', String(startedAt)]);
    }
  });

  it('a page of the call log leaves out, and does not count, a call whose entry expired under the index', async () => {
    const clock = new TestClock();
    const store = storeOn(clock);
    for (const [callSid, seconds] of [['CA1', 1], ['CA2', 2], ['CA3', 3]] as const) {
      await store.createCall(aCall({ callSid, userId: 'ann', startedAt: new Date(clock.now() + seconds * 1000).toISOString() }));
    }
    await redis.client().del(store.keys.call('CA2'));

    const page = await store.pageCalls({ userId: 'ann' }, { offset: 0, limit: 10, newestFirst: true });
    expect([page.items.map((call) => call.callSid), page.total]).toEqual([['CA3', 'CA1'], 2]);
    expect(await redis.client().zscore(store.keys.userCalls('ann'), 'CA2')).toBeNull();
  });

  it('forgets call-log index entries older than the entry lifetime when listing', async () => {
    const clock = new TestClock();
    const store = storeOn(clock);
    await store.createCall(aCall({ callSid: 'CA-old', userId: 'ann' }));
    clock.advance(CALL_RECORD_TTL_MS + 1);

    expect(await store.listCalls()).toEqual([]);
    expect(await redis.client().zcard(store.keys.calls)).toBe(0);
  });
});

async function scanAll(client: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', match, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
