import { NumberTakenError, type Store } from '../../src/store/store';
import { aCall, aCallback, aHunt, aRule, aUser, aVoicemail, sortedById } from './fixtures';

/** A hand-driven clock (epoch ms). */
export class TestClock {
  constructor(private current = Date.UTC(2025, 0, 1, 10)) {}
  readonly now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

export type Expiring = { hunt: string } | { call: string };

export interface ContractFactory {
  /** A new, empty store on the given clock. */
  make(clock: TestClock): Promise<Store>;
  /** Closes the stores made and removes their data. */
  cleanup(): Promise<void>;
  /**
   * Shows that an item just written is forgotten `seconds` after it was written: the memory store by advancing
   * its clock, Redis by the expiry set on the key (no test sleeps).
   */
  expectExpiry(store: Store, clock: TestClock, item: Expiring, seconds: number): Promise<void>;
}

/** The behaviour every Store must have (src/store/store.ts). Both stores run this same suite. */
export function storeContract(name: string, factory: ContractFactory): void {
  describe(`${name} store contract`, () => {
    let clock: TestClock;
    let store: Store;

    beforeEach(async () => {
      clock = new TestClock();
      store = await factory.make(clock);
    });
    afterAll(() => factory.cleanup());

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    usersContract(() => store);
    rulesContract(() => store);
    huntsContract(() => ({ store, clock, factory }));
    voicemailsContract(() => store);
    callbacksContract(() => store);
    callLogContract(() => ({ store, clock, factory }));
    copiesContract(() => store);
  });
}

function usersContract(current: () => Store): void {
  describe('users', () => {
    it('a created user can be read, listed, and found by their number and by their token', async () => {
      const store = current();
      const ann = aUser({ numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);

      expect(await store.getUser(ann.id)).toEqual(ann);
      expect(await store.listUsers()).toEqual([ann]);
      expect(await store.findOwnerOfNumber('+15550000002')).toBe(ann.id);
      expect(await store.findUserByTokenHash(ann.tokenHash)).toEqual(ann);
      expect(await store.getUser('nobody')).toBeNull();
      expect(await store.findOwnerOfNumber('+15559999999')).toBeNull();
      expect(await store.findUserByTokenHash('no-such-hash')).toBeNull();
    });

    it('a number that belongs to someone else cannot be given to a new user, and nothing of that user is kept', async () => {
      const store = current();
      await store.createUser(aUser({ id: 'ann', numbers: ['+15550000001'] }));
      const bob = aUser({ id: 'bob', numbers: ['+15550000009', '+15550000001'] });

      const failure = await store.createUser(bob).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(NumberTakenError);
      expect(failure).toMatchObject({ number: '+15550000001', ownerId: 'ann' });
      expect(await store.getUser('bob')).toBeNull();
      expect(await store.findOwnerOfNumber('+15550000009')).toBeNull();
      expect(await store.findOwnerOfNumber('+15550000001')).toBe('ann');
      expect(await store.findUserByTokenHash(bob.tokenHash)).toBeNull();
    });

    it('changing a user\'s numbers frees the dropped ones for others and gives them the added ones', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);

      await store.updateUser({ ...ann, numbers: ['+15550000002', '+15550000003'] });

      expect(await store.findOwnerOfNumber('+15550000001')).toBeNull();
      expect(await store.findOwnerOfNumber('+15550000002')).toBe('ann');
      expect(await store.findOwnerOfNumber('+15550000003')).toBe('ann');
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000001'] }));
      expect(await store.findOwnerOfNumber('+15550000001')).toBe('bob');
    });

    it('a user cannot be given a number another user owns; they keep what they had', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001'] });
      await store.createUser(ann);
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000002'] }));

      await expect(store.updateUser({ ...ann, name: 'Ann B', numbers: ['+15550000002'] }))
        .rejects.toMatchObject({ name: 'NumberTakenError', number: '+15550000002', ownerId: 'bob' });

      expect(await store.getUser('ann')).toEqual(ann);
      expect(await store.findOwnerOfNumber('+15550000001')).toBe('ann');
    });

    it('after a token rotation only the new token finds the user', async () => {
      const store = current();
      const ann = aUser({ tokenHash: 'old-hash' });
      await store.createUser(ann);

      await store.updateUser({ ...ann, tokenHash: 'new-hash' });

      expect(await store.findUserByTokenHash('old-hash')).toBeNull();
      expect(await store.findUserByTokenHash('new-hash')).toEqual({ ...ann, tokenHash: 'new-hash' });
    });

    it('updating a user who was deleted meanwhile does not bring them back', async () => {
      const store = current();
      await store.updateUser(aUser({ id: 'ghost', numbers: ['+15550000007'] }));

      expect(await store.getUser('ghost')).toBeNull();
      expect(await store.findOwnerOfNumber('+15550000007')).toBeNull();
    });

    it('deleting a user removes their rules and frees their numbers, and leaves other users alone', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001'] });
      await store.createUser(ann);
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000002'] }));
      await store.saveRule(aRule({ id: 'ann-rule', userId: 'ann' }));
      await store.saveRule(aRule({ id: 'bob-rule', userId: 'bob' }));

      expect(await store.deleteUser('ann')).toBe(true);

      expect(await store.getUser('ann')).toBeNull();
      expect(await store.findOwnerOfNumber('+15550000001')).toBeNull();
      expect(await store.findUserByTokenHash(ann.tokenHash)).toBeNull();
      expect(await store.getRule('ann-rule')).toBeNull();
      expect(await store.listRules({ userId: 'ann' })).toEqual([]);
      expect((await store.listRules()).map((rule) => rule.id)).toEqual(['bob-rule']);
      expect((await store.listUsers()).map((user) => user.id)).toEqual(['bob']);
      expect(await store.deleteUser('ann')).toBe(false);
    });
  });
}

function rulesContract(current: () => Store): void {
  describe('rules', () => {
    it('a saved rule can be read back and replaced', async () => {
      const store = current();
      const rule = aRule();
      await store.saveRule(rule);
      expect(await store.getRule(rule.id)).toEqual(rule);

      const edited = { ...rule, name: 'Evenings', enabled: false, schedule: undefined, updatedAt: '2025-02-01T00:00:00.000Z' };
      await store.saveRule(edited);

      expect(await store.getRule(rule.id)).toEqual(edited);
      expect(await store.listRules()).toHaveLength(1);
      expect(await store.getRule('no-such-rule')).toBeNull();
    });

    it('rules are listed all together or per owner', async () => {
      const store = current();
      const mine = [aRule({ id: 'r1', userId: 'ann' }), aRule({ id: 'r2', userId: 'ann', priority: 1 })];
      const theirs = aRule({ id: 'r3', userId: 'bob' });
      for (const rule of [...mine, theirs]) await store.saveRule(rule);

      expect(sortedById(await store.listRules({ userId: 'ann' }))).toEqual(mine);
      expect(await store.listRules({ userId: 'bob' })).toEqual([theirs]);
      expect(await store.listRules({ userId: 'carol' })).toEqual([]);
      expect(sortedById(await store.listRules())).toEqual([...mine, theirs]);
    });

    it('a rule given to another user is listed under its new owner only', async () => {
      const store = current();
      await store.saveRule(aRule({ id: 'r1', userId: 'ann' }));

      await store.saveRule(aRule({ id: 'r1', userId: 'bob' }));

      expect(await store.listRules({ userId: 'ann' })).toEqual([]);
      expect((await store.listRules({ userId: 'bob' })).map((rule) => rule.id)).toEqual(['r1']);
    });

    it('a deleted rule is gone; deleting it again reports false', async () => {
      const store = current();
      await store.saveRule(aRule({ id: 'r1', userId: 'ann' }));

      expect(await store.deleteRule('r1')).toBe(true);

      expect(await store.getRule('r1')).toBeNull();
      expect(await store.listRules({ userId: 'ann' })).toEqual([]);
      expect(await store.listRules()).toEqual([]);
      expect(await store.deleteRule('r1')).toBe(false);
    });
  });
}

type Timed = () => { store: Store; clock: TestClock; factory: ContractFactory };

function huntsContract(current: Timed): void {
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

function voicemailsContract(current: () => Store): void {
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

      expect(await store.updateVoicemail(voicemail.id, { transcription: 'Please call me back', transcriptionStatus: 'completed' })).toBe(true);

      expect(await store.getVoicemail(voicemail.id))
        .toEqual({ ...voicemail, transcription: 'Please call me back', transcriptionStatus: 'completed' });
      expect(await store.updateVoicemail('RE-unknown', { transcriptionStatus: 'failed' })).toBe(false);
      expect(await store.getVoicemail('RE-unknown')).toBeNull();
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
  });
}

function callbacksContract(current: () => Store): void {
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

function callLogContract(current: Timed): void {
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

    it('a call log entry is forgotten after 30 days', async () => {
      const { store, clock, factory } = current();
      const call = aCall();
      await store.createCall(call);
      await factory.expectExpiry(store, clock, { call: call.callSid }, 30 * 24 * 60 * 60);
    });
  });
}

function copiesContract(current: () => Store): void {
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
