import type { CallRecord } from '../../src/domain/types';
import type { Store } from '../../src/store/store';
import type { ContractFactory, TestClock } from './contract';
import { aCall, aCallback, aHunt, aRule, aUser, aVoicemail, sortedById } from './fixtures';

/** Store contract, part 2: hunts, voicemails, callback requests, the call log, and copies. */

export type Timed = () => { store: Store; clock: TestClock; factory: ContractFactory };

export function huntsContract(current: Timed): void {
  describe('hunts', () => {
    it('a call is claimed once: a second hunt for the same CallSid is refused and the first one is kept', async () => {
      const { store } = current();
      const first = aHunt();

      expect(await store.createHunt(first, 3600)).toBe(true);
      expect(await store.createHunt({ ...first, userName: 'Someone else', step: 3 }, 3600)).toBe(false);

      expect(await store.getHunt(first.callSid)).toEqual(first);
      expect(await store.getHunt('CA-unknown')).toBeNull();
    });

    it('a hunt with no plan (straight to voicemail) is stored as is', async () => {
      const { store } = current();
      const hunt = aHunt({ plan: null, state: 'voicemail', deadline: undefined, queueName: undefined });
      await store.createHunt(hunt, 60);
      expect(await store.getHunt(hunt.callSid)).toEqual(hunt);
    });

    it('a hunt is forgotten once its time to live has passed', async () => {
      const { store, clock, factory } = current();
      const hunt = aHunt();
      await store.createHunt(hunt, 1);
      await factory.expectExpiry(store, clock, { hunt: hunt.callSid }, 1);
    });
  });
}

export function voicemailsContract(current: () => Store): void {
  describe('voicemails', () => {
    it('a recording is stored once: a repeated recording callback changes nothing', async () => {
      const store = current();
      const voicemail = aVoicemail();

      expect(await store.saveVoicemail(voicemail)).toBe(true);
      expect(await store.saveVoicemail({ ...voicemail, durationSeconds: 99 })).toBe(false);

      expect(await store.getVoicemail(voicemail.id)).toEqual(voicemail);
      expect(await store.listVoicemails()).toEqual([voicemail]);
    });

    it('a transcription arriving later is added to the voicemail', async () => {
      const store = current();
      const voicemail = aVoicemail();
      await store.saveVoicemail(voicemail);

      expect(await store.updateVoicemail(voicemail.id, { transcription: 'Please call me back', transcriptionStatus: 'completed' })).toBe('transcribed');

      expect(await store.getVoicemail(voicemail.id))
        .toEqual({ ...voicemail, transcription: 'Please call me back', transcriptionStatus: 'completed' });
      expect(await store.updateVoicemail('RE-unknown', { transcriptionStatus: 'failed' })).toBe('unknown');
      expect(await store.getVoicemail('RE-unknown')).toBeNull();
    });

    it('only the first transcription result of a stored voicemail says so (the one to announce): a repeat of it, or a later one, does not', async () => {
      const store = current();
      const voicemail = aVoicemail({ transcriptionStatus: 'pending' });
      await store.saveVoicemail(voicemail);
      const result = { transcription: 'Please call me back', transcriptionStatus: 'completed' } as const;

      expect(await store.updateVoicemail(voicemail.id, result)).toBe('transcribed');
      expect(await store.updateVoicemail(voicemail.id, result)).toBe('updated');
      expect(await store.updateVoicemail(voicemail.id, { transcriptionStatus: 'failed' })).toBe('updated');
    });

    it('of two copies of one transcription result landing together (two instances), exactly one is the first', async () => {
      const store = current();
      const voicemail = aVoicemail({ transcriptionStatus: 'pending' });
      await store.saveVoicemail(voicemail);
      const result = { transcription: 'Please call me back', transcriptionStatus: 'completed' } as const;

      const both = await Promise.all([store.updateVoicemail(voicemail.id, result), store.updateVoicemail(voicemail.id, result)]);
      expect([...both].sort()).toEqual(['transcribed', 'updated']);
    });

    it('a transcription that comes before its voicemail is stored is kept for it, and the voicemail is listed only once stored', async () => {
      const store = current();
      const voicemail = aVoicemail({ transcriptionStatus: 'pending' });
      expect(await store.updateVoicemail(voicemail.id, { transcription: 'Please call me back', transcriptionStatus: 'completed' })).toBe('unknown');
      expect(await store.getVoicemail(voicemail.id)).toBeNull();
      expect(await store.listVoicemails()).toEqual([]);

      expect(await store.saveVoicemail(voicemail)).toBe(true);
      expect(await store.getVoicemail(voicemail.id))
        .toEqual({ ...voicemail, transcription: 'Please call me back', transcriptionStatus: 'completed' });
      expect(await store.saveVoicemail(voicemail)).toBe(false);
    });

    it('voicemails are listed all together or per owner, and a deleted one is gone', async () => {
      const store = current();
      const annFirst = aVoicemail({ id: 'RE1', userId: 'ann' });
      const annSecond = aVoicemail({ id: 'RE2', userId: 'ann' });
      const bobs = aVoicemail({ id: 'RE3', userId: 'bob' });
      for (const voicemail of [annFirst, annSecond, bobs]) await store.saveVoicemail(voicemail);

      expect(sortedById(await store.listVoicemails({ userId: 'ann' }))).toEqual([annFirst, annSecond]);
      expect(sortedById(await store.listVoicemails())).toEqual([annFirst, annSecond, bobs]);

      expect(await store.deleteVoicemail('RE1')).toBe(true);
      expect(await store.deleteVoicemail('RE1')).toBe(false);
      expect(await store.getVoicemail('RE1')).toBeNull();
      expect(await store.listVoicemails({ userId: 'ann' })).toEqual([annSecond]);
      expect(sortedById(await store.listVoicemails())).toEqual([annSecond, bobs]);
    });

    it('a deleted voicemail is not stored again when Twilio repeats its recording callback, nor by a late transcription', async () => {
      const store = current();
      const voicemail = aVoicemail({ id: 'RE1', userId: 'ann', transcriptionStatus: 'pending' });
      await store.saveVoicemail(voicemail);
      expect(await store.deleteVoicemail('RE1')).toBe(true);

      expect(await store.updateVoicemail('RE1', { transcription: 'Call me', transcriptionStatus: 'completed' })).toBe('unknown');
      expect(await store.saveVoicemail(voicemail)).toBe(false);
      expect(await store.getVoicemail('RE1')).toBeNull();
      expect(await store.listVoicemails({ userId: 'ann' })).toEqual([]);
      expect(await store.deleteVoicemail('RE1')).toBe(false);
    });
  });
}

export function callbacksContract(current: () => Store): void {
  describe('callback requests', () => {
    it('a callback request is stored, marked done, and listed all together or per owner', async () => {
      const store = current();
      const annOpen = aCallback({ id: 'cb1', userId: 'ann' });
      const bobOpen = aCallback({ id: 'cb2', userId: 'bob' });
      await store.saveCallback(annOpen);
      await store.saveCallback(bobOpen);

      const annDone = { ...annOpen, status: 'done' as const, updatedAt: '2025-01-02T00:00:00.000Z' };
      await store.saveCallback(annDone);

      expect(await store.getCallback('cb1')).toEqual(annDone);
      expect(await store.getCallback('cb-unknown')).toBeNull();
      expect(await store.listCallbacks({ userId: 'ann' })).toEqual([annDone]);
      expect(await store.listCallbacks({ userId: 'carol' })).toEqual([]);
      expect(sortedById(await store.listCallbacks())).toEqual([annDone, bobOpen]);
    });
  });
}

export function callLogContract(current: Timed): void {
  describe('call log', () => {
    it('a call is logged once: a second start for the same CallSid changes nothing', async () => {
      const { store } = current();
      const call = aCall();

      expect(await store.createCall(call)).toBe(true);
      expect(await store.createCall({ ...call, ruleName: 'Other', events: [] })).toBe(false);

      expect(await store.getCall(call.callSid)).toEqual(call);
      expect(await store.getCall('CA-unknown')).toBeNull();
    });

    it('the timeline keeps events in the order they happened', async () => {
      const { store } = current();
      const call = aCall({ events: [] });
      await store.createCall(call);
      const events = [
        { at: 1, type: 'incoming' as const },
        { at: 2, type: 'step' as const, step: 0, cycle: 0 },
        { at: 3, type: 'leg-no-answer' as const, step: 0, destination: '+15551230001', legSid: 'CA-leg-1', detail: 'no-answer' },
        { at: 4, type: 'voicemail' as const },
      ];
      for (const event of events) await store.appendCallEvent(call.callSid, event);

      expect((await store.getCall(call.callSid))?.events).toEqual(events);
    });

    it('an event logged again (a repeated webhook) is kept once; one that differs in anything but its time is kept', async () => {
      const { store } = current();
      const call = aCall({ events: [] });
      await store.createCall(call);
      const answered = { type: 'leg-answered' as const, step: 1, destination: 'Home (+15551230002)', legSid: 'CA-leg-2' };
      await store.appendCallEvent(call.callSid, { at: 1, ...answered });
      await store.appendCallEvent(call.callSid, { at: 2, ...answered });
      await store.appendCallEvent(call.callSid, { at: 3, ...answered, legSid: 'CA-leg-3' });
      await store.appendCallEvent(call.callSid, { at: 4, ...answered, detail: 'again "quoted", {braced}' });
      await store.appendCallEvent(call.callSid, { at: 5, ...answered, detail: 'again "quoted", {braced}' });

      expect((await store.getCall(call.callSid))?.events.map((e) => e.at)).toEqual([1, 3, 4]);
    });

    it('events for a call that was never logged are dropped', async () => {
      const { store } = current();
      await store.appendCallEvent('CA-unknown', { at: 1, type: 'ended' });
      await store.finishCall('CA-unknown', 'missed', '2025-01-01T10:01:00.000Z');
      expect(await store.getCall('CA-unknown')).toBeNull();
      expect(await store.listCalls()).toEqual([]);
    });

    it('the first outcome sticks: a repeated or late status callback changes nothing', async () => {
      const { store } = current();
      const call = aCall();
      await store.createCall(call);

      await store.finishCall(call.callSid, 'connected', '2025-01-01T10:05:00.000Z');
      await store.finishCall(call.callSid, 'voicemail', '2025-01-01T10:09:00.000Z');

      expect(await store.getCall(call.callSid))
        .toEqual({ ...call, outcome: 'connected', endedAt: '2025-01-01T10:05:00.000Z' });
    });

    it('calls are listed all together or per owner', async () => {
      const { store } = current();
      const annCall = aCall({ callSid: 'CA1', userId: 'ann' });
      const bobCall = aCall({ callSid: 'CA2', userId: 'bob' });
      await store.createCall(annCall);
      await store.createCall(bobCall);

      expect(await store.listCalls({ userId: 'ann' })).toEqual([annCall]);
      expect(await store.listCalls({ userId: 'carol' })).toEqual([]);
      const all = await store.listCalls();
      expect([...all].sort((a, b) => a.callSid.localeCompare(b.callSid))).toEqual([annCall, bobCall]);
    });

    it('a page of calls by start time: newest or oldest first, a millisecond\'s calls by CallSid, with the total', async () => {
      const { store, clock } = current();
      const start = clock.now();
      const at = (seconds: number): string => new Date(start + seconds * 1000).toISOString();
      // logged in an order other than their start; CA3 and CA1 started in the same millisecond
      for (const [callSid, userId, seconds] of [['CA4', 'ann', 30], ['CA3', 'bob', 20], ['CA1', 'ann', 20], ['CA2', 'ann', 10], ['CA5', 'bob', 40]] as const) {
        await store.createCall(aCall({ callSid, userId, startedAt: at(seconds) }));
      }
      clock.advance(60_000);
      const sids = (page: { items: CallRecord[]; total: number }): [string[], number] => [page.items.map((c) => c.callSid), page.total];

      expect(sids(await store.pageCalls({}, { offset: 0, limit: 3, newestFirst: true }))).toEqual([['CA5', 'CA4', 'CA1'], 5]);
      expect(sids(await store.pageCalls({}, { offset: 3, limit: 3, newestFirst: true }))).toEqual([['CA3', 'CA2'], 5]);
      expect(sids(await store.pageCalls({}, { offset: 0, limit: 10, newestFirst: false }))).toEqual([['CA2', 'CA1', 'CA3', 'CA4', 'CA5'], 5]);
      expect(sids(await store.pageCalls({ userId: 'ann' }, { offset: 1, limit: 1, newestFirst: true }))).toEqual([['CA1'], 3]);
      expect(sids(await store.pageCalls({ userId: 'carol' }, { offset: 0, limit: 5, newestFirst: true }))).toEqual([[], 0]);
      expect(sids(await store.pageCalls({}, { offset: 5, limit: 5, newestFirst: true }))).toEqual([[], 5]);
      // whole entries, as getCall reads them
      expect((await store.pageCalls({}, { offset: 0, limit: 1, newestFirst: false })).items).toEqual([await store.getCall('CA2')]);
      // 30 days after their start they are gone from the pages too
      clock.advance(30 * 24 * 60 * 60 * 1000);
      expect(sids(await store.pageCalls({}, { offset: 0, limit: 10, newestFirst: true }))).toEqual([[], 0]);
    });

    it('a call log entry is forgotten after 30 days', async () => {
      const { store, clock, factory } = current();
      const call = aCall();
      await store.createCall(call);
      await factory.expectExpiry(store, clock, { call: call.callSid }, 30 * 24 * 60 * 60);
    });
  });
}

export function copiesContract(current: () => Store): void {
  describe('returned objects are copies', () => {
    it('changing an object after saving it, or one read back, does not change what is stored', async () => {
      const store = current();
      const rule = aRule();
      await store.saveRule(rule);
      rule.steps[0]!.ringSeconds = 5;
      const read = await store.getRule(rule.id);
      read!.steps.push({ destinations: [], ringSeconds: 9 });
      read!.name = 'changed';

      expect(await store.getRule(rule.id)).toEqual(aRule());
    });

    it('users, hunts and call log entries read back are copies too', async () => {
      const store = current();
      await store.createUser(aUser());
      await store.createHunt(aHunt(), 60);
      await store.createCall(aCall());

      (await store.getUser('user-1'))!.numbers.push('+15550000099');
      (await store.listUsers())[0]!.name = 'changed';
      (await store.getHunt(aHunt().callSid))!.plan!.steps.length = 0;
      (await store.getCall(aCall().callSid))!.events.push({ at: 9, type: 'ended' });

      expect(await store.getUser('user-1')).toEqual(aUser());
      expect(await store.getHunt(aHunt().callSid)).toEqual(aHunt());
      expect(await store.getCall(aCall().callSid)).toEqual(aCall());
    });
  });
}
