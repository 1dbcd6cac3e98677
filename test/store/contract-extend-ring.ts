import type { Store } from '../../src/store/store';
import type { Timed } from './contract-records';
import type { CallEvent } from '../../src/domain/types';
import { aCall, anExtendRingHunt, legsOf } from './fixtures';

/** Store contract, part 3: Extend Ring hunts — state changes, claims by legs, steps and their legs. */

const CALL = anExtendRingHunt().callSid;

async function huntingCall(store: Store): Promise<void> {
  await store.createHunt(anExtendRingHunt(), 3600);
}

/** Step 0 of cycle 0 recorded: the office phone (leg 0.0.0) and John's app (leg 0.0.1). */
async function ringingStepZero(store: Store): Promise<void> {
  await huntingCall(store);
  await store.startStep(CALL, 0, 0, legsOf(anExtendRingHunt(), 0, 0));
}

export function huntStatesContract(current: Timed): void {
  describe('Extend Ring hunt states', () => {
    it('a hunt moves on from an expected state, once: a repeated move finds it elsewhere and changes nothing', async () => {
      const { store } = current();
      await huntingCall(store);

      const moved = await store.transitionHunt(CALL, ['hunting'], 'abandoned');

      expect(moved).toEqual({ ...anExtendRingHunt(), state: 'abandoned' });
      expect(await store.transitionHunt(CALL, ['hunting'], 'voicemail')).toBeNull();
      expect(await store.getHunt(CALL)).toEqual({ ...anExtendRingHunt(), state: 'abandoned' });
      expect(await store.transitionHunt(CALL, ['connected', 'abandoned'], 'ended')).toMatchObject({ state: 'ended' });
    });

    it('the queue\'s SID is recorded once and read back with the hunt, also after a move; an unknown call is left alone', async () => {
      const { store } = current();
      await huntingCall(store);

      await store.setQueueSid(CALL, 'QU00000000000000000000000000000001');
      await store.setQueueSid(CALL, 'QU00000000000000000000000000000002');

      expect(await store.getHunt(CALL)).toEqual({ ...anExtendRingHunt(), queueSid: 'QU00000000000000000000000000000001' });
      expect(await store.transitionHunt(CALL, ['hunting'], 'voicemail'))
        .toEqual({ ...anExtendRingHunt(), state: 'voicemail', queueSid: 'QU00000000000000000000000000000001' });
      expect(await store.getHunt(CALL)).toMatchObject({ state: 'voicemail', queueSid: 'QU00000000000000000000000000000001' });
      await store.setQueueSid('CA-unknown', 'QU00000000000000000000000000000003');
      expect(await store.getHunt('CA-unknown')).toBeNull();
    });

    it('a call the store does not know cannot be moved', async () => {
      const { store } = current();
      expect(await store.transitionHunt('CA-unknown', ['hunting'], 'ended')).toBeNull();
      expect(await store.getHunt('CA-unknown')).toBeNull();
    });

    it('the hunt read back shows the step and cycle it has reached', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.finishLeg(CALL, '0.0.0', 'no-answer');
      await store.finishLeg(CALL, '0.0.1', 'busy');

      expect(await store.getHunt(CALL)).toEqual({ ...anExtendRingHunt(), step: 1 });
      expect(await store.transitionHunt(CALL, ['hunting'], 'voicemail')).toEqual({ ...anExtendRingHunt(), step: 1, state: 'voicemail' });
    });
  });
}

export function claimsContract(current: Timed): void {
  describe('Extend Ring claims', () => {
    it('when 50 legs press 1 at the same moment, exactly one reaches the caller and the others hear it was taken', async () => {
      const { store, factory } = current();
      const twin = await factory.twin(store);
      await huntingCall(store);
      const team = Array.from({ length: 50 }, (_, index) => ({ ...legsOf(anExtendRingHunt(), 0, 0)[0]!, id: `0.0.${index}`, index }));
      await store.startStep(CALL, 0, 0, team);

      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? store : twin).claimHunt(CALL, `0.0.${i}`, 'connected')));

      expect(results.filter((result) => result === 'claimed')).toHaveLength(1);
      expect(results.filter((result) => result === 'taken')).toHaveLength(49);
      expect((await store.getHunt(CALL))?.state).toBe('connected');
    });

    it('the winning leg pressing 1 again (a repeated webhook) is still the winner; nobody else is', async () => {
      const { store } = current();
      await ringingStepZero(store);

      expect(await store.claimHunt(CALL, '0.0.1', 'connected')).toBe('claimed');
      expect(await store.claimHunt(CALL, '0.0.1', 'connected')).toBe('claimed');
      expect(await store.claimHunt(CALL, '0.0.1', 'voicemail')).toBe('taken');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected')).toBe('taken');
      expect((await store.getHunt(CALL))?.state).toBe('connected');
    });

    it('pressing 2 sends the caller to voicemail: a later press of 1 finds the call taken', async () => {
      const { store } = current();
      await ringingStepZero(store);

      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail')).toBe('claimed');
      expect(await store.claimHunt(CALL, '0.0.1', 'connected')).toBe('taken');
      expect((await store.getHunt(CALL))?.state).toBe('voicemail');
    });

    it('once the caller has hung up, a leg pressing a key finds the caller gone', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.transitionHunt(CALL, ['hunting'], 'abandoned');

      expect(await store.claimHunt(CALL, '0.0.0', 'connected')).toBe('gone');
      expect(await store.claimHunt('CA-unknown', '0.0.0', 'connected')).toBe('gone');
      expect((await store.getHunt(CALL))?.state).toBe('abandoned');
    });

    it('only a live leg of the hunt can claim it, from its own call: a leg never placed, one that ended, or another call is not a leg', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'in-progress' });
      await store.finishLeg(CALL, '0.0.1', 'busy');

      expect(await store.claimHunt(CALL, '0.0.7', 'connected', 'CA-leg-office')).toBe('not-a-leg');
      // the app leg ended busy: neither a 1 nor a 2 of it counts
      expect(await store.claimHunt(CALL, '0.0.1', 'connected')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail', 'CA-someone-else')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail')).toBe('not-a-leg');
      expect((await store.getHunt(CALL))?.state).toBe('hunting');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('claimed');
    });

    it('a leg that was answered, pressed 2 and hung up at once may still send the caller to voicemail when its final status came first; a 1 may not', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'in-progress' });
      await store.finishLeg(CALL, '0.0.0', 'completed');

      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail', 'CA-someone-else')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail', 'CA-leg-office')).toBe('claimed');
      expect((await store.getHunt(CALL))?.state).toBe('voicemail');
    });

    it('a leg whose placement was counted failed without a SID (Twilio may have placed it all the same) may take the caller from a call of its own, which becomes its SID; the winner is answered', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.finishLeg(CALL, '0.0.0', 'failed');
      await store.updateLeg(CALL, '0.0.1', { sid: 'CA-leg-app', status: 'ringing' });
      await store.finishLeg(CALL, '0.0.1', 'failed');

      // a SID recorded for it is still its own
      expect(await store.claimHunt(CALL, '0.0.1', 'connected', 'CA-someone-else')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('claimed');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-someone-else')).toBe('not-a-leg');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('claimed');
      expect(await store.getHunt(CALL)).toMatchObject({ state: 'connected', winner: '0.0.0' });
      expect((await store.listLegs(CALL)).find((l) => l.id === '0.0.0')?.sid).toBe('CA-leg-office');
    });

    it('a leg the app hung up once another took the call, whose 1 was on its way, is told the call was taken; a stranger is still not a leg', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'in-progress' });
      await store.updateLeg(CALL, '0.0.1', { sid: 'CA-leg-app', status: 'in-progress' });
      expect(await store.claimHunt(CALL, '0.0.1', 'connected', 'CA-leg-app')).toBe('claimed');
      await store.finishLeg(CALL, '0.0.0', 'completed');

      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('taken');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-someone-else')).toBe('not-a-leg');
      expect(await store.getHunt(CALL)).toMatchObject({ state: 'connected', winner: '0.0.1' });
    });

    it('a leg that ended unanswered (no-answer, busy, canceled, a machine) cannot send the caller to voicemail, even from its own call', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'ringing' });
      await store.finishLeg(CALL, '0.0.0', 'no-answer');

      expect(await store.claimHunt(CALL, '0.0.0', 'voicemail', 'CA-leg-office')).toBe('not-a-leg');
      expect((await store.getHunt(CALL))?.state).toBe('hunting');
    });

    it('a call already sent elsewhere (the caller left a callback number) cannot be claimed', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.transitionHunt(CALL, ['hunting'], 'callback');

      expect(await store.claimHunt(CALL, '0.0.0', 'connected')).toBe('taken');
    });
  });
}

export function stepsContract(current: Timed): void {
  describe('Extend Ring steps and legs', () => {
    it('the legs of a step are recorded once: a duplicate start of the same step is refused', async () => {
      const { store } = current();
      await huntingCall(store);
      const legs = legsOf(anExtendRingHunt(), 0, 0);

      expect(await store.startStep(CALL, 0, 0, legs)).toBe(true);
      expect(await store.startStep(CALL, 0, 0, legs)).toBe(false);

      expect(await store.listLegs(CALL)).toEqual(legs);
    });

    it('a recorded step appends its call-log event once, in the same step; a refused start appends nothing', async () => {
      const { store } = current();
      await huntingCall(store);
      await store.createCall(aCall({ callSid: CALL }));
      const hunt = anExtendRingHunt();
      const event: CallEvent = { at: 1735725601000, type: 'step', step: 0, cycle: 0, detail: 'Office, John' };

      expect(await store.startStep(CALL, 0, 0, legsOf(hunt, 0, 0), event)).toBe(true);
      expect(await store.startStep(CALL, 0, 0, legsOf(hunt, 0, 0), event)).toBe(false);
      expect(await store.startStep(CALL, 1, 0, legsOf(hunt, 1, 0), { ...event, step: 1 })).toBe(false);

      expect((await store.getCall(CALL))?.events).toEqual([...aCall().events, event]);
    });

    it('a step of a call without a call-log entry is recorded all the same, and no entry is made up', async () => {
      const { store } = current();
      const hunt = anExtendRingHunt({ callSid: 'CA-unlogged' });
      await store.createHunt(hunt, 3600);

      expect(await store.startStep('CA-unlogged', 0, 0, legsOf(hunt, 0, 0), { at: 1735725601000, type: 'step', step: 0, cycle: 0 })).toBe(true);

      expect(await store.listLegs('CA-unlogged')).toEqual(legsOf(hunt, 0, 0));
      expect(await store.getCall('CA-unlogged')).toBeNull();
    });

    it('only the step the hunt is at can be started, and only while it is hunting', async () => {
      const { store } = current();
      await huntingCall(store);
      const hunt = anExtendRingHunt();

      expect(await store.startStep(CALL, 1, 0, legsOf(hunt, 1, 0))).toBe(false);
      expect(await store.startStep(CALL, 0, 1, legsOf(hunt, 0, 1))).toBe(false);
      expect(await store.startStep('CA-unknown', 0, 0, legsOf(hunt, 0, 0))).toBe(false);
      await store.transitionHunt(CALL, ['hunting'], 'voicemail');
      expect(await store.startStep(CALL, 0, 0, legsOf(hunt, 0, 0))).toBe(false);

      expect(await store.listLegs(CALL)).toEqual([]);
      expect(await store.listLegs('CA-unknown')).toEqual([]);
    });

    it('a leg keeps its REST SID and latest status; a late "ringing" never undoes "in-progress"', async () => {
      const { store } = current();
      await ringingStepZero(store);

      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'queued' });
      await store.updateLeg(CALL, '0.0.0', { status: 'in-progress' });
      await store.updateLeg(CALL, '0.0.0', { status: 'ringing' });
      await store.updateLeg(CALL, '0.0.1', { status: 'ringing' });
      await store.updateLeg(CALL, '9.9.9', { sid: 'CA-nobody', status: 'ringing' });

      const [office, app] = legsOf(anExtendRingHunt(), 0, 0);
      expect(await store.listLegs(CALL)).toEqual([
        { ...office, sid: 'CA-leg-office', status: 'in-progress' },
        { ...app, status: 'ringing' },
      ]);
    });

    it('updating a leg answers the hunt\'s state, so a leg placed after the hunt ended is known to be orphaned', async () => {
      const { store } = current();
      await ringingStepZero(store);

      expect(await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'queued' })).toBe('hunting');
      expect(await store.claimHunt(CALL, '0.0.0', 'connected', 'CA-leg-office')).toBe('claimed');
      expect(await store.updateLeg(CALL, '0.0.1', { sid: 'CA-leg-app', status: 'queued' })).toBe('connected');
      expect(await store.updateLeg(CALL, '9.9.9', { status: 'ringing' })).toBe('connected');
      expect(await store.updateLeg('CA-unknown', '0.0.0', { sid: 'CA-x', status: 'queued' })).toBeNull();
    });

    it('a leg that has ended never changes again', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-leg-office', status: 'ringing' });
      await store.finishLeg(CALL, '0.0.0', 'no-answer');

      await store.updateLeg(CALL, '0.0.0', { sid: 'CA-other', status: 'in-progress' });

      expect((await store.listLegs(CALL))[0]).toMatchObject({ sid: 'CA-leg-office', status: 'done', result: 'no-answer' });
    });

    it('a leg\'s final status is counted once, however often or late Twilio repeats it', async () => {
      const { store } = current();
      await ringingStepZero(store);

      expect(await store.finishLeg(CALL, '0.0.1', 'busy')).toEqual({ counted: true });
      expect(await store.finishLeg(CALL, '0.0.1', 'busy')).toEqual({ counted: false });
      expect(await store.finishLeg(CALL, '0.0.1', 'completed')).toEqual({ counted: false });
      expect(await store.finishLeg(CALL, '7.7.7', 'busy')).toEqual({ counted: false });
      expect(await store.finishLeg('CA-unknown', '0.0.1', 'busy')).toEqual({ counted: false });

      expect((await store.listLegs(CALL))[1]).toMatchObject({ status: 'done', result: 'busy' });
      expect((await store.getHunt(CALL))?.step).toBe(0);
    });

    it('a step whose last result came while the hunt was not hunting moves on once it hunts again, once, and only then', async () => {
      const { store } = current();
      await ringingStepZero(store);
      expect(await store.advanceIdleStep(CALL)).toBeUndefined(); // legs still ringing
      await store.transitionHunt(CALL, ['hunting'], 'callback');
      await store.finishLeg(CALL, '0.0.0', 'no-answer');
      await store.finishLeg(CALL, '0.0.1', 'busy');
      expect((await store.getHunt(CALL))?.step).toBe(0);
      expect(await store.advanceIdleStep(CALL)).toBeUndefined(); // not hunting

      await store.transitionHunt(CALL, ['callback'], 'hunting');
      expect(await store.advanceIdleStep(CALL)).toEqual({ step: 1, cycle: 0 });
      expect(await store.advanceIdleStep(CALL)).toBeUndefined(); // step 1 not started yet
      expect((await store.getHunt(CALL))?.step).toBe(1);
      expect(await store.advanceIdleStep('CA-unknown')).toBeUndefined();
    });

    it('when the last ringing leg of a step ends, the next step comes, once, whatever order the callbacks arrive in', async () => {
      const { store } = current();
      await ringingStepZero(store);

      expect(await store.finishLeg(CALL, '0.0.1', 'no-answer')).toEqual({ counted: true });
      expect(await store.finishLeg(CALL, '0.0.0', 'busy')).toEqual({ counted: true, next: { step: 1, cycle: 0 } });
      expect(await store.finishLeg(CALL, '0.0.0', 'busy')).toEqual({ counted: false });
      expect(await store.finishLeg(CALL, '0.0.1', 'no-answer')).toEqual({ counted: false });

      expect(await store.getHunt(CALL)).toMatchObject({ state: 'hunting', step: 1, cycle: 0 });
    });

    it('two legs ending at the same moment (with repeats) move the hunt on exactly once', async () => {
      const { store, factory } = current();
      const twin = await factory.twin(store);
      await ringingStepZero(store);

      const results = await Promise.all([
        store.finishLeg(CALL, '0.0.0', 'no-answer'), twin.finishLeg(CALL, '0.0.1', 'no-answer'),
        twin.finishLeg(CALL, '0.0.0', 'no-answer'), store.finishLeg(CALL, '0.0.1', 'no-answer'),
      ]);

      expect(results.filter((result) => result.counted)).toHaveLength(2);
      expect(results.filter((result) => result.next)).toEqual([{ counted: true, next: { step: 1, cycle: 0 } }]);
      expect(await store.getHunt(CALL)).toMatchObject({ step: 1, cycle: 0 });
    });

    it('after the last step nobody answered, the hunt starts over at the first step of the next cycle', async () => {
      const { store } = current();
      const hunt = anExtendRingHunt();
      await ringingStepZero(store);
      await store.finishLeg(CALL, '0.0.0', 'no-answer');
      await store.finishLeg(CALL, '0.0.1', 'no-answer');
      expect(await store.startStep(CALL, 1, 0, legsOf(hunt, 1, 0))).toBe(true);

      expect(await store.finishLeg(CALL, '0.1.0', 'no-answer')).toEqual({ counted: true, next: { step: 0, cycle: 1 } });

      expect(await store.startStep(CALL, 0, 1, legsOf(hunt, 0, 1))).toBe(true);
      expect((await store.listLegs(CALL)).map((leg) => [leg.id, leg.status])).toEqual([
        ['0.0.0', 'done'], ['0.0.1', 'done'], ['0.1.0', 'done'], ['1.0.0', 'placing'], ['1.0.1', 'placing'],
      ]);
    });

    it('a long hold keeps only the legs of the current and the previous cycle; late callbacks for older legs count nothing', async () => {
      const { store } = current();
      const hunt = anExtendRingHunt();
      await huntingCall(store);
      for (let cycle = 0; cycle < 4; cycle += 1) {
        for (const step of [0, 1]) {
          expect(await store.startStep(CALL, step, cycle, legsOf(hunt, step, cycle))).toBe(true);
          for (const leg of legsOf(hunt, step, cycle)) await store.finishLeg(CALL, leg.id, 'no-answer');
        }
      }
      expect(await store.startStep(CALL, 0, 4, legsOf(hunt, 0, 4))).toBe(true);

      const cycles = new Set((await store.listLegs(CALL)).map((leg) => leg.cycle));
      expect([...cycles].sort()).toEqual([3, 4]);
      expect(await store.finishLeg(CALL, '1.0.0', 'no-answer')).toEqual({ counted: false });
      expect(await store.getHunt(CALL)).toMatchObject({ state: 'hunting', step: 0, cycle: 4 });
    });

    it('once a leg has claimed the call, the other legs ending does not ring the next step', async () => {
      const { store } = current();
      await ringingStepZero(store);
      await store.claimHunt(CALL, '0.0.0', 'connected');

      expect(await store.finishLeg(CALL, '0.0.1', 'canceled')).toEqual({ counted: true });
      expect(await store.finishLeg(CALL, '0.0.0', 'completed')).toEqual({ counted: true });

      expect(await store.getHunt(CALL)).toMatchObject({ state: 'connected', step: 0, cycle: 0 });
    });

    it('legs read back are copies', async () => {
      const { store } = current();
      await ringingStepZero(store);

      (await store.listLegs(CALL))[0]!.destination.to = '+19999999999';

      expect(await store.listLegs(CALL)).toEqual(legsOf(anExtendRingHunt(), 0, 0));
    });
  });
}
