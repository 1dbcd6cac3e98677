import { NumberTakenError, type Store } from '../../src/store/store';
import { aRule, aUser, sortedById } from './fixtures';

/** Store contract, part 1: users, their numbers and tokens, and rules. */

/** The id of the user owning a number, or null (the number index as an incoming call reads it). */
async function ownerOf(store: Store, number: string): Promise<string | null> {
  return (await store.findOwnerWithRules(number))?.owner.id ?? null;
}

export function usersContract(current: () => Store): void {
  describe('users', () => {
    it('a created user can be read, listed, and found by their number and by their token', async () => {
      const store = current();
      const ann = aUser({ numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);

      expect(await store.getUser(ann.id)).toEqual(ann);
      expect(await store.listUsers()).toEqual([ann]);
      expect(await ownerOf(store, '+15550000002')).toBe(ann.id);
      expect(await store.findUserByTokenHash(ann.tokenHash)).toEqual(ann);
      expect(await store.getUser('nobody')).toBeNull();
      expect(await ownerOf(store, '+15559999999')).toBeNull();
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
      expect(await ownerOf(store, '+15550000009')).toBeNull();
      expect(await ownerOf(store, '+15550000001')).toBe('ann');
      expect(await store.findUserByTokenHash(bob.tokenHash)).toBeNull();
    });

    it('changing a user\'s numbers frees the dropped ones for others and gives them the added ones', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);

      await store.updateUser({ ...ann, numbers: ['+15550000002', '+15550000003'] });

      expect(await ownerOf(store, '+15550000001')).toBeNull();
      expect(await ownerOf(store, '+15550000002')).toBe('ann');
      expect(await ownerOf(store, '+15550000003')).toBe('ann');
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000001'] }));
      expect(await ownerOf(store, '+15550000001')).toBe('bob');
    });

    it('a user cannot be given a number another user owns; they keep what they had', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001'] });
      await store.createUser(ann);
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000002'] }));

      await expect(store.updateUser({ ...ann, name: 'Ann B', numbers: ['+15550000002'] }))
        .rejects.toMatchObject({ name: 'NumberTakenError', number: '+15550000002', ownerId: 'bob' });

      expect(await store.getUser('ann')).toEqual(ann);
      expect(await ownerOf(store, '+15550000001')).toBe('ann');
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
      expect(await ownerOf(store, '+15550000007')).toBeNull();
    });

    it('an update made from a read that is no longer current changes nothing (another request changed the user meanwhile)', async () => {
      const store = current();
      const ann = aUser({ tokenHash: 'old-hash', numbers: ['+15550000008'] });
      await store.createUser(ann);
      const read = (await store.getUser(ann.id))!;
      expect(await store.updateUser({ ...read, tokenHash: 'rotated-hash' }, read)).toBe(true);

      expect(await store.updateUser({ ...read, name: 'Ann B', numbers: ['+15550000009'] }, read)).toBe(false);
      expect(await store.getUser(ann.id)).toEqual({ ...ann, tokenHash: 'rotated-hash' });
      expect(await store.findUserByTokenHash('rotated-hash')).not.toBeNull();
      expect(await store.findUserByTokenHash('old-hash')).toBeNull();
      expect(await ownerOf(store, '+15550000009')).toBeNull();
      expect(await store.updateUser(aUser({ id: 'ghost' }), aUser({ id: 'ghost' }))).toBe(false);
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
      expect(await ownerOf(store, '+15550000001')).toBeNull();
      expect(await store.findUserByTokenHash(ann.tokenHash)).toBeNull();
      expect(await store.getRule('ann-rule')).toBeNull();
      expect(await store.listRules({ userId: 'ann' })).toEqual([]);
      expect((await store.listRules()).map((rule) => rule.id)).toEqual(['bob-rule']);
      expect((await store.listUsers()).map((user) => user.id)).toEqual(['bob']);
      expect(await store.deleteUser('ann')).toBe(false);
    });
  });
}

export function rulesContract(current: () => Store): void {
  describe('rules', () => {
    it('a checked save creates a rule only for an owner that exists, and changes one only while it is as it was read', async () => {
      const store = current();
      await store.createUser(aUser({ id: 'user-1' }));
      const rule = aRule({ id: 'rule-1', userId: 'user-1' });
      expect(await store.saveRuleChecked(aRule({ id: 'rule-2', userId: 'nobody' }))).toBe(false);
      expect(await store.saveRuleChecked(rule)).toBe(true);
      expect(await store.saveRuleChecked(rule)).toBe(false);

      const read = (await store.getRule('rule-1'))!;
      expect(await store.saveRuleChecked({ ...read, name: 'First' }, read)).toBe(true);
      expect(await store.saveRuleChecked({ ...read, name: 'Second' }, read)).toBe(false);
      expect((await store.getRule('rule-1'))?.name).toBe('First');

      const again = (await store.getRule('rule-1'))!;
      await store.deleteRule('rule-1');
      expect(await store.saveRuleChecked({ ...again, enabled: false }, again)).toBe(false);
      expect(await store.getRule('rule-1')).toBeNull();
      expect(await store.listRules({ userId: 'user-1' })).toEqual([]);
    });

    it('a checked save that gives a rule to another user takes it out of the first owner\'s rules: their calls no longer use it', async () => {
      const store = current();
      await store.createUser(aUser({ id: 'ann', numbers: ['+15550000001'] }));
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000002'], tokenHash: 'bob-hash' }));
      expect(await store.saveRuleChecked(aRule({ id: 'r1', userId: 'ann' }))).toBe(true);
      const read = (await store.getRule('r1'))!;

      expect(await store.saveRuleChecked({ ...read, userId: 'bob' }, read)).toBe(true);
      expect(await store.listRules({ userId: 'ann' })).toEqual([]);
      expect((await store.listRules({ userId: 'bob' })).map((rule) => rule.id)).toEqual(['r1']);
      expect((await store.findOwnerWithRules('+15550000001'))?.rules).toEqual([]);
      expect((await store.findOwnerWithRules('+15550000002'))?.rules.map((rule) => rule.id)).toEqual(['r1']);
    });

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

    it('a number\'s owner is found with all of their rules and no one else\'s, in one read', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);
      await store.createUser(aUser({ id: 'bob', numbers: ['+15550000003'] }));
      const annsRules = [aRule({ id: 'r1', userId: 'ann' }), aRule({ id: 'r2', userId: 'ann', priority: 1, schedule: undefined })];
      for (const rule of [...annsRules, aRule({ id: 'r3', userId: 'bob' })]) await store.saveRule(rule);

      const found = await store.findOwnerWithRules('+15550000002');

      expect(found?.owner).toEqual(ann);
      expect(sortedById(found?.rules ?? [])).toEqual(annsRules);
      expect((await store.findOwnerWithRules('+15550000003'))?.rules.map((rule) => rule.id)).toEqual(['r3']);
      expect(await store.findOwnerWithRules('+15559999999')).toBeNull();
    });

    it('an owner without rules is found with none; rules deleted or given away leave, released numbers find nobody', async () => {
      const store = current();
      const ann = aUser({ id: 'ann', numbers: ['+15550000001', '+15550000002'] });
      await store.createUser(ann);
      expect(await store.findOwnerWithRules('+15550000001')).toEqual({ owner: ann, rules: [] });

      await store.saveRule(aRule({ id: 'r1', userId: 'ann' }));
      await store.saveRule(aRule({ id: 'r2', userId: 'ann' }));
      await store.deleteRule('r1');
      await store.saveRule(aRule({ id: 'r2', userId: 'bob' }));
      await store.updateUser({ ...ann, numbers: ['+15550000002'] });

      expect(await store.findOwnerWithRules('+15550000002')).toEqual({ owner: { ...ann, numbers: ['+15550000002'] }, rules: [] });
      expect(await store.findOwnerWithRules('+15550000001')).toBeNull();
      await store.deleteUser('ann');
      expect(await store.findOwnerWithRules('+15550000002')).toBeNull();
    });

    it('the owner and rules found are copies: changing them changes nothing stored', async () => {
      const store = current();
      await store.createUser(aUser());
      await store.saveRule(aRule());

      const found = await store.findOwnerWithRules('+15550000001');
      found!.owner.numbers.push('+15550000099');
      found!.rules[0]!.steps.length = 0;

      expect(await store.findOwnerWithRules('+15550000001')).toEqual({ owner: aUser(), rules: [aRule()] });
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
